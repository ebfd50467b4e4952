using System;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace Embedded.Dicom.Networking.Dimse;

/// <summary>
/// Element readers and writers that the generated command-set codecs call (PS3.7 §6.3.1, Implicit VR
/// Little Endian). Kept hand-written and tested once, so that each generated codec is a short list of calls.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CommandSetPrimitives
{
    /// <summary>(0000,0800) value that means "no data set follows" (PS3.7 Annex E).</summary>
    public const ushort NoDataSet = 0x0101;

    /// <summary>
    /// (0000,0800) value written when a data set follows. Receivers must test only for 0x0101; DCMTK and
    /// pynetdicom send 0x0001 too, so peers that compare against it are satisfied.
    /// </summary>
    public const ushort DataSetPresent = 0x0001;

    /// <summary>Header (8) plus the UL value (4) of (0000,0000).</summary>
    public const int GroupLengthElementLength = 12;

    /// <summary>Encoded size of an element with a value of <paramref name="valueLength"/> bytes, padded to even.</summary>
    public static int ElementLength(int valueLength) => CommandSetReader.ElementHeaderLength + valueLength + (valueLength & 1);

    /// <summary>Encoded size of a US element.</summary>
    public const int USElementLength = CommandSetReader.ElementHeaderLength + 2;

    /// <summary>Encoded size of a UL element.</summary>
    public const int ULElementLength = CommandSetReader.ElementHeaderLength + 4;

    private static void WriteHeader(Span<byte> destination, ref int offset, uint tag, int length)
    {
        Span<byte> header = destination.Slice(offset, CommandSetReader.ElementHeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(tag >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)tag);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)length);
        offset += CommandSetReader.ElementHeaderLength;
    }

    /// <summary>Writes (0000,0000) CommandGroupLength = total length − 12 (PS3.7 Annex E).</summary>
    public static void WriteGroupLength(Span<byte> destination, ref int offset, int totalLength)
        => WriteUL(destination, ref offset, CommandTag.CommandGroupLength, (uint)(totalLength - GroupLengthElementLength));

    /// <summary>Writes a UL element.</summary>
    public static void WriteUL(Span<byte> destination, ref int offset, uint tag, uint value)
    {
        WriteHeader(destination, ref offset, tag, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[offset..], value);
        offset += 4;
    }

    /// <summary>Writes a US element.</summary>
    public static void WriteUS(Span<byte> destination, ref int offset, uint tag, ushort value)
    {
        WriteHeader(destination, ref offset, tag, 2);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], value);
        offset += 2;
    }

    /// <summary>Writes bytes padded to even length with <paramref name="pad"/> (NUL for UI, space for AE/LO; PS3.5 §6.2).</summary>
    public static void WritePadded(Span<byte> destination, ref int offset, uint tag, ReadOnlySpan<byte> value, byte pad)
    {
        int padded = value.Length + (value.Length & 1);
        WriteHeader(destination, ref offset, tag, padded);
        value.CopyTo(destination[offset..]);
        if ((value.Length & 1) != 0)
        {
            destination[offset + value.Length] = pad;
        }

        offset += padded;
    }

    /// <summary>Writes a UI element, NUL-padded (PS3.5 §9.1).</summary>
    public static void WriteUI(Span<byte> destination, ref int offset, uint tag, in DicomUid value)
        => WritePadded(destination, ref offset, tag, value.Span, 0);

    /// <summary>Writes an AE element, space-padded.</summary>
    public static void WriteAE(Span<byte> destination, ref int offset, uint tag, in AeTitle value)
        => WritePadded(destination, ref offset, tag, value.Span, (byte)' ');

    /// <summary>Writes an LO element, space-padded.</summary>
    public static void WriteLO(Span<byte> destination, ref int offset, uint tag, in LongString value)
        => WritePadded(destination, ref offset, tag, value.Span, (byte)' ');

    /// <summary>Writes an AT element: each tag as group u16 then element u16, little endian.</summary>
    public static void WriteAT(Span<byte> destination, ref int offset, uint tag, in DicomTagList value)
    {
        ReadOnlySpan<uint> tags = value.Span;
        WriteHeader(destination, ref offset, tag, tags.Length * 4);
        foreach (uint t in tags)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], (ushort)(t >> 16));
            BinaryPrimitives.WriteUInt16LittleEndian(destination[(offset + 2)..], (ushort)t);
            offset += 4;
        }
    }

    /// <summary>Reads a US value (exactly 2 bytes; VM 1).</summary>
    public static bool TryReadUS(uint tag, ReadOnlySpan<byte> value, out ushort result, out CommandSetError error)
    {
        if (value.Length != 2)
        {
            result = 0;
            error = new CommandSetError(CommandSetErrorKind.WrongValueSize, tag, value.Length);
            return false;
        }

        result = BinaryPrimitives.ReadUInt16LittleEndian(value);
        error = default;
        return true;
    }

    /// <summary>Reads a UL value (exactly 4 bytes; VM 1).</summary>
    public static bool TryReadUL(uint tag, ReadOnlySpan<byte> value, out uint result, out CommandSetError error)
    {
        if (value.Length != 4)
        {
            result = 0;
            error = new CommandSetError(CommandSetErrorKind.WrongValueSize, tag, value.Length);
            return false;
        }

        result = BinaryPrimitives.ReadUInt32LittleEndian(value);
        error = default;
        return true;
    }

    /// <summary>Reads a UI value (at most 64 bytes after padding is removed).</summary>
    public static bool TryReadUI(uint tag, ReadOnlySpan<byte> value, out DicomUid result, out CommandSetError error)
    {
        if (!DicomUid.TryCreate(value, out result))
        {
            error = new CommandSetError(CommandSetErrorKind.WrongValueSize, tag, value.Length);
            return false;
        }

        error = default;
        return true;
    }

    /// <summary>Reads an AE value (at most 16 significant bytes of the default repertoire).</summary>
    public static bool TryReadAE(uint tag, ReadOnlySpan<byte> value, out AeTitle result, out CommandSetError error)
    {
        if (!AeTitle.TryCreate(value, out result))
        {
            error = new CommandSetError(CommandSetErrorKind.WrongValueSize, tag, value.Length);
            return false;
        }

        error = default;
        return true;
    }

    /// <summary>Reads an LO value (at most 64 bytes after padding is removed).</summary>
    public static bool TryReadLO(uint tag, ReadOnlySpan<byte> value, out LongString result, out CommandSetError error)
    {
        if (!LongString.TryCreate(value, out result))
        {
            error = new CommandSetError(CommandSetErrorKind.WrongValueSize, tag, value.Length);
            return false;
        }

        error = default;
        return true;
    }

    /// <summary>Reads an AT value with VM 1-n (a multiple of 4 bytes, at most <see cref="DicomTagList.Capacity"/> tags).</summary>
    public static bool TryReadAT(uint tag, ReadOnlySpan<byte> value, out DicomTagList result, out CommandSetError error)
    {
        result = default;
        if ((value.Length & 3) != 0 || value.Length / 4 > DicomTagList.Capacity)
        {
            error = new CommandSetError(CommandSetErrorKind.WrongValueSize, tag, value.Length);
            return false;
        }

        for (int i = 0; i < value.Length; i += 4)
        {
            uint group = BinaryPrimitives.ReadUInt16LittleEndian(value[i..]);
            uint element = BinaryPrimitives.ReadUInt16LittleEndian(value[(i + 2)..]);
            result.TryAdd((group << 16) | element);
        }

        error = default;
        return true;
    }

    /// <summary>
    /// Finds (0000,0100) CommandField without decoding the rest, for dispatch. Every element header on the
    /// way is checked as in <see cref="CommandSetReader"/>.
    /// </summary>
    public static bool TryPeekCommandField(ReadOnlySpan<byte> commandSet, out ushort commandField, out CommandSetError error)
    {
        var reader = new CommandSetReader(commandSet);
        while (reader.TryReadElement(out uint tag, out ReadOnlySpan<byte> value))
        {
            if (tag == CommandTag.CommandField)
            {
                return TryReadUS(tag, value, out commandField, out error);
            }

            if (tag > CommandTag.CommandField)
            {
                // Elements are in ascending order in a conformant command set, but order is not trusted:
                // keep walking.
                continue;
            }
        }

        commandField = 0;
        error = reader.Error.IsNone ? new CommandSetError(CommandSetErrorKind.MissingMandatoryElement, CommandTag.CommandField) : reader.Error;
        return false;
    }

    /// <summary>
    /// Reads (0000,0800) CommandDataSetType without decoding the rest: <paramref name="hasDataSet"/> is true for
    /// any value other than 0x0101 (PS3.7 Annex E). False when the element is missing or the bytes are invalid.
    /// </summary>
    public static bool TryReadHasDataSet(ReadOnlySpan<byte> commandSet, out bool hasDataSet)
    {
        hasDataSet = false;
        var reader = new CommandSetReader(commandSet);
        while (reader.TryReadElement(out uint tag, out ReadOnlySpan<byte> value))
        {
            if (tag == CommandTag.CommandDataSetType)
            {
                if (!TryReadUS(tag, value, out ushort type, out _))
                {
                    return false;
                }

                hasDataSet = type != NoDataSet;
                return true;
            }
        }

        return false;
    }

    /// <summary>Throws the error of a command that cannot be encoded (kept out of line: conventions C8).</summary>
    [DoesNotReturn]
    public static void ThrowInvalidCommand(CommandSetError error)
        => throw new InvalidOperationException("The command set cannot be encoded: " + error.ToString());
}
