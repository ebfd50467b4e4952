using System;
using System.Buffers;
using System.Buffers.Binary;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// Shared codec of the four 10-byte PDUs (A-ASSOCIATE-RJ, A-RELEASE-RQ, A-RELEASE-RP, A-ABORT; PS3.8 §9.3.4,
/// §9.3.6–§9.3.8): a <see cref="PduHeader"/> with PDU-length 4, then four one-byte fields whose meaning each PDU type
/// defines. Offsets below are from the start of the PDU.
/// </summary>
internal static class FixedLengthPdu
{
    /// <summary>The PDU-length field of every fixed-length PDU.</summary>
    public const int PduLength = 4;

    /// <summary>The whole PDU size, header included.</summary>
    public const int EncodedLength = PduHeader.Size + PduLength;

    /// <summary>
    /// Copies the 4-byte body into <paramref name="fields"/>; <see cref="PduReadStatus.Invalid"/> when the body is not
    /// exactly 4 bytes long.
    /// </summary>
    public static PduReadStatus TryReadBody(ReadOnlySequence<byte> body, PduType type, Span<byte> fields, out PduError error)
    {
        if (body.Length != PduLength)
        {
            error = new PduError(PduRejectReason.InvalidPduLength, PduHeader.LengthOffset, body.Length, (byte)type);
            return PduReadStatus.Invalid;
        }

        body.CopyTo(fields);
        error = default;
        return PduReadStatus.Done;
    }

    /// <summary>As <see cref="TryReadBody(ReadOnlySequence{byte}, PduType, Span{byte}, out PduError)"/> for a span.</summary>
    public static PduReadStatus TryReadBody(ReadOnlySpan<byte> body, PduType type, Span<byte> fields, out PduError error)
    {
        if (body.Length != PduLength)
        {
            error = new PduError(PduRejectReason.InvalidPduLength, PduHeader.LengthOffset, body.Length, (byte)type);
            return PduReadStatus.Invalid;
        }

        body.CopyTo(fields);
        error = default;
        return PduReadStatus.Done;
    }

    /// <summary>Writes the 10 bytes: header, then <paramref name="byte6"/> … <paramref name="byte9"/>.</summary>
    public static int Write(Span<byte> destination, PduType type, byte byte6, byte byte7, byte byte8, byte byte9)
    {
        if (destination.Length < EncodedLength)
        {
            PduThrowHelper.ThrowDestinationTooSmall(EncodedLength);
        }

        destination[PduHeader.TypeOffset] = (byte)type;
        destination[PduHeader.ReservedOffset] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[PduHeader.LengthOffset..], PduLength);
        destination[6] = byte6;
        destination[7] = byte7;
        destination[8] = byte8;
        destination[9] = byte9;
        return EncodedLength;
    }

    /// <summary>Writes the 10 bytes into <paramref name="writer"/>.</summary>
    public static void Write(IBufferWriter<byte> writer, PduType type, byte byte6, byte byte7, byte byte8, byte byte9)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> span = writer.GetSpan(EncodedLength);
        Write(span, type, byte6, byte7, byte8, byte9);
        writer.Advance(EncodedLength);
    }
}
