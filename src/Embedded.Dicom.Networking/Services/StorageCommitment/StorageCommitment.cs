using System;
using System.Buffers;
using System.Collections.Generic;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Networking.Services;

/// <summary>A reference to one SOP instance: (0008,1150) Referenced SOP Class UID and (0008,1155) Referenced SOP Instance UID.</summary>
public readonly record struct SopReference(DicomUid SopClassUid, DicomUid SopInstanceUid)
{
    /// <inheritdoc/>
    public override string ToString() => $"{SopInstanceUid} ({SopClassUid})";
}

/// <summary>One instance the Storage Commitment SCP did not commit, with its (0008,1197) Failure Reason (PS3.4 J.3.2.1.1.2).</summary>
public readonly record struct CommitmentFailure(SopReference Reference, ushort FailureReason)
{
    /// <summary>The meaning of <see cref="FailureReason"/> (PS3.4 Table J.3-2 and the C.4 failure codes it names).</summary>
    public string Describe() => FailureReason switch
    {
        0x0110 => "0x0110 Processing failure",
        0x0112 => "0x0112 No such object instance",
        0x0213 => "0x0213 Resource limitation",
        0x0122 => "0x0122 Referenced SOP Class not supported",
        0x0119 => "0x0119 Class / Instance conflict",
        0x0131 => "0x0131 Duplicate transaction UID",
        _ => $"0x{FailureReason:X4}",
    };
}

/// <summary>What an N-EVENT-REPORT of the Storage Commitment Push Model told about one transaction (PS3.4 J.3.3).</summary>
public sealed class StorageCommitmentResult
{
    /// <summary>A result for <paramref name="transactionUid"/>.</summary>
    public StorageCommitmentResult(DicomUid transactionUid, IReadOnlyList<SopReference> committed, IReadOnlyList<CommitmentFailure> failed)
    {
        TransactionUid = transactionUid;
        Committed = committed;
        Failed = failed;
    }

    /// <summary>(0008,1195) Transaction UID: the one given in the N-ACTION.</summary>
    public DicomUid TransactionUid { get; }

    /// <summary>(0008,1199) Referenced SOP Sequence: the instances the SCP has committed to keep.</summary>
    public IReadOnlyList<SopReference> Committed { get; }

    /// <summary>(0008,1198) Failed SOP Sequence: the instances it has not, each with its reason.</summary>
    public IReadOnlyList<CommitmentFailure> Failed { get; }

    /// <summary>(0008,0054) Retrieve AE Title, when the SCP gave one.</summary>
    public string? RetrieveAeTitle { get; init; }

    /// <summary>The Event Type ID this result is sent with: 1 all committed, 2 failures exist (PS3.4 J.3.3.1).</summary>
    public ushort EventTypeId => Failed.Count == 0 ? StorageCommitment.EventAllCommitted : StorageCommitment.EventFailuresExist;
}

/// <summary>
/// The Storage Commitment Push Model SOP Class (PS3.4 Annex J.3): the SCU asks with N-ACTION (Action Type 1)
/// that the SCP take responsibility for a list of instances, and the SCP answers later with an N-EVENT-REPORT
/// (Event Type 1: all committed, 2: failures exist) on that association or on one it opens back to the SCU.
/// Here: the constants, and the encoding of the Action and Event Information (PS3.4 Tables J.3-1, J.3-2).
/// </summary>
public static class StorageCommitment
{
    /// <summary>Storage Commitment Push Model SOP Class.</summary>
    public static readonly DicomUid SopClassUid = DicomUid.Parse("1.2.840.10008.1.20.1");

    /// <summary>The well-known SOP instance the N-ACTION and N-EVENT-REPORT address (PS3.4 J.3.5).</summary>
    public static readonly DicomUid SopInstanceUid = DicomUid.Parse("1.2.840.10008.1.20.1.1");

    /// <summary>Action Type ID "Request Storage Commitment" (PS3.4 J.3.2.1.1).</summary>
    public const ushort ActionRequestCommitment = 1;

    /// <summary>Event Type ID "Storage Commitment Request Successful" (PS3.4 J.3.3.1).</summary>
    public const ushort EventAllCommitted = 1;

    /// <summary>Event Type ID "Storage Commitment Request Complete – Failures Exist" (PS3.4 J.3.3.1).</summary>
    public const ushort EventFailuresExist = 2;

    /// <summary>Most references accepted in one request or report (a hostile-input bound; 10,000 is far above a study's instances).</summary>
    public const int MaxReferences = 10_000;

    internal static readonly DicomTag TransactionUidTag = new(0x00081195);
    internal static readonly DicomTag ReferencedSopSequence = new(0x00081199);
    internal static readonly DicomTag FailedSopSequence = new(0x00081198);
    internal static readonly DicomTag ReferencedSopClassUid = new(0x00081150);
    internal static readonly DicomTag ReferencedSopInstanceUid = new(0x00081155);
    internal static readonly DicomTag FailureReason = new(0x00081197);
    internal static readonly DicomTag RetrieveAeTitleTag = new(0x00080054);

    /// <summary>Writes the Action Information of a commitment request (PS3.4 Table J.3-1).</summary>
    public static void WriteActionInformation(DataSetWriter writer, in DicomUid transactionUid, IReadOnlyList<SopReference> references)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0 || references.Count > MaxReferences)
        {
            throw new ArgumentException($"a commitment request names 1 to {MaxReferences} instances", nameof(references));
        }

        writer.WriteUid(TransactionUidTag, transactionUid);
        WriteReferences(writer, references);
    }

    /// <summary>Writes the Event Information of a commitment report (PS3.4 Table J.3-2); sequences that would be empty are left out.</summary>
    public static void WriteEventInformation(DataSetWriter writer, StorageCommitmentResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        if (result.RetrieveAeTitle is { Length: > 0 } retrieveAe)
        {
            writer.WriteString(RetrieveAeTitleTag, ValueRepresentation.AE, retrieveAe);
        }

        writer.WriteUid(TransactionUidTag, result.TransactionUid);
        if (result.Failed.Count > 0)
        {
            writer.WriteStartSequence(FailedSopSequence);
            foreach (CommitmentFailure failure in result.Failed)
            {
                writer.WriteStartItem();
                writer.WriteUid(ReferencedSopClassUid, failure.Reference.SopClassUid);
                writer.WriteUid(ReferencedSopInstanceUid, failure.Reference.SopInstanceUid);
                writer.WriteUInt16(FailureReason, failure.FailureReason);
                writer.WriteEndItem();
            }

            writer.WriteEndSequence();
        }

        if (result.Committed.Count > 0)
        {
            WriteReferences(writer, result.Committed);
        }
    }

    private static void WriteReferences(DataSetWriter writer, IReadOnlyList<SopReference> references)
    {
        writer.WriteStartSequence(ReferencedSopSequence);
        foreach (SopReference reference in references)
        {
            writer.WriteStartItem();
            writer.WriteUid(ReferencedSopClassUid, reference.SopClassUid);
            writer.WriteUid(ReferencedSopInstanceUid, reference.SopInstanceUid);
            writer.WriteEndItem();
        }

        writer.WriteEndSequence();
    }

    /// <summary>
    /// Reads the Action Information of a request; false with <paramref name="error"/> when the Transaction UID
    /// or the Referenced SOP Sequence is missing or malformed, or there are more than <see cref="MaxReferences"/>.
    /// </summary>
    public static bool TryReadActionInformation(ReadOnlyMemory<byte> dataSet, TransferSyntax syntax, out DicomUid transactionUid,
        List<SopReference> references, out string? error)
    {
        var failures = new List<CommitmentFailure>();
        bool ok = TryRead(dataSet, syntax, out transactionUid, references, failures, out _, out error);
        if (ok && (references.Count == 0 || failures.Count > 0))
        {
            error = references.Count == 0 ? "no (0008,1199) Referenced SOP Sequence items" : "(0008,1198) Failed SOP Sequence in a request";
            return false;
        }

        return ok;
    }

    /// <summary>Reads the Event Information of a report; false with <paramref name="error"/> when it is malformed.</summary>
    public static bool TryReadEventInformation(ReadOnlyMemory<byte> dataSet, TransferSyntax syntax, out StorageCommitmentResult? result, out string? error)
    {
        var committed = new List<SopReference>();
        var failed = new List<CommitmentFailure>();
        result = null;
        if (!TryRead(dataSet, syntax, out DicomUid transactionUid, committed, failed, out string? retrieveAe, out error))
        {
            return false;
        }

        result = new StorageCommitmentResult(transactionUid, committed, failed) { RetrieveAeTitle = retrieveAe };
        return true;
    }

    private static bool TryRead(ReadOnlyMemory<byte> dataSet, TransferSyntax syntax, out DicomUid transactionUid, List<SopReference> committed,
        List<CommitmentFailure> failed, out string? retrieveAe, out string? error)
    {
        transactionUid = default;
        retrieveAe = null;
        error = null;
        var reader = new DataSetReader(new ReadOnlySequence<byte>(dataSet), isFinalBlock: true, new DataSetReaderState(syntax));
        uint sequence = 0;
        DicomUid itemClass = default, itemInstance = default;
        ushort itemReason = 0;
        bool hasClass = false, hasInstance = false, hasReason = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case DataSetTokenType.SequenceStart when reader.CurrentDepth == 0:
                    sequence = reader.Tag.Value;
                    break;
                case DataSetTokenType.SequenceEnd when reader.CurrentDepth == 0:
                    sequence = 0;
                    break;
                case DataSetTokenType.ItemStart when reader.CurrentDepth == 1:
                    hasClass = hasInstance = hasReason = false;
                    break;
                case DataSetTokenType.ItemEnd when reader.CurrentDepth == 1:
                    if (sequence != ReferencedSopSequence.Value && sequence != FailedSopSequence.Value)
                    {
                        break;
                    }

                    if (!hasClass || !hasInstance || (sequence == FailedSopSequence.Value && !hasReason))
                    {
                        error = $"an item of ({sequence >> 16:X4},{sequence & 0xFFFF:X4}) lacks Referenced SOP Class UID, Instance UID or Failure Reason";
                        return false;
                    }

                    if (committed.Count + failed.Count >= MaxReferences)
                    {
                        error = $"more than {MaxReferences} references";
                        return false;
                    }

                    if (sequence == ReferencedSopSequence.Value)
                    {
                        committed.Add(new SopReference(itemClass, itemInstance));
                    }
                    else
                    {
                        failed.Add(new CommitmentFailure(new SopReference(itemClass, itemInstance), itemReason));
                    }

                    break;
                case DataSetTokenType.Element when reader.CurrentDepth == 0:
                    if (reader.Tag == TransactionUidTag && !DicomUid.TryCreate(reader.ValueSpan, out transactionUid))
                    {
                        error = "(0008,1195) Transaction UID longer than 64 bytes";
                        return false;
                    }

                    if (reader.Tag == RetrieveAeTitleTag)
                    {
                        retrieveAe = reader.GetString().Trim();
                    }

                    break;
                case DataSetTokenType.Element when reader.CurrentDepth == 1 && sequence is not 0:
                    if (reader.Tag == ReferencedSopClassUid)
                    {
                        hasClass = DicomUid.TryCreate(reader.ValueSpan, out itemClass) && !itemClass.IsEmpty;
                    }
                    else if (reader.Tag == ReferencedSopInstanceUid)
                    {
                        hasInstance = DicomUid.TryCreate(reader.ValueSpan, out itemInstance) && !itemInstance.IsEmpty;
                    }
                    else if (reader.Tag == FailureReason)
                    {
                        hasReason = reader.TryGetUInt16(out itemReason);
                    }

                    break;
            }
        }

        if (reader.Error is { } malformed)
        {
            error = "malformed data set: " + malformed;
            return false;
        }

        if (transactionUid.IsEmpty)
        {
            error = "no (0008,1195) Transaction UID";
            return false;
        }

        return true;
    }
}
