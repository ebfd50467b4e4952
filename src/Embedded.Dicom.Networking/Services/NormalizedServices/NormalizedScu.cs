using System;
using System.Buffers;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Dimse;

namespace Embedded.Dicom.Networking.Services;

/// <summary>The outcome of one DIMSE-N operation (PS3.7 §10.1): status, Error Comment and the response's data set.</summary>
public sealed class NormalizedResult
{
    internal NormalizedResult(DicomStatus status, string? errorComment, DicomUid? sopInstanceUid, byte[]? dataSet, TransferSyntax transferSyntax)
    {
        Status = status;
        ErrorComment = errorComment;
        SopInstanceUid = sopInstanceUid;
        DataSet = dataSet;
        TransferSyntax = transferSyntax;
    }

    /// <summary>The response status.</summary>
    public DicomStatus Status { get; }

    /// <summary>(0000,0902) Error Comment, if any.</summary>
    public string? ErrorComment { get; }

    /// <summary>(0000,1000) Affected SOP Instance UID of the response, if any (the UID an N-CREATE SCP assigned).</summary>
    public DicomUid? SopInstanceUid { get; }

    /// <summary>The response's data set (N-GET attribute list …), in <see cref="TransferSyntax"/>; null when none.</summary>
    public byte[]? DataSet { get; }

    /// <summary>The transfer syntax of <see cref="DataSet"/>.</summary>
    public TransferSyntax TransferSyntax { get; }

    /// <summary>A reader over <see cref="DataSet"/> (empty when there is none).</summary>
    public DataSetReader CreateReader() => new(new ReadOnlySequence<byte>(DataSet ?? []), isFinalBlock: true, new DataSetReaderState(TransferSyntax));
}

/// <summary>
/// The SCU of the DIMSE-N services (PS3.7 §10.1): each call sends one request with an optional data set and
/// waits for its response. The data set callbacks write in the presentation context's transfer syntax.
/// </summary>
public static class NormalizedScu
{
    /// <summary>Longest response data set accepted; a longer one aborts the association.</summary>
    public const int MaxResponseDataSetLength = 4 * 1024 * 1024;

    /// <summary>N-CREATE-RQ (PS3.7 §10.1.5); <paramref name="sopInstanceUid"/> null lets the SCP assign it (returned in the result).</summary>
    public static Task<NormalizedResult> CreateAsync(DicomAssociation association, DicomUid sopClassUid, DicomUid? sopInstanceUid, ushort messageId,
        Action<IBufferWriter<byte>, TransferSyntax>? attributes, CancellationToken cancellationToken = default)
        => SendAsync(association, sopClassUid, messageId, attributes, cancellationToken,
            new NCreateRequest { MessageID = messageId, AffectedSOPClassUID = sopClassUid, AffectedSOPInstanceUID = sopInstanceUid, HasDataSet = attributes is not null });

    /// <summary>N-SET-RQ (PS3.7 §10.1.3) with the modification list written by <paramref name="modifications"/>.</summary>
    public static Task<NormalizedResult> SetAsync(DicomAssociation association, DicomUid sopClassUid, DicomUid sopInstanceUid, ushort messageId,
        Action<IBufferWriter<byte>, TransferSyntax> modifications, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modifications);
        return SendAsync(association, sopClassUid, messageId, modifications, cancellationToken,
            new NSetRequest { MessageID = messageId, RequestedSOPClassUID = sopClassUid, RequestedSOPInstanceUID = sopInstanceUid });
    }

    /// <summary>N-GET-RQ (PS3.7 §10.1.2); an empty <paramref name="attributes"/> asks for all attributes.</summary>
    public static Task<NormalizedResult> GetAsync(DicomAssociation association, DicomUid sopClassUid, DicomUid sopInstanceUid, ushort messageId,
        ReadOnlySpan<uint> attributes, CancellationToken cancellationToken = default)
    {
        DicomTagList? list = null;
        if (!attributes.IsEmpty)
        {
            if (!DicomTagList.TryCreate(attributes, out DicomTagList tags))
            {
                throw new ArgumentException($"at most {DicomTagList.Capacity} attribute identifiers", nameof(attributes));
            }

            list = tags;
        }

        return SendAsync(association, sopClassUid, messageId, null, cancellationToken,
            new NGetRequest { MessageID = messageId, RequestedSOPClassUID = sopClassUid, RequestedSOPInstanceUID = sopInstanceUid, AttributeIdentifierList = list });
    }

    /// <summary>N-ACTION-RQ (PS3.7 §10.1.4) with <paramref name="actionTypeId"/> and optional action information.</summary>
    public static Task<NormalizedResult> ActionAsync(DicomAssociation association, DicomUid sopClassUid, DicomUid sopInstanceUid, ushort actionTypeId, ushort messageId,
        Action<IBufferWriter<byte>, TransferSyntax>? actionInformation, CancellationToken cancellationToken = default)
        => SendAsync(association, sopClassUid, messageId, actionInformation, cancellationToken,
            new NActionRequest { MessageID = messageId, RequestedSOPClassUID = sopClassUid, RequestedSOPInstanceUID = sopInstanceUid, ActionTypeID = actionTypeId, HasDataSet = actionInformation is not null });

    /// <summary>N-DELETE-RQ (PS3.7 §10.1.6).</summary>
    public static Task<NormalizedResult> DeleteAsync(DicomAssociation association, DicomUid sopClassUid, DicomUid sopInstanceUid, ushort messageId,
        CancellationToken cancellationToken = default)
        => SendAsync(association, sopClassUid, messageId, null, cancellationToken,
            new NDeleteRequest { MessageID = messageId, RequestedSOPClassUID = sopClassUid, RequestedSOPInstanceUID = sopInstanceUid });

    /// <summary>N-EVENT-REPORT-RQ (PS3.7 §10.1.1) with <paramref name="eventTypeId"/> and optional event information.</summary>
    public static Task<NormalizedResult> EventReportAsync(DicomAssociation association, DicomUid sopClassUid, DicomUid sopInstanceUid, ushort eventTypeId, ushort messageId,
        Action<IBufferWriter<byte>, TransferSyntax>? eventInformation, CancellationToken cancellationToken = default)
        => SendAsync(association, sopClassUid, messageId, eventInformation, cancellationToken,
            new NEventReportRequest { MessageID = messageId, AffectedSOPClassUID = sopClassUid, AffectedSOPInstanceUID = sopInstanceUid, EventTypeID = eventTypeId, HasDataSet = eventInformation is not null });

    private static async Task<NormalizedResult> SendAsync<TRequest>(DicomAssociation association, DicomUid sopClassUid, ushort messageId, Action<IBufferWriter<byte>, TransferSyntax>? dataSet,
        CancellationToken cancellationToken, TRequest request) where TRequest : struct, IDimseCommand<TRequest>
    {
        ArgumentNullException.ThrowIfNull(association);
        cancellationToken.ThrowIfCancellationRequested();
        NegotiatedPresentationContext context = association.Negotiated.FindContext(sopClassUid, TransferSyntax.ExplicitVRLittleEndian)
            ?? throw new DicomNetworkException(DicomNetworkFailure.NoPresentationContext, $"the peer accepted no presentation context for {sopClassUid}");
        TransferSyntax syntax = context.TransferSyntax!;
        if (!syntax.IsLittleEndian || syntax.IsDeflated || syntax.IsEncapsulated)
        {
            throw new DicomNetworkException(DicomNetworkFailure.NoPresentationContext,
                $"the peer accepted {sopClassUid} only in {syntax.Name}; N-service data sets are sent in Explicit or Implicit VR Little Endian");
        }

        using var buffer = new IdentifierBuffer(MaxResponseDataSetLength);
        association.WriteCommand(context.Id, request);
        if (dataSet is not null)
        {
            dataSet(buffer, syntax);
            await association.SendDataSetAsync(context.Id, buffer, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await association.SendAsync(cancellationToken).ConfigureAwait(false);
        }

        buffer.Reset();
        var sinks = new SingleSink(buffer);
        DimseReceiveResult received = await association.ReceiveAsync(sinks, association.Timeouts.Dimse, cancellationToken).ConfigureAwait(false);
        ScuResponses.ThrowIfNotMessage(received);
        if (buffer.Overflowed || !TryReadResponse(received.CommandSet.Span, TRequest.CommandField, messageId, out ushort status, out LongString? comment, out DicomUid? instance))
        {
            await association.AbortAsync().ConfigureAwait(false);
            throw new DicomNetworkException(DicomNetworkFailure.ProtocolError, $"invalid response to {TRequest.CommandField} message {messageId}");
        }

        byte[]? bytes = received.HadDataSet ? buffer.WrittenMemory.ToArray() : null;
        return new NormalizedResult(new DicomStatus(status), comment?.ToString(), instance, bytes, syntax);
    }

    /// <summary>Decodes the response matching <paramref name="requestField"/> (the request's field with bit 15 set, PS3.7 §9.3/§10.3).</summary>
    private static bool TryReadResponse(ReadOnlySpan<byte> commandSet, CommandField requestField, ushort messageId, out ushort status, out LongString? comment, out DicomUid? instance)
    {
        status = 0;
        comment = null;
        instance = null;
        ushort respondedTo;
        switch (requestField)
        {
            case CommandField.NCreateRequest when NCreateResponse.TryDecode(commandSet, out NCreateResponse r, out _):
                (respondedTo, status, comment, instance) = (r.MessageIDBeingRespondedTo, r.Status, r.ErrorComment, r.AffectedSOPInstanceUID);
                break;
            case CommandField.NSetRequest when NSetResponse.TryDecode(commandSet, out NSetResponse r, out _):
                (respondedTo, status, comment, instance) = (r.MessageIDBeingRespondedTo, r.Status, r.ErrorComment, r.AffectedSOPInstanceUID);
                break;
            case CommandField.NGetRequest when NGetResponse.TryDecode(commandSet, out NGetResponse r, out _):
                (respondedTo, status, comment, instance) = (r.MessageIDBeingRespondedTo, r.Status, r.ErrorComment, r.AffectedSOPInstanceUID);
                break;
            case CommandField.NActionRequest when NActionResponse.TryDecode(commandSet, out NActionResponse r, out _):
                (respondedTo, status, comment, instance) = (r.MessageIDBeingRespondedTo, r.Status, r.ErrorComment, r.AffectedSOPInstanceUID);
                break;
            case CommandField.NDeleteRequest when NDeleteResponse.TryDecode(commandSet, out NDeleteResponse r, out _):
                (respondedTo, status, comment, instance) = (r.MessageIDBeingRespondedTo, r.Status, r.ErrorComment, r.AffectedSOPInstanceUID);
                break;
            case CommandField.NEventReportRequest when NEventReportResponse.TryDecode(commandSet, out NEventReportResponse r, out _):
                (respondedTo, status, comment, instance) = (r.MessageIDBeingRespondedTo, r.Status, r.ErrorComment, r.AffectedSOPInstanceUID);
                break;
            default:
                return false;
        }

        return respondedTo == messageId;
    }

    private sealed class SingleSink(IdentifierBuffer buffer) : IDataSetSinkProvider
    {
        public IDataSetSink OpenDataSet(ReadOnlySpan<byte> commandSet, NegotiatedPresentationContext context) => buffer;
    }
}
