using System;
using System.Buffers.Binary;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// Walks the items of one container (the variable part of an A-ASSOCIATE PDU, a presentation context, the user
/// information item). Each item is, big-endian:
/// <code>
/// offset  size  field
///   0      1    item-type
///   1      1    reserved (the sub-item version in 0x57)
///   2      2    item-length: u16 BE, the bytes after this header
///   4      n    value
/// </code>
/// Every item-length is checked against what remains of the container before the value is sliced, and the number
/// of items is bounded, so hostile bytes end the walk with an error, never an exception.
/// </summary>
internal ref struct ItemReader
{
    /// <summary>Size of an item header.</summary>
    public const int HeaderLength = 4;

    /// <summary>Offset of the u16 big-endian item-length.</summary>
    public const int LengthOffset = 2;

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly int _baseOffset;
    private readonly int _maxItems;
    private readonly byte _containerType;
    private int _position;
    private int _count;

    /// <param name="container">The container's value bytes.</param>
    /// <param name="baseOffset">Offset of <paramref name="container"/>[0] from the start of the PDU, for errors.</param>
    /// <param name="maxItems">The most items accepted (<see cref="int.MaxValue"/> when bounded elsewhere).</param>
    /// <param name="containerType">The container's item type, reported with <see cref="PduRejectReason.TooManySubItems"/>.</param>
    public ItemReader(ReadOnlySpan<byte> container, int baseOffset, int maxItems, byte containerType)
    {
        _buffer = container;
        _baseOffset = baseOffset;
        _maxItems = maxItems;
        _containerType = containerType;
        _position = 0;
        _count = 0;
        Error = default;
        ValueOffset = 0;
    }

    /// <summary>The fault that ended the walk; none when it ended at the end of the container.</summary>
    public PduError Error { get; private set; }

    /// <summary>Offset from the start of the PDU of the value of the item last read.</summary>
    public int ValueOffset { get; private set; }

    /// <summary>Reads the next item; false at the end of the container or on a fault (see <see cref="Error"/>).</summary>
    public bool TryRead(out byte type, out byte headerByte, out ReadOnlySpan<byte> value)
    {
        type = 0;
        headerByte = 0;
        value = default;
        int remaining = _buffer.Length - _position;
        if (remaining == 0)
        {
            return false;
        }

        int itemOffset = _baseOffset + _position;
        if (remaining < HeaderLength)
        {
            return Fail(new PduError(PduRejectReason.ItemHeaderTruncated, itemOffset, remaining, _buffer[_position]));
        }

        if (_count >= _maxItems)
        {
            return Fail(new PduError(PduRejectReason.TooManySubItems, itemOffset, _maxItems, _containerType));
        }

        type = _buffer[_position];
        headerByte = _buffer[_position + 1];
        int length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(_position + LengthOffset));
        if (length > remaining - HeaderLength)
        {
            return Fail(new PduError(PduRejectReason.ItemLengthPastEnd, itemOffset, length, type));
        }

        value = _buffer.Slice(_position + HeaderLength, length);
        ValueOffset = itemOffset + HeaderLength;
        _position += HeaderLength + length;
        _count++;
        return true;
    }

    private bool Fail(PduError error)
    {
        Error = error;
        _position = _buffer.Length;
        return false;
    }
}
