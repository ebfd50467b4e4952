using System;
using System.Buffers;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Networking.Services;

/// <summary>The DIMSE-N operation of a <see cref="NormalizedRequest"/> (PS3.7 §10.1).</summary>
public enum NormalizedOperation
{
    /// <summary>N-EVENT-REPORT (PS3.7 §10.1.1).</summary>
    EventReport,

    /// <summary>N-GET (PS3.7 §10.1.2).</summary>
    Get,

    /// <summary>N-SET (PS3.7 §10.1.3).</summary>
    Set,

    /// <summary>N-ACTION (PS3.7 §10.1.4).</summary>
    Action,

    /// <summary>N-CREATE (PS3.7 §10.1.5).</summary>
    Create,

    /// <summary>N-DELETE (PS3.7 §10.1.6).</summary>
    Delete,
}

/// <summary>One received DIMSE-N request, valid during <see cref="INormalizedHandler.Handle"/> only.</summary>
public readonly struct NormalizedRequest
{
    internal NormalizedRequest(NormalizedOperation operation, DicomUid sopClassUid, DicomUid? sopInstanceUid, ushort typeId, DicomTagList? attributes,
        ReadOnlyMemory<byte> dataSet, bool hasDataSet, TransferSyntax transferSyntax)
    {
        Operation = operation;
        SopClassUid = sopClassUid;
        SopInstanceUid = sopInstanceUid;
        TypeId = typeId;
        AttributeIdentifiers = attributes;
        DataSet = dataSet;
        HasDataSet = hasDataSet;
        TransferSyntax = transferSyntax;
    }

    /// <summary>The operation.</summary>
    public NormalizedOperation Operation { get; }

    /// <summary>Affected (N-CREATE, N-EVENT-REPORT) or Requested SOP Class UID.</summary>
    public DicomUid SopClassUid { get; }

    /// <summary>Affected or Requested SOP Instance UID; null for an N-CREATE that lets the SCP choose it.</summary>
    public DicomUid? SopInstanceUid { get; }

    /// <summary>Action Type ID (N-ACTION) or Event Type ID (N-EVENT-REPORT); 0 otherwise.</summary>
    public ushort TypeId { get; }

    /// <summary>(0000,1005) Attribute Identifier List of an N-GET; null means all attributes.</summary>
    public DicomTagList? AttributeIdentifiers { get; }

    /// <summary>The request's data set (attribute list, modification list, action/event information).</summary>
    public ReadOnlyMemory<byte> DataSet { get; }

    /// <summary>True when the request carried a data set.</summary>
    public bool HasDataSet { get; }

    /// <summary>The transfer syntax of <see cref="DataSet"/>.</summary>
    public TransferSyntax TransferSyntax { get; }

    /// <summary>The requestor's AE title (the calling AE title of the association).</summary>
    public AeTitle CallingAeTitle { get; init; }

    /// <summary>A reader over <see cref="DataSet"/>.</summary>
    public DataSetReader CreateReader() => new(new ReadOnlySequence<byte>(DataSet), isFinalBlock: true, new DataSetReaderState(TransferSyntax));
}

/// <summary>The answer of an <see cref="INormalizedHandler"/>: status, Error Comment and an optional data set.</summary>
public sealed class NormalizedReply
{
    /// <summary>A reply with <paramref name="status"/> and no data set.</summary>
    public NormalizedReply(ushort status, string? errorComment = null)
    {
        Status = status;
        ErrorComment = errorComment;
    }

    /// <summary>The response status (PS3.7 Annex C).</summary>
    public ushort Status { get; }

    /// <summary>(0000,0902) Error Comment, at most 64 characters.</summary>
    public string? ErrorComment { get; }

    /// <summary>The Affected SOP Instance UID to return (the one an N-CREATE SCP assigned).</summary>
    public DicomUid? SopInstanceUid { get; init; }

    /// <summary>Writes the response's data set (N-GET attribute list, N-CREATE/N-SET attributes …); null: none.</summary>
    public Action<DataSetWriter>? DataSet { get; init; }

    /// <summary>
    /// An N-EVENT-REPORT to send to the requestor on this association right after the reply (PS3.4 J.3.3: a
    /// Storage Commitment SCP may report on the association that carried the N-ACTION); null: none.
    /// </summary>
    public NormalizedEventReport? EventReport { get; init; }

    /// <summary>0000 Success without a data set.</summary>
    public static NormalizedReply Success { get; } = new(0x0000);
}

/// <summary>
/// An N-EVENT-REPORT-RQ (PS3.7 §10.1.1) the service provider sends as association requestor's peer after a
/// reply. Its outcome is told once through <see cref="Completed"/>: delivered when the requestor answered, not
/// delivered when the association ended first (released or aborted), so that the caller can report on another
/// association instead.
/// </summary>
public sealed class NormalizedEventReport
{
    /// <summary>Affected SOP Class UID.</summary>
    public required DicomUid SopClassUid { get; init; }

    /// <summary>Affected SOP Instance UID.</summary>
    public required DicomUid SopInstanceUid { get; init; }

    /// <summary>Event Type ID.</summary>
    public required ushort EventTypeId { get; init; }

    /// <summary>Writes the Event Information; null sends none.</summary>
    public Action<DataSetWriter>? EventInformation { get; init; }

    /// <summary>Called once: (true, response status) when answered; (false, 0) when the association ended first.</summary>
    public Action<bool, ushort>? Completed { get; init; }
}

/// <summary>
/// Serves the DIMSE-N operations (PS3.7 §10) of some SOP classes for a <see cref="DicomServiceProvider"/>.
/// Called on the association's read loop, one request at a time; the reply is sent when it returns.
/// </summary>
public interface INormalizedHandler
{
    /// <summary>True for the SOP classes this handler serves; others are answered 0x0122 (SOP Class not supported).</summary>
    bool IsSupported(in DicomUid sopClassUid);

    /// <summary>
    /// Answers <paramref name="request"/>. Unsupported operations should return 0x0211 (Unrecognized operation),
    /// unknown instances 0x0112 (No such SOP Instance), unknown action types 0x0123 (No such action).
    /// </summary>
    NormalizedReply Handle(in NormalizedRequest request);
}

/// <summary>Serves the DIMSE-N requests of several handlers (e.g. MPPS and Storage Commitment), each for its own SOP classes.</summary>
public sealed class NormalizedHandlers(params INormalizedHandler[] handlers) : INormalizedHandler
{
    /// <inheritdoc/>
    public bool IsSupported(in DicomUid sopClassUid) => Find(sopClassUid) is not null;

    /// <inheritdoc/>
    public NormalizedReply Handle(in NormalizedRequest request)
        => Find(request.SopClassUid) is { } handler ? handler.Handle(request) : new NormalizedReply(0x0122);

    private INormalizedHandler? Find(in DicomUid sopClassUid)
    {
        foreach (INormalizedHandler handler in handlers)
        {
            if (handler.IsSupported(sopClassUid))
            {
                return handler;
            }
        }

        return null;
    }
}
