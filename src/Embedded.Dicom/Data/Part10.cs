using System;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Embedded.Dicom.Data;

/// <summary>
/// The DICOM File Format of PS3.10 §7.1: a 128-byte preamble, the four bytes "DICM", the File Meta
/// Information (group 0002, Table 7.1-1, always Explicit VR Little Endian whatever its (0002,0010) says),
/// then the data set in the transfer syntax named by (0002,0010).
/// </summary>
/// <remarks>
/// Layout written by <see cref="WriteFileMetaInformation"/> (little endian, Explicit VR, PS3.5 §7.1.2):
/// <code>
/// offset  length  content
///      0     128  preamble, all zero (PS3.10 §7.1: zeros when not used)
///    128       4  "DICM"
///    132      12  (0002,0000) UL, length 4, value = bytes of all further group 0002 elements
///    144      14  (0002,0001) OB, 2 reserved bytes, u32 length 2, value 00 01
///    158  8 + n   (0002,0002) UI Media Storage SOP Class UID, NUL-padded to even length
///     ..  8 + n   (0002,0003) UI Media Storage SOP Instance UID
///     ..  8 + n   (0002,0010) UI Transfer Syntax UID
///     ..  8 + n   (0002,0012) UI Implementation Class UID
///     ..  8 + n   (0002,0013) SH Implementation Version Name, space-padded (only when not empty)
///     ..  8 + n   (0002,0016) AE Source Application Entity Title, space-padded (only when not empty)
/// </code>
/// </remarks>
public static class Part10
{
    /// <summary>Length of the file preamble, PS3.10 §7.1.</summary>
    public const int PreambleLength = 128;

    /// <summary>Offset of the first group 0002 element: preamble plus the "DICM" prefix.</summary>
    public const int MetaElementsOffset = PreambleLength + 4;

    private const int ValueBufferLength = 256;
    private const uint UndefinedLength = 0xFFFFFFFF;

    private static ReadOnlySpan<byte> Prefix => "DICM"u8;

    /// <summary>
    /// Reads the preamble, the "DICM" prefix and the group 0002 elements from the current position of a
    /// readable, seekable <paramref name="stream"/> (that position is offset 0 of the file). On success the
    /// stream is left positioned at the data set. Each element length is checked against the stream length
    /// before it is used; (0002,0000) group length is read but not trusted: the group ends at the first
    /// element whose group is not 0002.
    /// </summary>
    /// <returns>False, with a sentence in <paramref name="error"/>, for anything that is not a PS3.10 file.</returns>
    public static bool TryReadFileMetaInformation(Stream stream, [NotNullWhen(true)] out Part10FileInfo? info, out string? error)
    {
        ArgumentNullException.ThrowIfNull(stream);
        info = null;
        if (!stream.CanRead || !stream.CanSeek)
        {
            error = "The stream must be readable and seekable to find where the file meta information ends.";
            return false;
        }

        long start = stream.Position;
        var source = new StreamSource(stream, start);
        var result = new Part10FileInfo();
        if (!TryRead(ref source, stream.Length - start, result, decodeTexts: true, out error))
        {
            return false;
        }

        info = result;
        stream.Position = start + info.DataSetOffset;
        return true;
    }

    /// <summary>
    /// Reads the file meta information from the start of the file behind <paramref name="handle"/> with
    /// <see cref="RandomAccess.Read(SafeFileHandle, Span{byte}, long)"/>; same checks as the stream overload.
    /// </summary>
    public static bool TryReadFileMetaInformation(SafeFileHandle handle, [NotNullWhen(true)] out Part10FileInfo? info, out string? error)
    {
        ArgumentNullException.ThrowIfNull(handle);
        byte[] window = System.Buffers.ArrayPool<byte>.Shared.Rent(WindowSize);
        try
        {
            var source = new WindowedSource<HandleReader>(new HandleReader(handle), window);
            var result = new Part10FileInfo();
            if (!TryRead(ref source, RandomAccess.GetLength(handle), result, decodeTexts: true, out error))
            {
                info = null;
                return false;
            }

            info = result;
            return true;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(window);
        }
    }

    /// <summary>
    /// The number of bytes <see cref="WriteFileMetaInformation"/> writes for these values: preamble, prefix
    /// and the group 0002 elements.
    /// </summary>
    /// <exception cref="ArgumentException">A UID is empty, or a text is longer than 16 bytes.</exception>
    public static int GetFileMetaInformationLength(
        in DicomUid sopClass,
        in DicomUid sopInstance,
        in DicomUid transferSyntax,
        in DicomUid implementationClassUid,
        ReadOnlySpan<byte> implementationVersionName,
        ReadOnlySpan<byte> sourceAeTitle)
    {
        Validate(sopClass, sopInstance, transferSyntax, implementationClassUid, implementationVersionName, sourceAeTitle);
        return MetaElementsOffset + 12 + GroupLengthValue(sopClass, sopInstance, transferSyntax, implementationClassUid, implementationVersionName, sourceAeTitle);
    }

    /// <summary>
    /// Writes the preamble (zeros), "DICM" and the File Meta Information elements of PS3.10 Table 7.1-1 in
    /// Explicit VR Little Endian, with the (0002,0000) group length computed here. UIDs are padded with NUL,
    /// texts with spaces, to even length (PS3.5 §6.2); (0002,0013) and (0002,0016) are left out when empty.
    /// </summary>
    /// <returns>The number of bytes written (<see cref="GetFileMetaInformationLength"/>).</returns>
    /// <exception cref="ArgumentException">A UID is empty, a text is longer than 16 bytes, or <paramref name="destination"/> is too short.</exception>
    public static int WriteFileMetaInformation(
        Span<byte> destination,
        in DicomUid sopClass,
        in DicomUid sopInstance,
        in DicomUid transferSyntax,
        in DicomUid implementationClassUid,
        ReadOnlySpan<byte> implementationVersionName,
        ReadOnlySpan<byte> sourceAeTitle)
    {
        int total = GetFileMetaInformationLength(sopClass, sopInstance, transferSyntax, implementationClassUid, implementationVersionName, sourceAeTitle);
        if (destination.Length < total)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; the file meta information needs {total}.", nameof(destination));
        }

        destination[..PreambleLength].Clear();
        Prefix.CopyTo(destination[PreambleLength..]);
        int offset = MetaElementsOffset;

        // (0002,0000) UL File Meta Information Group Length: the bytes after this element to the end of group 0002.
        offset += WriteShortHeader(destination[offset..], 0x0000, ValueRepresentation.UL, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[offset..], (uint)(total - offset - 4));
        offset += 4;

        // (0002,0001) OB File Meta Information Version: 00 01 (PS3.10 §7.1), OB always in the long form.
        BinaryPrimitives.WriteUInt32LittleEndian(destination[offset..], 0x0001_0002);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 4)..], (ushort)ValueRepresentation.OB);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[(offset + 6)..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[(offset + 8)..], 2);
        destination[offset + 12] = 0x00;
        destination[offset + 13] = 0x01;
        offset += 14;

        offset += WriteText(destination[offset..], 0x0002, ValueRepresentation.UI, sopClass.Span, 0);
        offset += WriteText(destination[offset..], 0x0003, ValueRepresentation.UI, sopInstance.Span, 0);
        offset += WriteText(destination[offset..], 0x0010, ValueRepresentation.UI, transferSyntax.Span, 0);
        offset += WriteText(destination[offset..], 0x0012, ValueRepresentation.UI, implementationClassUid.Span, 0);
        if (!implementationVersionName.IsEmpty)
        {
            offset += WriteText(destination[offset..], 0x0013, ValueRepresentation.SH, implementationVersionName, (byte)' ');
        }

        if (!sourceAeTitle.IsEmpty)
        {
            offset += WriteText(destination[offset..], 0x0016, ValueRepresentation.AE, sourceAeTitle, (byte)' ');
        }

        return offset;
    }

    private static void Validate(
        in DicomUid sopClass,
        in DicomUid sopInstance,
        in DicomUid transferSyntax,
        in DicomUid implementationClassUid,
        ReadOnlySpan<byte> implementationVersionName,
        ReadOnlySpan<byte> sourceAeTitle)
    {
        // PS3.10 Table 7.1-1: the four UIDs are type 1; SH and AE values hold at most 16 bytes (PS3.5 Table 6.2-1).
        if (sopClass.IsEmpty || sopInstance.IsEmpty || transferSyntax.IsEmpty || implementationClassUid.IsEmpty)
        {
            throw new ArgumentException("The SOP class, SOP instance, transfer syntax and implementation class UIDs are type 1 in PS3.10 Table 7.1-1 and must not be empty.");
        }

        if (implementationVersionName.Length > 16)
        {
            throw new ArgumentException("An Implementation Version Name (SH) holds at most 16 bytes.", nameof(implementationVersionName));
        }

        if (sourceAeTitle.Length > AeTitle.MaxLength)
        {
            throw new ArgumentException("A Source Application Entity Title (AE) holds at most 16 bytes.", nameof(sourceAeTitle));
        }
    }

    private static int GroupLengthValue(
        in DicomUid sopClass,
        in DicomUid sopInstance,
        in DicomUid transferSyntax,
        in DicomUid implementationClassUid,
        ReadOnlySpan<byte> implementationVersionName,
        ReadOnlySpan<byte> sourceAeTitle)
    {
        int length = 14
            + 8 + Even(sopClass.Length)
            + 8 + Even(sopInstance.Length)
            + 8 + Even(transferSyntax.Length)
            + 8 + Even(implementationClassUid.Length);
        if (!implementationVersionName.IsEmpty)
        {
            length += 8 + Even(implementationVersionName.Length);
        }

        if (!sourceAeTitle.IsEmpty)
        {
            length += 8 + Even(sourceAeTitle.Length);
        }

        return length;
    }

    private static int Even(int length) => (length + 1) & ~1;

    private static int WriteShortHeader(Span<byte> destination, ushort element, ValueRepresentation vr, int length)
    {
        // PS3.5 §7.1.2, Table 7.1-2: tag (group, element), VR as two ASCII bytes, u16 length.
        BinaryPrimitives.WriteUInt16LittleEndian(destination, 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], element);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)vr);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], (ushort)length);
        return 8;
    }

    private static int WriteText(Span<byte> destination, ushort element, ValueRepresentation vr, ReadOnlySpan<byte> value, byte padding)
    {
        int length = Even(value.Length);
        int offset = WriteShortHeader(destination, element, vr, length);
        value.CopyTo(destination[offset..]);
        if (length != value.Length)
        {
            destination[offset + value.Length] = padding;
        }

        return offset + length;
    }

    /// <summary>
    /// The allocation-free form for a caller that reads the file itself (the C ABI's edicom_store_file, over
    /// pread(2)): reads the meta group from offset 0 of <paramref name="source"/> into <paramref name="into"/>,
    /// which is reset first and reused from call to call. (0002,0013) and (0002,0016) are left null: decoding
    /// them would make two strings per file that a C-STORE never uses.
    /// </summary>
    internal static bool TryReadFileMetaInformation<TSource>(ref TSource source, long fileLength, Part10FileInfo into, out string? error)
        where TSource : struct, IFileSource
        => TryRead(ref source, fileLength, into, decodeTexts: false, out error);

    private static bool TryRead<TSource>(ref TSource source, long fileLength, Part10FileInfo result, bool decodeTexts, out string? error)
        where TSource : struct, IFileSource
    {
        result.MediaStorageSopClassUid = default;
        result.MediaStorageSopInstanceUid = default;
        result.TransferSyntaxUid = default;
        result.ImplementationClassUid = default;
        result.ImplementationVersionName = null;
        result.SourceApplicationEntityTitle = null;
        result.DataSetOffset = 0;
        result.FileLength = fileLength;
        Span<byte> header = stackalloc byte[MetaElementsOffset];
        if (fileLength < MetaElementsOffset || !source.TryReadExactly(header))
        {
            error = $"The file is {fileLength} bytes long, too short for the 128-byte preamble and the 'DICM' prefix of PS3.10 §7.1.";
            return false;
        }

        if (!header[PreambleLength..].SequenceEqual(Prefix))
        {
            error = "There is no 'DICM' prefix after a 128-byte preamble: this is not a PS3.10 file (files without preamble are not accepted).";
            return false;
        }

        bool hasTransferSyntax = false;
        Span<byte> value = stackalloc byte[ValueBufferLength];
        long position = MetaElementsOffset;
        while (position < fileLength)
        {
            // Every group 0002 element is Explicit VR Little Endian (PS3.10 §7.1); the group ends at the first
            // element of another group, which is the data set in its own transfer syntax: only its tag is read.
            if (fileLength - position < 4 || !source.TryReadExactly(header[..4]))
            {
                error = $"The file ends inside the element tag at offset {position}.";
                return false;
            }

            ushort group = BinaryPrimitives.ReadUInt16LittleEndian(header);
            ushort element = BinaryPrimitives.ReadUInt16LittleEndian(header[2..]);
            if (group != 0x0002)
            {
                break;
            }

            if (fileLength - position < 8 || !source.TryReadExactly(header.Slice(4, 4)))
            {
                error = $"The file ends inside the header of (0002,{element:X4}) at offset {position}.";
                return false;
            }

            var vr = (ValueRepresentation)BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
            if (!ExplicitVR.IsKnown(vr))
            {
                error = $"(0002,{element:X4}) at offset {position} has no valid explicit VR; group 0002 is always Explicit VR Little Endian (PS3.10 §7.1).";
                return false;
            }

            long headerLength = 8;
            long length;
            if (ExplicitVR.HasLongLength(vr))
            {
                if (fileLength - position < 12 || !source.TryReadExactly(header.Slice(8, 4)))
                {
                    error = $"The file ends inside the header of (0002,{element:X4}) at offset {position}.";
                    return false;
                }

                headerLength = 12;
                length = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
                if (length == UndefinedLength)
                {
                    error = $"(0002,{element:X4}) at offset {position} has an undefined length, which the file meta information does not allow.";
                    return false;
                }
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
            }

            if (length > fileLength - position - headerLength)
            {
                error = $"(0002,{element:X4}) at offset {position} claims {length} value bytes, past the end of the {fileLength}-byte file.";
                return false;
            }

            bool wanted = element is 0x0000 or 0x0002 or 0x0003 or 0x0010 or 0x0012 or 0x0013 or 0x0016;
            if (!wanted)
            {
                if (!source.TrySkip(length))
                {
                    error = $"The file ends inside the value of (0002,{element:X4}) at offset {position}.";
                    return false;
                }
            }
            else
            {
                if (length > ValueBufferLength)
                {
                    error = $"(0002,{element:X4}) at offset {position} is {length} bytes long, more than such an element can hold.";
                    return false;
                }

                Span<byte> bytes = value[..(int)length];
                if (!source.TryReadExactly(bytes))
                {
                    error = $"The file ends inside the value of (0002,{element:X4}) at offset {position}.";
                    return false;
                }

                switch (element)
                {
                    case 0x0000:
                        // (0002,0000) is read for completeness but the group's end is found by scanning, so a
                        // wrong value (seen in the field) does not hide or swallow elements.
                        if (length != 4)
                        {
                            error = $"(0002,0000) group length has {length} value bytes instead of 4.";
                            return false;
                        }

                        break;
                    case 0x0002:
                    case 0x0003:
                    case 0x0010:
                    case 0x0012:
                        if (!DicomUid.TryCreate(bytes, out DicomUid uid))
                        {
                            error = $"(0002,{element:X4}) holds a UID longer than 64 bytes (PS3.5 §9.1).";
                            return false;
                        }

                        if (element == 0x0002)
                        {
                            result.MediaStorageSopClassUid = uid;
                        }
                        else if (element == 0x0003)
                        {
                            result.MediaStorageSopInstanceUid = uid;
                        }
                        else if (element == 0x0010)
                        {
                            result.TransferSyntaxUid = uid;
                            hasTransferSyntax = !uid.IsEmpty;
                        }
                        else
                        {
                            result.ImplementationClassUid = uid;
                        }

                        break;
                    case 0x0013:
                        result.ImplementationVersionName = decodeTexts ? TrimText(bytes) : null;
                        break;
                    default:
                        result.SourceApplicationEntityTitle = decodeTexts ? TrimText(bytes) : null;
                        break;
                }
            }

            position += headerLength + length;
        }

        if (!hasTransferSyntax)
        {
            error = "The file meta information has no (0002,0010) Transfer Syntax UID, which PS3.10 Table 7.1-1 requires.";
            return false;
        }

        result.DataSetOffset = position;
        error = null;
        return true;
    }

    private static string TrimText(ReadOnlySpan<byte> bytes)
    {
        // SH and AE: leading and trailing spaces are not significant (PS3.5 Table 6.2-1); NULs seen in the field.
        while (!bytes.IsEmpty && (bytes[^1] == (byte)' ' || bytes[^1] == 0))
        {
            bytes = bytes[..^1];
        }

        while (!bytes.IsEmpty && bytes[0] == (byte)' ')
        {
            bytes = bytes[1..];
        }

        return Encoding.Latin1.GetString(bytes);
    }

    /// <summary>Sequential reads from offset 0 of a file, for the meta group parser.</summary>
    internal interface IFileSource
    {
        /// <summary>Fills <paramref name="buffer"/> from the current position; false when the file ends first.</summary>
        bool TryReadExactly(Span<byte> buffer);

        /// <summary>Moves the position on; the caller has checked <paramref name="count"/> against the file length.</summary>
        bool TrySkip(long count);
    }

    private struct StreamSource : IFileSource
    {
        private readonly Stream _stream;

        public StreamSource(Stream stream, long start)
        {
            _stream = stream;
            _stream.Position = start;
        }

        public readonly bool TryReadExactly(Span<byte> buffer) => _stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) == buffer.Length;

        public readonly bool TrySkip(long count)
        {
            // The caller has checked count against the stream length.
            _stream.Seek(count, SeekOrigin.Current);
            return true;
        }
    }

    /// <summary>Bytes read at a time by <see cref="WindowedSource{TReader}"/> for the file overloads.</summary>
    internal const int WindowSize = 4096;

    /// <summary>Positional reads of a file, for <see cref="WindowedSource{TReader}"/>.</summary>
    internal interface IPositionalReader
    {
        /// <summary>Reads at <paramref name="offset"/> into <paramref name="buffer"/>: the byte count, 0 at the end, negative on error.</summary>
        int Read(Span<byte> buffer, long offset);
    }

    /// <summary>
    /// Reads through a window buffer (the caller's, e.g. 4 KiB): the meta group of a typical file is a few
    /// hundred bytes, so one positional read serves every element header instead of one system call per
    /// element. A value larger than the window is read directly. A failed read is "the file ends here".
    /// </summary>
    internal struct WindowedSource<TReader> : IFileSource
        where TReader : struct, IPositionalReader
    {
        private readonly byte[] _window;
        private TReader _reader;
        private long _windowStart;
        private int _windowCount;
        private long _offset;

        public WindowedSource(TReader reader, byte[] window)
        {
            _reader = reader;
            _window = window;
        }

        public bool TryReadExactly(Span<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                long inWindow = _offset - _windowStart;
                if (inWindow < 0 || inWindow >= _windowCount)
                {
                    if (buffer.Length >= _window.Length)
                    {
                        int direct = _reader.Read(buffer, _offset);
                        if (direct <= 0)
                        {
                            return false;
                        }

                        _offset += direct;
                        buffer = buffer[direct..];
                        continue;
                    }

                    _windowStart = _offset;
                    _windowCount = _reader.Read(_window, _offset);
                    if (_windowCount <= 0)
                    {
                        _windowCount = 0;
                        return false;
                    }

                    inWindow = 0;
                }

                int count = (int)Math.Min(buffer.Length, _windowCount - inWindow);
                _window.AsSpan((int)inWindow, count).CopyTo(buffer);
                _offset += count;
                buffer = buffer[count..];
            }

            return true;
        }

        public bool TrySkip(long count)
        {
            _offset += count;
            return true;
        }
    }

    private readonly struct HandleReader(SafeFileHandle handle) : IPositionalReader
    {
        public int Read(Span<byte> buffer, long offset) => RandomAccess.Read(handle, buffer, offset);
    }
}
