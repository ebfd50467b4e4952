using System;
using System.Buffers.Binary;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// Reads the fields inside one item value, big-endian: single bytes, u16 and u32 values, and u16-length-prefixed
/// fields (the UIDs and byte strings of PS3.7 Annex D.3.3.4–D.3.3.7). A fixed field missing from the value is
/// <see cref="PduRejectReason.InvalidItemLength"/>; a prefixed field longer than what remains is
/// <see cref="PduRejectReason.FieldLengthPastEnd"/>.
/// </summary>
internal ref struct FieldReader
{
    private readonly ReadOnlySpan<byte> _value;
    private readonly int _baseOffset;
    private readonly byte _itemType;
    private int _position;

    /// <param name="value">The item value (after its 4-byte header).</param>
    /// <param name="baseOffset">Offset of <paramref name="value"/>[0] from the start of the PDU.</param>
    /// <param name="itemType">The item's type, for errors.</param>
    public FieldReader(ReadOnlySpan<byte> value, int baseOffset, byte itemType)
    {
        _value = value;
        _baseOffset = baseOffset;
        _itemType = itemType;
        _position = 0;
        Error = default;
    }

    /// <summary>The first fault met.</summary>
    public PduError Error { get; private set; }

    /// <summary>Offset from the start of the PDU of the next byte to read.</summary>
    public readonly int Offset => _baseOffset + _position;

    /// <summary>The bytes not read yet.</summary>
    public readonly ReadOnlySpan<byte> Rest => _value[_position..];

    public bool TryReadByte(out byte value)
    {
        if (_position >= _value.Length)
        {
            value = 0;
            return FailFixed();
        }

        value = _value[_position++];
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        if (_value.Length - _position < 2)
        {
            value = 0;
            return FailFixed();
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_value[_position..]);
        _position += 2;
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        if (_value.Length - _position < 4)
        {
            value = 0;
            return FailFixed();
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(_value[_position..]);
        _position += 4;
        return true;
    }

    /// <summary>Skips <paramref name="count"/> reserved bytes (never tested).</summary>
    public bool TrySkip(int count)
    {
        if (_value.Length - _position < count)
        {
            return FailFixed();
        }

        _position += count;
        return true;
    }

    /// <summary>Reads a u16 BE length, then that many bytes.</summary>
    public bool TryReadPrefixed(out ReadOnlySpan<byte> field)
    {
        field = default;
        int lengthOffset = Offset;
        if (!TryReadUInt16(out ushort length))
        {
            return false;
        }

        if (length > _value.Length - _position)
        {
            Error = new PduError(PduRejectReason.FieldLengthPastEnd, lengthOffset, length, _itemType);
            return false;
        }

        field = _value.Slice(_position, length);
        _position += length;
        return true;
    }

    /// <summary>Reads a length-prefixed UID, trimmed as <see cref="UidCodec.TryDecode"/> does.</summary>
    public bool TryReadPrefixedUid(out DicomUid uid)
    {
        uid = default;
        int fieldOffset = Offset;
        if (!TryReadPrefixed(out ReadOnlySpan<byte> field))
        {
            return false;
        }

        if (!UidCodec.TryDecode(field, fieldOffset, _itemType, out uid, out PduError error))
        {
            Error = error;
            return false;
        }

        return true;
    }

    private bool FailFixed()
    {
        Error = new PduError(PduRejectReason.InvalidItemLength, _baseOffset - ItemReader.HeaderLength, _value.Length, _itemType);
        return false;
    }
}
