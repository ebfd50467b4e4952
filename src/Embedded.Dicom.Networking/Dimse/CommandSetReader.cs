using System;
using System.Buffers.Binary;

namespace Embedded.Dicom.Networking.Dimse;

/// <summary>
/// Walks the elements of a command set in one pass (PS3.7 §6.3.1, Implicit VR Little Endian):
/// <code>
/// offset  size  field
///   0      2    group   (u16 LE, must be 0x0000)
///   2      2    element (u16 LE)
///   4      4    value length (u32 LE, even, within the remaining bytes)
///   8      n    value
/// </code>
/// Every length is checked against what remains before the value is sliced, so hostile bytes produce an
/// error, never an exception or an allocation.
/// </summary>
public ref struct CommandSetReader
{
    /// <summary>Size of an implicit-VR element header.</summary>
    public const int ElementHeaderLength = 8;

    private readonly ReadOnlySpan<byte> _buffer;
    private int _offset;

    /// <summary>Reads <paramref name="commandSet"/>.</summary>
    public CommandSetReader(ReadOnlySpan<byte> commandSet)
    {
        _buffer = commandSet;
        _offset = 0;
        Error = default;
    }

    /// <summary>The error that ended the walk; none when it ended at the end of the bytes.</summary>
    public CommandSetError Error { get; private set; }

    /// <summary>
    /// Reads the next element. False at the end of the command set or on an error (see <see cref="Error"/>).
    /// </summary>
    public bool TryReadElement(out uint tag, out ReadOnlySpan<byte> value)
    {
        value = default;
        tag = 0;
        int remaining = _buffer.Length - _offset;
        if (remaining == 0)
        {
            return false;
        }

        if (remaining < ElementHeaderLength)
        {
            Error = new CommandSetError(CommandSetErrorKind.Truncated, 0, _offset);
            return false;
        }

        ReadOnlySpan<byte> header = _buffer.Slice(_offset, ElementHeaderLength);
        ushort group = BinaryPrimitives.ReadUInt16LittleEndian(header);
        ushort element = BinaryPrimitives.ReadUInt16LittleEndian(header[2..]);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        tag = ((uint)group << 16) | element;
        if (group != 0)
        {
            Error = new CommandSetError(CommandSetErrorKind.NotCommandElement, tag);
            return false;
        }

        if (length > (uint)(remaining - ElementHeaderLength))
        {
            Error = new CommandSetError(CommandSetErrorKind.LengthPastEnd, tag, unchecked((int)length));
            return false;
        }

        if ((length & 1) != 0)
        {
            Error = new CommandSetError(CommandSetErrorKind.OddLength, tag, (int)length);
            return false;
        }

        value = _buffer.Slice(_offset + ElementHeaderLength, (int)length);
        _offset += ElementHeaderLength + (int)length;
        return true;
    }
}
