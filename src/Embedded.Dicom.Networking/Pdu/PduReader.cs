using System.Buffers;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// Frames PDUs out of a byte stream (PS3.8 §9.3.1): reads the 6-byte <see cref="PduHeader"/>, checks the type and
/// the PDU-length against <see cref="PduLimits"/>, and hands back the body once all of it has arrived.
/// </summary>
/// <remarks>
/// The header is judged as soon as it is complete, before the body is waited for, so a hostile length is refused
/// without buffering anything. An unknown type is refused from its first byte.
/// </remarks>
public static class PduReader
{
    /// <summary>
    /// Reads one PDU from <paramref name="reader"/> (conventions C3).
    /// </summary>
    /// <param name="reader">The received bytes. Advanced past the PDU on <see cref="PduReadStatus.Done"/> only.</param>
    /// <param name="limits">Bounds on the PDU-length per type.</param>
    /// <param name="header">The header, on <see cref="PduReadStatus.Done"/>.</param>
    /// <param name="body">The PDU-length bytes after the header, a slice of the reader's sequence (no copy).</param>
    /// <param name="error">Why the PDU is refused, on <see cref="PduReadStatus.Invalid"/>.</param>
    /// <returns>
    /// <see cref="PduReadStatus.Done"/>; <see cref="PduReadStatus.NeedMoreData"/> with the reader unchanged; or
    /// <see cref="PduReadStatus.Invalid"/> with the reader unchanged when
    /// <list type="bullet">
    /// <item>the type is not 0x01–0x07 (<see cref="PduRejectReason.UnknownPduType"/>, PS3.8 Evt19);</item>
    /// <item>the PDU-length is above <see cref="PduLimits.MaxDataPduLength"/> for a P-DATA-TF or
    /// <see cref="PduLimits.MaxAssociationPduLength"/> for an A-ASSOCIATE-RQ/AC
    /// (<see cref="PduRejectReason.PduTooLarge"/>);</item>
    /// <item>an A-ASSOCIATE-RJ, A-RELEASE-RQ/RP or A-ABORT does not have PDU-length 4, or an A-ASSOCIATE-RQ/AC is
    /// shorter than its 68-byte fixed part (<see cref="PduRejectReason.InvalidPduLength"/>).</item>
    /// </list>
    /// </returns>
    public static PduReadStatus TryReadPdu(ref SequenceReader<byte> reader, PduLimits limits, out PduHeader header, out ReadOnlySequence<byte> body, out PduError error)
    {
        header = default;
        body = default;
        error = default;

        // A copy of the reader probes the header so that an incomplete PDU leaves the caller's position untouched.
        SequenceReader<byte> probe = reader;
        if (!probe.TryRead(out byte type))
        {
            return PduReadStatus.NeedMoreData;
        }

        if (type is < (byte)PduType.AAssociateRequest or > (byte)PduType.AAbort)
        {
            error = new PduError(PduRejectReason.UnknownPduType, PduHeader.TypeOffset, type, type);
            return PduReadStatus.Invalid;
        }

        if (!probe.TryRead(out _) || !probe.TryReadBigEndian(out int signedLength))
        {
            return PduReadStatus.NeedMoreData;
        }

        uint pduLength = unchecked((uint)signedLength);
        PduType pduType = (PduType)type;
        PduRejectReason lengthFault = CheckLength(pduType, pduLength, limits);
        if (lengthFault != PduRejectReason.None)
        {
            error = new PduError(lengthFault, PduHeader.LengthOffset, pduLength, type);
            return PduReadStatus.Invalid;
        }

        if (probe.Remaining < pduLength)
        {
            return PduReadStatus.NeedMoreData;
        }

        header = new PduHeader(pduType, pduLength);
        body = probe.Sequence.Slice(probe.Position, pduLength);
        reader.Advance(PduHeader.Size + (long)pduLength);
        return PduReadStatus.Done;
    }

    private static PduRejectReason CheckLength(PduType type, uint pduLength, PduLimits limits)
    {
        switch (type)
        {
            case PduType.PDataTf:
                return pduLength > (uint)limits.MaxDataPduLength ? PduRejectReason.PduTooLarge : PduRejectReason.None;
            case PduType.AAssociateRequest:
            case PduType.AAssociateAccept:
                if (pduLength > (uint)limits.MaxAssociationPduLength)
                {
                    return PduRejectReason.PduTooLarge;
                }

                return pduLength < AssociatePduCodec.MinimumPduLength ? PduRejectReason.InvalidPduLength : PduRejectReason.None;
            default:
                // A-ASSOCIATE-RJ, A-RELEASE-RQ, A-RELEASE-RP and A-ABORT are fixed: 4 bytes after the header.
                return pduLength != FixedLengthPdu.PduLength ? PduRejectReason.InvalidPduLength : PduRejectReason.None;
        }
    }
}
