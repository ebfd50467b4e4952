using System;
using System.Buffers.Binary;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The 6-byte header shared by every PDU (PS3.8 §9.3.1; first rows of Tables 9-11, 9-17, 9-21, 9-22, 9-24,
/// 9-25 and 9-26). Big-endian.
/// <code>
/// offset  size  field
///   0      1    PDU-type (0x01–0x07)
///   1      1    reserved (sent as 0x00, not tested on receipt)
///   2      4    PDU-length: u32 BE, the number of bytes that follow this header
/// </code>
/// </summary>
public readonly struct PduHeader : IEquatable<PduHeader>
{
    /// <summary>Size of the header on the wire.</summary>
    public const int Size = 6;

    /// <summary>Offset of the PDU-type byte.</summary>
    public const int TypeOffset = 0;

    /// <summary>Offset of the reserved byte.</summary>
    public const int ReservedOffset = 1;

    /// <summary>Offset of the u32 big-endian PDU-length.</summary>
    public const int LengthOffset = 2;

    /// <summary>Creates a header.</summary>
    /// <param name="type">The PDU type.</param>
    /// <param name="pduLength">The PDU-length field: the bytes after the 6-byte header.</param>
    public PduHeader(PduType type, uint pduLength)
    {
        Type = type;
        PduLength = pduLength;
    }

    /// <summary>The PDU type.</summary>
    public PduType Type { get; }

    /// <summary>The PDU-length field: the number of bytes after the 6-byte header.</summary>
    public uint PduLength { get; }

    /// <summary>The whole PDU size, header included.</summary>
    public long TotalLength => Size + (long)PduLength;

    /// <summary>
    /// Reads a header from the first 6 bytes of <paramref name="source"/>; false when fewer are given. The type is
    /// not validated here (see <see cref="PduReader.TryReadPdu"/>).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out PduHeader header)
    {
        if (source.Length < Size)
        {
            header = default;
            return false;
        }

        header = new PduHeader((PduType)source[TypeOffset], BinaryPrimitives.ReadUInt32BigEndian(source[LengthOffset..]));
        return true;
    }

    /// <summary>Writes the 6 header bytes, the reserved byte as zero.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 6 bytes.</exception>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            PduThrowHelper.ThrowDestinationTooSmall(Size);
        }

        destination[TypeOffset] = (byte)Type;
        destination[ReservedOffset] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[LengthOffset..], PduLength);
    }

    /// <inheritdoc/>
    public bool Equals(PduHeader other) => Type == other.Type && PduLength == other.PduLength;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PduHeader other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Type, PduLength);

    /// <summary>Equality of type and length.</summary>
    public static bool operator ==(PduHeader left, PduHeader right) => left.Equals(right);

    /// <summary>Inequality of type or length.</summary>
    public static bool operator !=(PduHeader left, PduHeader right) => !left.Equals(right);
}
