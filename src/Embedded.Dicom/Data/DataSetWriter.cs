using System;
using System.Buffers;
using System.Buffers.Binary;

namespace Embedded.Dicom.Data;

/// <summary>
/// Writes a data set (PS3.5 §7) in Implicit VR Little Endian (§7.1.3, Annex A.1) or Explicit VR Little
/// Endian (§7.1.2, Annex A.2) to an <see cref="IBufferWriter{T}"/>, element by element.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Values are padded to even length (PS3.5 §7.1.1) with the byte of their VR (§6.2): a space for text
/// VRs, NUL for UI, 0x00 for OB, UN and the binary VRs.</item>
/// <item>Within the top-level data set and within each item, elements must come in strictly ascending tag
/// order (PS3.5 §7.1): a tag not greater than the previous one throws <see cref="InvalidOperationException"/>,
/// as does a call that does not fit the structure (an element directly in a sequence, an item outside one,
/// an end that closes nothing). Bad arguments throw <see cref="ArgumentException"/> before anything is written.</item>
/// <item>Sequences and items are written with undefined length and closed by delimitation items (PS3.5
/// §7.5.1, §7.5.2), or with defined length: then everything from the outermost open container of defined
/// length on is buffered inside the writer until that container ends, when its length and those of the
/// containers inside it are known and the bytes go to the output.</item>
/// <item>Explicit VRs with a 16-bit length field hold at most 65534 bytes (§7.1.2); longer values throw
/// <see cref="ArgumentException"/> (write them as UN, UT or OB instead).</item>
/// </list>
/// </remarks>
public sealed class DataSetWriter
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private const uint ItemTag = 0xFFFEE000;
    private const uint ItemDelimitationTag = 0xFFFEE00D;
    private const uint SequenceDelimitationTag = 0xFFFEE0DD;

    private readonly bool _explicit;
    private IBufferWriter<byte> _output;
    private Frame[] _stack = new Frame[8];
    private int _count;
    private int _sequenceDepth;
    private byte[] _buffer = [];
    private int _buffered;
    private int _definedOpen;

    /// <summary>Creates a writer of a data set in <paramref name="transferSyntax"/>'s encoding.</summary>
    /// <exception cref="ArgumentException">The syntax is big endian or deflated (only Implicit and Explicit VR Little Endian framing is written).</exception>
    public DataSetWriter(IBufferWriter<byte> output, TransferSyntax transferSyntax)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        if (!transferSyntax.IsLittleEndian || transferSyntax.IsDeflated)
        {
            throw new ArgumentException($"The writer writes Implicit or Explicit VR Little Endian, not {transferSyntax}.", nameof(transferSyntax));
        }

        _output = output;
        _explicit = transferSyntax.IsExplicitVR;
        TransferSyntax = transferSyntax;
        Reset(output);
    }

    /// <summary>The transfer syntax given to the constructor.</summary>
    public TransferSyntax TransferSyntax { get; }

    /// <summary>The number of sequences open.</summary>
    public int CurrentDepth => _sequenceDepth;

    /// <summary>
    /// Starts a new data set on <paramref name="output"/>, discarding open sequences and items and bytes
    /// buffered for them (the buffer itself is kept for reuse).
    /// </summary>
    public void Reset(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _stack[0] = new Frame { Kind = FrameKind.DataSet };
        _count = 1;
        _sequenceDepth = 0;
        _buffered = 0;
        _definedOpen = 0;
    }

    /// <summary>
    /// Writes an element with the raw bytes of its value, padded to even length with the VR's padding byte.
    /// </summary>
    /// <exception cref="ArgumentException">The VR is SQ or not in PS3.5 Table 6.2-1, the tag is an item or delimiter tag, or the value is too long.</exception>
    /// <exception cref="InvalidOperationException">The tag is out of order or the writer is directly in a sequence.</exception>
    public void WriteElement(DicomTag tag, ValueRepresentation vr, ReadOnlySpan<byte> value)
    {
        uint length = CheckElement(tag, vr, value.Length);
        Enter(tag.Value);
        WriteHeader(tag.Value, vr, length);
        WriteBytes(value);
        WritePadding(vr, value.Length);
    }

    /// <summary>Writes an element of zero length with the dictionary VR of <paramref name="tag"/> (UN when it has none); for an SQ tag, an empty sequence.</summary>
    public void WriteEmpty(DicomTag tag)
    {
        ValueRepresentation vr = DataDictionary.GetVR(tag.Value);
        WriteEmpty(tag, vr == ValueRepresentation.None ? ValueRepresentation.UN : vr);
    }

    /// <summary>Writes an element of zero length with the VR given; for SQ, an empty sequence of defined length 0.</summary>
    public void WriteEmpty(DicomTag tag, ValueRepresentation vr)
    {
        if (vr == ValueRepresentation.SQ)
        {
            CheckTag(tag);
            Enter(tag.Value);
            WriteHeader(tag.Value, vr, 0);
            return;
        }

        WriteElement(tag, vr, default);
    }

    /// <summary>
    /// Writes text with the VR of <paramref name="tag"/> from the data dictionary, encoded in
    /// <paramref name="charset"/> when the VR is SH LO ST LT PN UC or UT, in the default repertoire otherwise.
    /// The caller writes a matching (0008,0005) (<see cref="WriteSpecificCharacterSet"/>). Backslashes separate values.
    /// </summary>
    /// <exception cref="ArgumentException">The dictionary has no text VR for the tag, or a character cannot be encoded.</exception>
    public void WriteString(DicomTag tag, ReadOnlySpan<char> value, SpecificCharacterSet charset = SpecificCharacterSet.Default)
    {
        ValueRepresentation vr = DataDictionary.GetVR(tag.Value);
        if (vr == ValueRepresentation.None)
        {
            throw new ArgumentException($"{tag} is not in the data dictionary: give its VR.", nameof(tag));
        }

        WriteString(tag, vr, value, charset);
    }

    /// <summary>Writes text with the VR given; see <see cref="WriteString(DicomTag, ReadOnlySpan{char}, SpecificCharacterSet)"/>.</summary>
    public void WriteString(DicomTag tag, ValueRepresentation vr, ReadOnlySpan<char> value, SpecificCharacterSet charset = SpecificCharacterSet.Default)
    {
        if (!ValueRepresentationFacts.IsText(vr))
        {
            throw new ArgumentException($"{tag} has VR {vr}, which is not a text VR.", nameof(vr));
        }

        SpecificCharacterSet effective = SpecificCharacterSetCodec.AppliesTo(vr) ? charset : SpecificCharacterSet.Default;
        int count = SpecificCharacterSetCodec.GetByteCount(value, effective);
        uint length = CheckElement(tag, vr, count);
        Enter(tag.Value);
        WriteHeader(tag.Value, vr, length);
        Span<byte> target = GetSpan(count);
        SpecificCharacterSetCodec.Encode(value, effective, target);
        Advance(count);
        WritePadding(vr, count);
    }

    /// <summary>Writes (0008,0005) Specific Character Set with the defined term of <paramref name="charset"/> (PS3.3 C.12.1.1.2).</summary>
    public void WriteSpecificCharacterSet(SpecificCharacterSet charset) =>
        WriteElement(new DicomTag(0x00080005), ValueRepresentation.CS, SpecificCharacterSetCodec.GetDefinedTerm(charset));

    /// <summary>Writes a UI element, NUL-padded to even length (PS3.5 §9.1).</summary>
    public void WriteUid(DicomTag tag, in DicomUid value) => WriteElement(tag, ValueRepresentation.UI, value.Span);

    /// <summary>Writes a US element.</summary>
    public void WriteUInt16(DicomTag tag, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        WriteElement(tag, ValueRepresentation.US, bytes);
    }

    /// <summary>Writes an SS element.</summary>
    public void WriteInt16(DicomTag tag, short value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteInt16LittleEndian(bytes, value);
        WriteElement(tag, ValueRepresentation.SS, bytes);
    }

    /// <summary>Writes a UL element.</summary>
    public void WriteUInt32(DicomTag tag, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        WriteElement(tag, ValueRepresentation.UL, bytes);
    }

    /// <summary>Writes an SL element.</summary>
    public void WriteInt32(DicomTag tag, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        WriteElement(tag, ValueRepresentation.SL, bytes);
    }

    /// <summary>Writes an FL element.</summary>
    public void WriteSingle(DicomTag tag, float value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        WriteElement(tag, ValueRepresentation.FL, bytes);
    }

    /// <summary>Writes an FD element.</summary>
    public void WriteDouble(DicomTag tag, double value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        WriteElement(tag, ValueRepresentation.FD, bytes);
    }

    /// <summary>Writes an AT element: group then element, each a u16 (PS3.5 Table 6.2-1).</summary>
    public void WriteTag(DicomTag tag, DicomTag value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[2..], value.Element);
        WriteElement(tag, ValueRepresentation.AT, bytes);
    }

    /// <summary>
    /// Starts a sequence (VR SQ). With <paramref name="undefinedLength"/> its header says 0xFFFFFFFF and
    /// <see cref="WriteEndSequence"/> writes a Sequence Delimitation Item; otherwise its length is filled in
    /// when it ends (the content is buffered until then).
    /// </summary>
    public void WriteStartSequence(DicomTag tag, bool undefinedLength = false)
    {
        CheckTag(tag);
        Enter(tag.Value);
        OpenContainer(FrameKind.Sequence, tag.Value, ValueRepresentation.SQ, undefinedLength);
        _sequenceDepth++;
    }

    /// <summary>Ends the innermost sequence; it must have no open item.</summary>
    public void WriteEndSequence()
    {
        if (_stack[_count - 1].Kind != FrameKind.Sequence)
        {
            throw new InvalidOperationException("WriteEndSequence: the innermost open container is not a sequence.");
        }

        CloseContainer(SequenceDelimitationTag);
        _sequenceDepth--;
    }

    /// <summary>Starts an item (FFFE,E000) of the innermost sequence, of undefined or (buffered) defined length.</summary>
    public void WriteStartItem(bool undefinedLength = false)
    {
        if (_stack[_count - 1].Kind != FrameKind.Sequence)
        {
            throw new InvalidOperationException("WriteStartItem: items belong in a sequence; call WriteStartSequence first.");
        }

        OpenContainer(FrameKind.Item, ItemTag, ValueRepresentation.None, undefinedLength);
    }

    /// <summary>Ends the innermost item.</summary>
    public void WriteEndItem()
    {
        if (_stack[_count - 1].Kind != FrameKind.Item)
        {
            throw new InvalidOperationException("WriteEndItem: the innermost open container is not an item.");
        }

        CloseContainer(ItemDelimitationTag);
    }

    private uint CheckElement(DicomTag tag, ValueRepresentation vr, int valueLength)
    {
        CheckTag(tag);
        if (!ExplicitVR.IsKnown(vr) || vr == ValueRepresentation.SQ)
        {
            throw new ArgumentException($"{tag}: VR 0x{(ushort)vr:X4} is not a VR of PS3.5 Table 6.2-1 other than SQ (sequences: WriteStartSequence).", nameof(vr));
        }

        long length = valueLength + (valueLength & 1);
        long limit = _explicit && !ExplicitVR.HasLongLength(vr) ? ushort.MaxValue - 1 : UndefinedLength - 1;
        if (length > limit)
        {
            throw new ArgumentException($"{tag}: a value of {length} bytes does not fit the length field of VR {vr} (at most {limit}).", nameof(valueLength));
        }

        return (uint)length;
    }

    private static void CheckTag(DicomTag tag)
    {
        if (tag.Group == 0xFFFE)
        {
            throw new ArgumentException($"{tag} is an item or delimitation tag (PS3.5 §7.5): use WriteStartItem and the End methods.", nameof(tag));
        }
    }

    /// <summary>Enforces PS3.5 §7.1: elements directly in the data set or an item, in ascending tag order.</summary>
    private void Enter(uint tag)
    {
        ref Frame top = ref _stack[_count - 1];
        if (top.Kind == FrameKind.Sequence)
        {
            throw new InvalidOperationException($"{new DicomTag(tag)}: a sequence holds only items; call WriteStartItem first.");
        }

        if (top.HasElements && tag <= top.LastTag)
        {
            throw new InvalidOperationException($"{new DicomTag(tag)} after {new DicomTag(top.LastTag)}: PS3.5 §7.1 requires ascending tag order within a data set or item.");
        }

        top.LastTag = tag;
        top.HasElements = true;
    }

    private void OpenContainer(FrameKind kind, uint tag, ValueRepresentation vr, bool undefinedLength)
    {
        if (!undefinedLength)
        {
            // From here to the end of the outermost container of defined length, bytes wait in the buffer.
            _definedOpen++;
        }

        int lengthOffset = WriteHeader(tag, vr, undefinedLength ? UndefinedLength : 0);
        if (_count == _stack.Length)
        {
            Array.Resize(ref _stack, _stack.Length * 2);
        }

        _stack[_count++] = new Frame { Kind = kind, Defined = !undefinedLength, LengthOffset = lengthOffset, ValueStart = _buffered };
    }

    private void CloseContainer(uint delimiter)
    {
        Frame frame = _stack[--_count];
        if (!frame.Defined)
        {
            WriteHeader(delimiter, ValueRepresentation.None, 0);
            return;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(frame.LengthOffset), (uint)(_buffered - frame.ValueStart));
        if (--_definedOpen == 0)
        {
            _output.Write(_buffer.AsSpan(0, _buffered));
            _buffered = 0;
        }
    }

    /// <summary>
    /// Writes an element, item or delimiter header; returns where its length field lies in the buffer (for
    /// containers of defined length; meaningless otherwise).
    /// </summary>
    private int WriteHeader(uint tag, ValueRepresentation vr, uint length)
    {
        // Items and delimiters (PS3.5 §7.5) and implicit VR elements (§7.1.3): tag, u32 length. Explicit VR
        // (§7.1.2): tag, two VR characters, then a u16 length (Table 7.1-2) or two reserved bytes and a u32
        // length (Table 7.1-1).
        bool hasVR = _explicit && vr != ValueRepresentation.None;
        bool longForm = !hasVR || ExplicitVR.HasLongLength(vr);
        int size = hasVR && longForm ? 12 : 8;
        Span<byte> header = GetSpan(size);
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(tag >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)tag);
        if (!hasVR)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], length);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(header[4..], (ushort)vr);
            if (longForm)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 0);
                BinaryPrimitives.WriteUInt32LittleEndian(header[8..], length);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)length);
            }
        }

        int lengthOffset = _buffered + size - 4;
        Advance(size);
        return lengthOffset;
    }

    private void WritePadding(ValueRepresentation vr, int valueLength)
    {
        if ((valueLength & 1) != 0)
        {
            GetSpan(1)[0] = ValueRepresentationFacts.PaddingByte(vr);
            Advance(1);
        }
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (_definedOpen == 0)
        {
            _output.Write(bytes);
            return;
        }

        bytes.CopyTo(GetSpan(bytes.Length));
        Advance(bytes.Length);
    }

    private Span<byte> GetSpan(int size)
    {
        if (_definedOpen == 0)
        {
            return _output.GetSpan(size);
        }

        if (_buffer.Length - _buffered < size)
        {
            Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, Math.Max((long)_buffered + size, Math.Max(256L, 2L * _buffer.Length))));
        }

        return _buffer.AsSpan(_buffered, size);
    }

    private void Advance(int count)
    {
        if (_definedOpen == 0)
        {
            _output.Advance(count);
        }
        else
        {
            _buffered += count;
        }
    }

    private enum FrameKind : byte
    {
        DataSet,
        Sequence,
        Item,
    }

    private struct Frame
    {
        public FrameKind Kind;
        public bool Defined;
        public bool HasElements;
        public uint LastTag;

        /// <summary>Where the u32 length field of a container of defined length lies in the buffer.</summary>
        public int LengthOffset;

        /// <summary>Buffer offset of the container's first value byte.</summary>
        public int ValueStart;
    }
}
