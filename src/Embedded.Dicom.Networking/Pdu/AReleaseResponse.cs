using System;
using System.Buffers;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The A-RELEASE-RP PDU (PS3.8 §9.3.7, Table 9-25): 10 bytes, big-endian header, no parameters.
/// <code>
/// offset  size  field
///   0      1    PDU-type 0x06
///   1      1    reserved
///   2      4    PDU-length = 4 (u32 BE)
///   6      4    reserved
/// </code>
/// Reserved bytes are sent as 0 and never tested on receipt.
/// </summary>
public readonly struct AReleaseResponse : IEquatable<AReleaseResponse>
{
    /// <summary>The whole PDU size.</summary>
    public const int EncodedLength = FixedLengthPdu.EncodedLength;

    /// <summary>Offset of the 4 reserved bytes that follow the header.</summary>
    public const int ReservedOffset = PduHeader.Size;

    /// <summary>Checks the 4-byte body returned by <see cref="PduReader.TryReadPdu"/>.</summary>
    public static PduReadStatus TryRead(ReadOnlySequence<byte> body, out AReleaseResponse pdu, out PduError error)
    {
        pdu = default;
        Span<byte> fields = stackalloc byte[FixedLengthPdu.PduLength];
        return FixedLengthPdu.TryReadBody(body, PduType.AReleaseResponse, fields, out error);
    }

    /// <summary>Checks the 4-byte body.</summary>
    public static PduReadStatus TryRead(ReadOnlySpan<byte> body, out AReleaseResponse pdu, out PduError error)
    {
        pdu = default;
        Span<byte> fields = stackalloc byte[FixedLengthPdu.PduLength];
        return FixedLengthPdu.TryReadBody(body, PduType.AReleaseResponse, fields, out error);
    }

    /// <summary>The encoded size, 10 bytes.</summary>
    public int GetEncodedLength() => EncodedLength;

    /// <summary>Writes the whole PDU; returns 10.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 10 bytes.</exception>
    public int Write(Span<byte> destination) => FixedLengthPdu.Write(destination, PduType.AReleaseResponse, 0, 0, 0, 0);

    /// <summary>Writes the whole PDU into <paramref name="writer"/>.</summary>
    public void Write(IBufferWriter<byte> writer) => FixedLengthPdu.Write(writer, PduType.AReleaseResponse, 0, 0, 0, 0);

    /// <summary>Always true: the PDU has no parameters.</summary>
    public bool Equals(AReleaseResponse other) => true;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is AReleaseResponse;

    /// <inheritdoc/>
    public override int GetHashCode() => (int)PduType.AReleaseResponse;

    /// <summary>The PDU name.</summary>
    public override string ToString() => "A-RELEASE-RP";

    /// <summary>Always true.</summary>
    public static bool operator ==(AReleaseResponse left, AReleaseResponse right) => left.Equals(right);

    /// <summary>Always false.</summary>
    public static bool operator !=(AReleaseResponse left, AReleaseResponse right) => !left.Equals(right);
}
