using System;
using System.Buffers;
using System.Buffers.Binary;
using Container = Embedded.Dicom.Data.DataSetReaderState.Container;
using ContainerKind = Embedded.Dicom.Data.DataSetReaderState.ContainerKind;

namespace Embedded.Dicom.Data;

/// <summary>
/// A forward-only, zero-copy reader of a data set (PS3.5 §7) in Implicit VR Little Endian, Explicit VR Little
/// Endian or Explicit VR Big Endian, over data that may arrive in pieces: the <c>Utf8JsonReader</c> pattern.
/// Each <see cref="Read"/> stops on one token: an element, the start or end of a sequence or item, or a
/// fragment of encapsulated pixel data. Values are slices of the input, never copies.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Read"/> returns false in three cases, told apart by <see cref="Error"/> and the final-block flag:
/// the input ends before the next token is complete (nothing of it is consumed: create the next reader over
/// the bytes from <see cref="BytesConsumed"/> on, followed by more, with <see cref="CurrentState"/>); the data
/// set ended (final block, every sequence and item closed); or the data is malformed (<see cref="Error"/> is
/// set, and stays set in the state). Malformed input never throws.
/// </para>
/// <para>Checks, each made before a length is used (a hostile-input defence):</para>
/// <list type="bullet">
/// <item>every defined length (element, sequence, item, fragment) fits in the enclosing sequence or item of
/// defined length (PS3.5 §7.5.1, §7.5.2); a header may not cross that end either;</item>
/// <item>undefined length (0xFFFFFFFF) only on SQ, on explicit UN (whose items are Implicit VR Little Endian,
/// PS3.5 §6.2.2), on implicit elements the dictionary calls SQ or does not know, and on (7FE0,0010) OB/OW as
/// encapsulated pixel data (PS3.5 §A.4, whose items must have defined length);</item>
/// <item>items only in sequences, only items in sequences, delimiters (length 0) only where they close an
/// item or sequence of undefined length (PS3.5 §7.5); every explicit VR is one of PS3.5 Table 6.2-1;</item>
/// <item>at most <see cref="DataSetReaderState.MaxDepth"/> sequences nested inside each other.</item>
/// </list>
/// <para>
/// The reader is lenient where readers in the field must be (PS3.5 §7.1.1 wants even lengths and ascending
/// tags; neither is enforced here, <see cref="DataSetScanner"/> checks lengths), and it does not check values.
/// Items and sequences of defined length end with a synthetic <see cref="DataSetTokenType.ItemEnd"/> /
/// <see cref="DataSetTokenType.SequenceEnd"/> token, so both encodings read alike.
/// </para>
/// </remarks>
public ref struct DataSetReader
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private const uint ItemTag = 0xFFFEE000;
    private const uint ItemDelimitationTag = 0xFFFEE00D;
    private const uint SequenceDelimitationTag = 0xFFFEE0DD;
    private const uint PixelDataTag = 0x7FE00010;
    private const uint SpecificCharacterSetTag = 0x00080005;
    private const int MaxHeaderLength = 12;

    private readonly ReadOnlySequence<byte> _data;
    private SequenceReader<byte> _reader;
    private DataSetReaderState _state;

    private DataSetTokenType _tokenType;
    private uint _tag;
    private ValueRepresentation _vr;
    private uint _length;
    private int _depth;
    private long _tokenOffset;
    private int _headerLength;
    private bool _valueComplete;
    private bool _bigEndian;
    private SpecificCharacterSet _charset;
    private ReadOnlySequence<byte> _value;

    /// <summary>Creates a reader over the next bytes of a data set.</summary>
    /// <param name="data">The bytes from where the previous reader stopped (<see cref="BytesConsumed"/>) on.</param>
    /// <param name="isFinalBlock">True when <paramref name="data"/> runs to the end of the data set.</param>
    /// <param name="state">A new state, or the <see cref="CurrentState"/> of the previous reader.</param>
    /// <exception cref="ArgumentException"><paramref name="state"/> was not created with a constructor.</exception>
    public DataSetReader(ReadOnlySequence<byte> data, bool isFinalBlock, DataSetReaderState state)
    {
        if (state.MaxDepth == 0)
        {
            throw new ArgumentException("Create the state with new DataSetReaderState(transferSyntax).", nameof(state));
        }

        _data = data;
        _reader = new SequenceReader<byte>(data);
        IsFinalBlock = isFinalBlock;
        _state = state;
    }

    /// <summary>True when the input runs to the end of the data set.</summary>
    public bool IsFinalBlock { get; }

    /// <summary>What the last successful <see cref="Read"/> stopped on; <see cref="DataSetTokenType.None"/> after a false one.</summary>
    public readonly DataSetTokenType TokenType => _tokenType;

    /// <summary>The tag of the token (FFFE,E000/E00D/E0DD for items, fragments and ends).</summary>
    public readonly DicomTag Tag => new(_tag);

    /// <summary>
    /// The VR: as written in explicit VR, from <see cref="DataDictionary.GetVR"/> in implicit VR (inside an
    /// explicit UN of undefined length too); <see cref="ValueRepresentation.None"/> for items, fragments, ends
    /// and tags the dictionary does not know.
    /// </summary>
    public readonly ValueRepresentation VR => _vr;

    /// <summary>The value length as encoded; 0xFFFFFFFF for undefined length, 0 for ends.</summary>
    public readonly uint Length => _length;

    /// <summary>True when <see cref="Length"/> is the undefined length 0xFFFFFFFF (PS3.5 §7.1.1).</summary>
    public readonly bool IsUndefinedLength => _length == UndefinedLength;

    /// <summary>
    /// How many sequences enclose the token: 0 for the elements of the top-level data set and for the start and
    /// end of a top-level sequence; 1 for its items, their elements and their ends; and so on.
    /// </summary>
    public readonly int CurrentDepth => _depth;

    /// <summary>The offset of the token's first header byte (for a synthetic end, where the container ends).</summary>
    public readonly long TokenOffset => _tokenOffset;

    /// <summary>The number of header bytes: 8 or 12 for elements, 8 for items and delimiters, 0 for the end of a container of defined length.</summary>
    public readonly int HeaderLength => _headerLength;

    /// <summary>The offset of the first value byte.</summary>
    public readonly long ValueOffset => _tokenOffset + _headerLength;

    /// <summary>
    /// True when the token is an element or fragment whose whole value is in the input (<see cref="ValueSequence"/>).
    /// False for other tokens, and for a long value being passed over (see <see cref="DataSetReaderState.MaxBufferedValueLength"/>).
    /// </summary>
    public readonly bool IsValueComplete => _valueComplete;

    /// <summary>The value (empty unless <see cref="IsValueComplete"/>), a slice of the input.</summary>
    public readonly ReadOnlySequence<byte> ValueSequence => _value;

    /// <summary>True when the value spans several segments: then use <see cref="ValueSequence"/>, as <see cref="ValueSpan"/> is empty.</summary>
    public readonly bool HasValueSequence => !_value.IsSingleSegment;

    /// <summary>The value when it lies in one segment of the input (see <see cref="HasValueSequence"/>).</summary>
    public readonly ReadOnlySpan<byte> ValueSpan => _value.IsSingleSegment ? _value.FirstSpan : default;

    /// <summary>The Specific Character Set (0008,0005) in force for the token: of its item, or else of the enclosing data sets.</summary>
    public readonly SpecificCharacterSet CharacterSet => _charset;

    /// <summary>The number of input bytes consumed: the start of the next reader's input.</summary>
    public readonly long BytesConsumed => _reader.Consumed;

    /// <summary>The input position matching <see cref="BytesConsumed"/>.</summary>
    public readonly SequencePosition Position => _reader.Position;

    /// <summary>The state to create the next reader from.</summary>
    public readonly DataSetReaderState CurrentState => _state;

    /// <summary>Why the data is malformed ("element (gggg,eeee) at offset N: …"), or null.</summary>
    public readonly string? Error => _state._error;

    /// <summary>
    /// Advances to the next token. Returns false when the input ends before it (nothing consumed), at the end
    /// of the data set, or on malformed data (<see cref="Error"/>); never throws for malformed data.
    /// </summary>
    public bool Read()
    {
        _tokenType = DataSetTokenType.None;
        _value = default;
        _valueComplete = false;
        if (_state._error is not null || (_state._valueRemaining != 0 && !PassOverValue()))
        {
            return false;
        }

        Container top = Top;
        if (top.End == _state._position)
        {
            return CloseDefinedLengthContainer();
        }

        long position = _state._position;
        long available = _reader.Remaining;
        if (available == 0)
        {
            if (IsFinalBlock && _state._count > 0)
            {
                return Fail(top.Tag, top.Offset, $"the data set ends at offset {position} inside this {Describe(top)}");
            }

            return false;
        }

        // Bytes left before the end of the nearest enclosing sequence or item of defined length.
        long room = top.Limit < 0 ? long.MaxValue : top.Limit - position;
        if (room < 8)
        {
            return top.End < 0
                ? Fail(top.Tag, top.Offset, $"this {Describe(top)} is still open where the enclosing sequence or item ends (offset {top.Limit})")
                : FailAt(position, $"an element header would cross the end of {EnclosingEnd(top)}");
        }

        Span<byte> header = stackalloc byte[MaxHeaderLength];
        int peeked = (int)Math.Min(MaxHeaderLength, available);
        header = header[..peeked];
        _reader.TryCopyTo(header);
        if (peeked < 4)
        {
            return NeedMore(0, peeked, "tag");
        }

        uint tag = top.BigEndian
            ? ((uint)BinaryPrimitives.ReadUInt16BigEndian(header) << 16) | BinaryPrimitives.ReadUInt16BigEndian(header[2..])
            : ((uint)BinaryPrimitives.ReadUInt16LittleEndian(header) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(header[2..]);
        if ((tag >> 16) == 0xFFFE)
        {
            // PS3.5 §7.5: items and delimiters are tag + u32 length, never a VR, in every transfer syntax.
            return peeked < 8 ? NeedMore(tag, peeked, "header") : ReadItemOrDelimiter(top, tag, ReadUInt32(header[4..], top.BigEndian), room);
        }

        if (top.Kind is ContainerKind.Sequence or ContainerKind.Fragments)
        {
            return Fail(tag, position, $"only an item (FFFE,E000) or a sequence delimiter may be here, in {WithArticle(top)}");
        }

        int headerLength;
        uint length;
        ValueRepresentation vr;
        if (top.Explicit)
        {
            // PS3.5 §7.1.2: the VR is two ASCII characters, in that order whatever the byte order.
            if (peeked < 6)
            {
                return NeedMore(tag, peeked, "header");
            }

            vr = (ValueRepresentation)BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
            if (!ExplicitVR.IsKnown(vr))
            {
                return Fail(tag, position, $"the bytes 0x{(ushort)vr:X4} stand where the explicit VR should be (PS3.5 §7.1.2)");
            }

            headerLength = ExplicitVR.HasLongLength(vr) ? 12 : 8;
            if (room < headerLength)
            {
                return FailAt(position, $"the header of {new DicomTag(tag)} would cross the end of {EnclosingEnd(top)}");
            }

            if (peeked < headerLength)
            {
                return NeedMore(tag, peeked, "header");
            }

            length = headerLength == 12 ? ReadUInt32(header[8..], top.BigEndian) : ReadUInt16(header[6..], top.BigEndian);
        }
        else
        {
            // PS3.5 §7.1.3: tag and u32 length; the VR comes from the data dictionary.
            if (peeked < 8)
            {
                return NeedMore(tag, peeked, "header");
            }

            headerLength = 8;
            length = ReadUInt32(header[4..], top.BigEndian);
            vr = DataDictionary.GetVR(tag);
        }

        if (length == UndefinedLength)
        {
            if (tag == PixelDataTag && (!top.Explicit || vr is ValueRepresentation.OB or ValueRepresentation.OW))
            {
                return Open(top, ContainerKind.Fragments, tag, vr, length, headerLength, top.Explicit, top.BigEndian);
            }

            if (vr == ValueRepresentation.SQ || (!top.Explicit && vr is ValueRepresentation.UN or ValueRepresentation.None))
            {
                return Open(top, ContainerKind.Sequence, tag, vr, length, headerLength, top.Explicit, top.BigEndian);
            }

            if (vr == ValueRepresentation.UN)
            {
                // PS3.5 §6.2.2: an explicit UN of undefined length holds Implicit VR Little Endian items.
                return Open(top, ContainerKind.Sequence, tag, vr, length, headerLength, explicitVR: false, bigEndian: false);
            }

            return Fail(tag, position, $"undefined length is not allowed for VR {FormatVR(vr)} (PS3.5 §7.1.1)");
        }

        if (length > room - headerLength)
        {
            return Fail(tag, position, $"length {length} runs past the end of {EnclosingEnd(top)}");
        }

        return vr == ValueRepresentation.SQ
            ? Open(top, ContainerKind.Sequence, tag, vr, length, headerLength, top.Explicit, top.BigEndian)
            : ReadValue(top, DataSetTokenType.Element, tag, vr, length, headerLength);
    }

    /// <summary>
    /// The value as text, trailing space and NUL padding removed (PS3.5 §6.2), decoded with the
    /// <see cref="CharacterSet"/> in force for SH LO ST LT PN UC UT (and UN or unknown VRs), as ISO 8859-1
    /// otherwise (the default repertoire is its ASCII subset). Allocates the string.
    /// </summary>
    /// <exception cref="InvalidOperationException">The token has no complete value.</exception>
    public readonly string GetString()
    {
        ThrowIfNoValue();
        SpecificCharacterSet charset = SpecificCharacterSetCodec.AppliesTo(_vr) || _vr is ValueRepresentation.UN or ValueRepresentation.None
            ? _charset
            : SpecificCharacterSet.Default;
        if (_value.IsSingleSegment)
        {
            return SpecificCharacterSetCodec.Decode(TrimPadding(_value.FirstSpan), charset);
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent((int)_value.Length);
        try
        {
            Span<byte> bytes = rented.AsSpan(0, (int)_value.Length);
            _value.CopyTo(bytes);
            return SpecificCharacterSetCodec.Decode(TrimPadding(bytes), charset);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// True when the value equals <paramref name="other"/>; for text VRs (and unknown ones) trailing space or
    /// NUL padding after it is ignored, so a UID compares equal to its unpadded bytes. No allocation.
    /// </summary>
    public readonly bool ValueIsEqualTo(ReadOnlySpan<byte> other)
    {
        if (!_valueComplete || _value.Length < other.Length)
        {
            return false;
        }

        var reader = new SequenceReader<byte>(_value);
        if (!reader.IsNext(other, advancePast: true))
        {
            return false;
        }

        if (reader.End)
        {
            return true;
        }

        if (!ValueRepresentationFacts.IsText(_vr) && _vr != ValueRepresentation.None)
        {
            return false;
        }

        while (reader.TryRead(out byte b))
        {
            if (b is not (byte)' ' and not 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Value number <paramref name="index"/> (0-based) of a US value, in the data set's byte order; false when there is none.</summary>
    public readonly bool TryGetUInt16(out ushort value, int index = 0)
    {
        Span<byte> bytes = stackalloc byte[2];
        bool ok = TryCopyValue(index, bytes);
        value = !ok ? (ushort)0 : _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        return ok;
    }

    /// <summary>Value number <paramref name="index"/> of an SS value; false when there is none.</summary>
    public readonly bool TryGetInt16(out short value, int index = 0)
    {
        bool ok = TryGetUInt16(out ushort raw, index);
        value = (short)raw;
        return ok;
    }

    /// <summary>Value number <paramref name="index"/> of a UL value; false when there is none.</summary>
    public readonly bool TryGetUInt32(out uint value, int index = 0)
    {
        Span<byte> bytes = stackalloc byte[4];
        bool ok = TryCopyValue(index, bytes);
        value = ok ? ReadUInt32(bytes, _bigEndian) : 0;
        return ok;
    }

    /// <summary>Value number <paramref name="index"/> of an SL value; false when there is none.</summary>
    public readonly bool TryGetInt32(out int value, int index = 0)
    {
        bool ok = TryGetUInt32(out uint raw, index);
        value = (int)raw;
        return ok;
    }

    /// <summary>Value number <paramref name="index"/> of a UV value; false when there is none.</summary>
    public readonly bool TryGetUInt64(out ulong value, int index = 0)
    {
        Span<byte> bytes = stackalloc byte[8];
        bool ok = TryCopyValue(index, bytes);
        value = !ok ? 0 : _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return ok;
    }

    /// <summary>Value number <paramref name="index"/> of an SV value; false when there is none.</summary>
    public readonly bool TryGetInt64(out long value, int index = 0)
    {
        bool ok = TryGetUInt64(out ulong raw, index);
        value = (long)raw;
        return ok;
    }

    /// <summary>Value number <paramref name="index"/> of an FL value; false when there is none.</summary>
    public readonly bool TryGetSingle(out float value, int index = 0)
    {
        bool ok = TryGetUInt32(out uint raw, index);
        value = BitConverter.UInt32BitsToSingle(raw);
        return ok;
    }

    /// <summary>Value number <paramref name="index"/> of an FD value; false when there is none.</summary>
    public readonly bool TryGetDouble(out double value, int index = 0)
    {
        bool ok = TryGetUInt64(out ulong raw, index);
        value = BitConverter.UInt64BitsToDouble(raw);
        return ok;
    }

    /// <summary>Value number <paramref name="index"/> of an AT value: group then element, each a u16 (PS3.5 Table 6.2-1); false when there is none.</summary>
    public readonly bool TryGetTag(out DicomTag value, int index = 0)
    {
        Span<byte> bytes = stackalloc byte[4];
        bool ok = TryCopyValue(index, bytes);
        value = !ok ? default : new DicomTag(ReadUInt16(bytes, _bigEndian), ReadUInt16(bytes[2..], _bigEndian));
        return ok;
    }

    private readonly Container Top => _state._count == 0 ? _state._root : _state._stack![_state._count - 1];

    private bool ReadItemOrDelimiter(in Container top, uint tag, uint length, long room)
    {
        long position = _state._position;
        switch (tag)
        {
            case ItemTag when top.Kind == ContainerKind.Sequence:
                if (length != UndefinedLength && length > room - 8)
                {
                    return Fail(tag, position, $"length {length} runs past the end of {EnclosingEnd(top)}");
                }

                SetToken(DataSetTokenType.ItemStart, tag, ValueRepresentation.None, length, 8, _state._sequenceDepth, top);
                Push(new Container
                {
                    End = length == UndefinedLength ? -1 : position + 8 + length,
                    Limit = length == UndefinedLength ? top.Limit : position + 8 + length,
                    Offset = position,
                    Tag = tag,
                    Kind = ContainerKind.Item,
                    Explicit = top.Explicit,
                    BigEndian = top.BigEndian,
                    Charset = top.Charset,
                });
                Consume(8);
                return true;

            case ItemTag when top.Kind == ContainerKind.Fragments:
                if (length == UndefinedLength || length > room - 8)
                {
                    return Fail(tag, position, length == UndefinedLength
                        ? "a pixel data fragment must have a defined length (PS3.5 §A.4)"
                        : $"length {length} runs past the end of {EnclosingEnd(top)}");
                }

                return ReadValue(top, DataSetTokenType.Fragment, tag, ValueRepresentation.None, length, 8);

            case ItemDelimitationTag when top.Kind == ContainerKind.Item && top.End < 0:
            case SequenceDelimitationTag when top.Kind is ContainerKind.Sequence or ContainerKind.Fragments && top.End < 0:
                if (length != 0)
                {
                    return Fail(tag, position, $"a delimitation item has length {length} instead of 0 (PS3.5 §7.5)");
                }

                _state._count--;
                bool isItem = tag == ItemDelimitationTag;
                if (!isItem)
                {
                    _state._sequenceDepth--;
                }

                SetToken(isItem ? DataSetTokenType.ItemEnd : DataSetTokenType.SequenceEnd, tag, ValueRepresentation.None, 0, 8, _state._sequenceDepth, top);
                Consume(8);
                return true;

            default:
                return Fail(tag, position, $"this item or delimiter is not allowed here, in {WithArticle(top)}");
        }
    }

    private bool Open(in Container top, ContainerKind kind, uint tag, ValueRepresentation vr, uint length, int headerLength, bool explicitVR, bool bigEndian)
    {
        long position = _state._position;
        if (_state._sequenceDepth >= _state.MaxDepth)
        {
            return Fail(tag, position, $"sequences are nested deeper than the limit of {_state.MaxDepth}");
        }

        bool defined = length != UndefinedLength;
        long end = defined ? position + headerLength + length : -1;
        SetToken(DataSetTokenType.SequenceStart, tag, vr, length, headerLength, _state._sequenceDepth, top);
        Push(new Container
        {
            End = end,
            Limit = defined ? end : top.Limit,
            Offset = position,
            Tag = tag,
            Kind = kind,
            Explicit = explicitVR,
            BigEndian = bigEndian,
            Charset = top.Charset,
        });
        _state._sequenceDepth++;
        Consume(headerLength);
        return true;
    }

    private void Push(in Container container)
    {
        // Root aside, each level of nesting holds at most one sequence and one item.
        _state._stack ??= new Container[2 * _state.MaxDepth];
        _state._stack[_state._count++] = container;
    }

    private bool CloseDefinedLengthContainer()
    {
        Container closed = _state._stack![--_state._count];
        bool isItem = closed.Kind == ContainerKind.Item;
        if (!isItem)
        {
            _state._sequenceDepth--;
        }

        SetToken(isItem ? DataSetTokenType.ItemEnd : DataSetTokenType.SequenceEnd, isItem ? ItemDelimitationTag : SequenceDelimitationTag, ValueRepresentation.None, 0, 0, _state._sequenceDepth, Top);
        return true;
    }

    private bool ReadValue(in Container top, DataSetTokenType type, uint tag, ValueRepresentation vr, uint length, int headerLength)
    {
        long position = _state._position;
        long available = _reader.Remaining - headerLength;
        if (available >= length)
        {
            SetToken(type, tag, vr, length, headerLength, _state._sequenceDepth, top);
            _reader.Advance(headerLength);
            _value = _data.Slice(_reader.Position, length);
            _valueComplete = true;
            _reader.Advance(length);
            _state._position += headerLength + length;
            if (tag == SpecificCharacterSetTag && type == DataSetTokenType.Element)
            {
                SetCharset(ParseCharacterSet(_value));
            }

            return true;
        }

        if (length > _state.MaxBufferedValueLength)
        {
            // A long value: report it now and pass over its bytes as they come (or let the caller seek past them).
            SetToken(type, tag, vr, length, headerLength, _state._sequenceDepth, top);
            Consume(headerLength);
            _state._valueRemaining = length;
            _state._valueTag = tag;
            _state._valueOffset = position;
            return true;
        }

        if (IsFinalBlock)
        {
            return Fail(tag, position, $"length {length} runs past the end of the data ({position + _reader.Remaining} bytes)");
        }

        return false;
    }

    private bool PassOverValue()
    {
        long count = Math.Min(_state._valueRemaining, _reader.Remaining);
        _reader.Advance(count);
        _state._position += count;
        _state._valueRemaining -= count;
        if (_state._valueRemaining == 0)
        {
            return true;
        }

        return IsFinalBlock && Fail(_state._valueTag, _state._valueOffset, $"the data ends at offset {_state._position}, {_state._valueRemaining} bytes before the end of the value");
    }

    private void SetCharset(SpecificCharacterSet charset)
    {
        if (_state._count == 0)
        {
            _state._root.Charset = charset;
        }
        else
        {
            _state._stack![_state._count - 1].Charset = charset;
        }
    }

    private void SetToken(DataSetTokenType type, uint tag, ValueRepresentation vr, uint length, int headerLength, int depth, in Container enclosing)
    {
        _tokenType = type;
        _tag = tag;
        _vr = vr;
        _length = length;
        _headerLength = headerLength;
        _depth = depth;
        _tokenOffset = _state._position;
        _bigEndian = enclosing.BigEndian;
        _charset = enclosing.Charset;
    }

    private void Consume(int count)
    {
        _reader.Advance(count);
        _state._position += count;
    }

    private bool NeedMore(uint tag, int peeked, string part)
    {
        if (!IsFinalBlock)
        {
            return false;
        }

        string reason = $"the data ends {peeked} bytes into the element {part}";
        return part == "tag" ? FailAt(_state._position, reason) : Fail(tag, _state._position, reason);
    }

    private bool Fail(uint tag, long offset, string reason)
    {
        _state._error = $"element {new DicomTag(tag)} at offset {offset}: {reason}";
        _tokenType = DataSetTokenType.None;
        return false;
    }

    private bool FailAt(long offset, string reason)
    {
        _state._error = $"at offset {offset}: {reason}";
        _tokenType = DataSetTokenType.None;
        return false;
    }

    private readonly void ThrowIfNoValue()
    {
        if (!_valueComplete)
        {
            throw new InvalidOperationException($"The current token ({_tokenType}) has no complete value.");
        }
    }

    private readonly bool TryCopyValue(int index, Span<byte> destination)
    {
        long offset = (long)index * destination.Length;
        if (!_valueComplete || index < 0 || offset + destination.Length > _value.Length)
        {
            return false;
        }

        _value.Slice(offset, destination.Length).CopyTo(destination);
        return true;
    }

    private static SpecificCharacterSet ParseCharacterSet(in ReadOnlySequence<byte> value)
    {
        if (value.IsSingleSegment)
        {
            return SpecificCharacterSetCodec.Parse(value.FirstSpan);
        }

        // Every recognized term is short; a longer value is multi-valued (ISO 2022 code extensions).
        Span<byte> bytes = stackalloc byte[64];
        if (value.Length > bytes.Length)
        {
            return SpecificCharacterSet.Unrecognized;
        }

        value.CopyTo(bytes);
        return SpecificCharacterSetCodec.Parse(bytes[..(int)value.Length]);
    }

    private static ReadOnlySpan<byte> TrimPadding(ReadOnlySpan<byte> value)
    {
        int end = value.Length;
        while (end > 0 && value[end - 1] is (byte)' ' or 0)
        {
            end--;
        }

        return value[..end];
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    private static string FormatVR(ValueRepresentation vr) =>
        vr == ValueRepresentation.None ? "(unknown)" : string.Create(2, (ushort)vr, static (span, code) =>
        {
            span[0] = (char)(code >> 8);
            span[1] = (char)(code & 0xFF);
        });

    private static string WithArticle(in Container container) => container.Kind switch
    {
        ContainerKind.DataSet => "the top-level data set",
        ContainerKind.Sequence => "a " + Describe(container),
        _ => "an " + Describe(container),
    };

    private static string EnclosingEnd(in Container container) => container.End >= 0
        ? $"the enclosing {Describe(container)} at offset {container.Limit}"
        : $"an enclosing sequence or item of defined length at offset {container.Limit}";

    private static string Describe(in Container container) => container.Kind switch
    {
        ContainerKind.Sequence => container.End < 0 ? "sequence of undefined length" : "sequence of defined length",
        ContainerKind.Item => container.End < 0 ? "item of undefined length" : "item of defined length",
        ContainerKind.Fragments => "encapsulated pixel data",
        _ => "top-level data set",
    };
}
