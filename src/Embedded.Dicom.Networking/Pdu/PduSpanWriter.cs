using System;
using System.Buffers.Binary;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// Sequential big-endian writer used by the association PDU encoders. The encoders size the destination with
/// GetEncodedLength first, so the writer does not re-check bounds beyond what span indexing does.
/// </summary>
internal ref struct PduSpanWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public PduSpanWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Position => _position;

    public void WriteByte(byte value) => _buffer[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[_position..], value);
        _position += 4;
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer[_position..]);
        _position += value.Length;
    }

    /// <summary>Writes <paramref name="count"/> zero bytes (reserved fields).</summary>
    public void WriteZeros(int count)
    {
        _buffer.Slice(_position, count).Clear();
        _position += count;
    }

    /// <summary>Writes the AE title space-padded to 16 bytes.</summary>
    public void WriteAeTitle(scoped in AeTitle title)
    {
        title.WritePadded16(_buffer.Slice(_position, AeTitle.MaxLength));
        _position += AeTitle.MaxLength;
    }

    /// <summary>Writes an item header: type, second byte, u16 length. The length was checked by the sizing pass.</summary>
    public void WriteItemHeader(ItemType type, int valueLength, byte headerByte = 0)
    {
        WriteByte((byte)type);
        WriteByte(headerByte);
        WriteUInt16((ushort)valueLength);
    }

    /// <summary>Writes a u16 length then the bytes.</summary>
    public void WritePrefixed(scoped ReadOnlySpan<byte> value)
    {
        WriteUInt16((ushort)value.Length);
        WriteBytes(value);
    }

    /// <summary>Writes a whole UID sub-item, unpadded.</summary>
    public void WriteUidItem(ItemType type, scoped in DicomUid uid)
    {
        WriteItemHeader(type, uid.Length);
        WriteBytes(uid.Span);
    }
}

/// <summary>Checks on the sizes the encoders compute before writing.</summary>
internal static class ItemLength
{
    /// <summary>The largest value of a u16 item-length field.</summary>
    public const int Max = ushort.MaxValue;

    /// <summary>Returns <paramref name="valueLength"/> + 4 (the whole item), or throws when the value does not fit a u16 length.</summary>
    public static int Checked(string item, int valueLength)
    {
        if (valueLength > Max)
        {
            PduThrowHelper.ThrowItemTooLong(item, valueLength);
        }

        return ItemReader.HeaderLength + valueLength;
    }
}
