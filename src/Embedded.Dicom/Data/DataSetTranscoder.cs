using System;
using System.Buffers;
using System.Buffers.Binary;

namespace Embedded.Dicom.Data;

/// <summary>
/// Converts a data set byte stream between Implicit VR Little Endian (PS3.5 §A.1) and Explicit VR Little
/// Endian (PS3.5 §A.2), in either direction, or copies it unchanged when both sides use the same VR
/// encoding. The conversion streams: it keeps only the nesting state between calls, never a whole value, and
/// allocates nothing after construction.
/// </summary>
/// <remarks>
/// <para>
/// The calling pattern is the one of <see cref="System.Text.Unicode.Utf8.FromUtf16(ReadOnlySpan{char}, Span{byte}, out int, out int, bool, bool)"/>:
/// <see cref="Transcode"/> returns <see cref="OperationStatus.Done"/> when it consumed all of the input,
/// <see cref="OperationStatus.NeedMoreData"/> when the input ends inside an element header (the header is
/// not consumed: pass those bytes again followed by more), <see cref="OperationStatus.DestinationTooSmall"/>
/// when the output is full (drain it and call again with the rest of the input), and
/// <see cref="OperationStatus.InvalidData"/> on malformed input, with a sentence in <see cref="LastError"/>;
/// once invalid, the transcoder stays so until <see cref="Reset"/>.
/// </para>
/// <para>What changes between the encodings, and the choices made:</para>
/// <list type="bullet">
/// <item>Element headers: implicit is tag + u32 length (PS3.5 §7.1.3); explicit is tag + VR + u16 length, or
/// tag + VR + 2 reserved bytes + u32 length for OB OD OF OL OV OW SQ SV UC UN UR UT UV (§7.1.2).</item>
/// <item>Implicit to explicit takes the VR from <see cref="DataDictionary.GetVR"/> (the first VR where PS3.6
/// gives several). A tag it does not know becomes UN when its length is defined, and a sequence (SQ) when
/// its length is undefined (PS3.5 §6.2.2 note on UN of undefined length). A value longer than 65535 bytes
/// whose VR has a 16-bit length is written as UN, whose length has 32 bits (PS3.5 §6.2.2).</item>
/// <item>Explicit to implicit drops the VR. An explicit UN of undefined length holds implicit VR little endian
/// items (PS3.5 §6.2.2) and is carried over as a sequence of undefined length.</item>
/// <item>Lengths of sequences and items change when the headers inside them change size, so every sequence
/// and item is written with undefined length (0xFFFFFFFF) followed by its Sequence or Item Delimitation Item
/// (PS3.5 §7.5.1, §7.5.2), which is valid in both encodings; no second pass and no buffering are needed.</item>
/// <item>Group length elements (gggg,0000) other than those of groups 0000 and 0002 are dropped: their value
/// would be wrong after conversion, and PS3.5 §7.2 has retired them.</item>
/// <item>Encapsulated pixel data, (7FE0,0010) of undefined length (PS3.5 §A.4), is kept: its header is
/// rewritten (OB in explicit) and its fragment items and delimiter are copied as they are.</item>
/// <item>Item and delimitation tags (FFFE,E000/E00D/E0DD) are tag + u32 length without VR in both encodings
/// (PS3.5 §7.5).</item>
/// </list>
/// <para>
/// When both sides use the same VR encoding the bytes are copied unchanged, lengths and group lengths
/// included, but the structure is still parsed, so truncation and nesting beyond the limit are reported.
/// </para>
/// </remarks>
public sealed class DataSetTranscoder
{
    /// <summary>The default limit on nested sequences (see the constructor).</summary>
    public const int DefaultMaxDepth = 64;

    private const uint UndefinedLength = 0xFFFFFFFF;
    private const uint ItemTag = 0xFFFEE000;
    private const uint ItemDelimitationTag = 0xFFFEE00D;
    private const uint SequenceDelimitationTag = 0xFFFEE0DD;
    private const uint PixelDataTag = 0x7FE00010;
    private const int MaxHeaderLength = 12;

    private readonly Container[] _stack;
    private readonly byte[] _pending = new byte[MaxHeaderLength];
    private readonly bool _copyHeaders;

    private int _count;
    private int _sequenceDepth;
    private long _position;
    private long _valueRemaining;
    private bool _discardValue;
    private uint _valueTag;
    private int _pendingStart;
    private int _pendingEnd;
    private bool _failed;

    /// <summary>
    /// Creates a transcoder from the data set encoding of <paramref name="from"/> to that of <paramref name="to"/>.
    /// </summary>
    /// <param name="from">Transfer syntax of the input; see <see cref="CanTranscode"/>.</param>
    /// <param name="to">Transfer syntax of the output.</param>
    /// <param name="maxDepth">
    /// How many sequences may be nested inside each other (encapsulated pixel data counts as one level);
    /// input nested deeper is rejected as <see cref="OperationStatus.InvalidData"/> (a hostile-input limit).
    /// </param>
    /// <exception cref="ArgumentException">The pair is not supported (<see cref="CanTranscode"/> is false).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDepth"/> is not between 1 and 65536.</exception>
    public DataSetTranscoder(TransferSyntax from, TransferSyntax to, int maxDepth = DefaultMaxDepth)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDepth, 65536);
        if (!CanTranscode(from, to))
        {
            throw new ArgumentException($"Cannot transcode a data set from {from} to {to}: only little endian, non-deflated syntaxes, and between different ones only the native Implicit and Explicit VR ones.", nameof(to));
        }

        From = from;
        To = to;
        MaxDepth = maxDepth;
        _copyHeaders = from.IsExplicitVR == to.IsExplicitVR;

        // Root data set, then at most one sequence and one item per level of nesting.
        _stack = new Container[(2 * maxDepth) + 1];
        Reset();
    }

    /// <summary>The transfer syntax of the input.</summary>
    public TransferSyntax From { get; }

    /// <summary>The transfer syntax of the output.</summary>
    public TransferSyntax To { get; }

    /// <summary>The nesting limit given to the constructor.</summary>
    public int MaxDepth { get; }

    /// <summary>Why the last call returned <see cref="OperationStatus.InvalidData"/>; null otherwise.</summary>
    public string? LastError { get; private set; }

    /// <summary>
    /// True when a <see cref="DataSetTranscoder"/> can convert data sets from <paramref name="from"/> to
    /// <paramref name="to"/>: both little endian and not deflated, and either the same transfer syntax (a
    /// validated copy, encapsulated syntaxes included) or two native ones (Implicit VR Little Endian,
    /// Explicit VR Little Endian), PS3.5 §10.
    /// </summary>
    public static bool CanTranscode(TransferSyntax from, TransferSyntax to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (!from.IsLittleEndian || !to.IsLittleEndian || from.IsDeflated || to.IsDeflated)
        {
            return false;
        }

        return from.Uid.Equals(to.Uid) || (!from.IsEncapsulated && !to.IsEncapsulated);
    }

    /// <summary>Forgets all state, to transcode a new data set.</summary>
    public void Reset()
    {
        _stack[0] = new Container
        {
            Kind = ContainerKind.DataSet,
            End = -1,
            Limit = -1,
            InputExplicit = From.IsExplicitVR,
            OutputExplicit = To.IsExplicitVR,
        };
        _count = 1;
        _sequenceDepth = 0;
        _position = 0;
        _valueRemaining = 0;
        _discardValue = false;
        _valueTag = 0;
        _pendingStart = 0;
        _pendingEnd = 0;
        _failed = false;
        LastError = null;
    }

    /// <summary>
    /// Converts as much of <paramref name="input"/> into <paramref name="output"/> as both allow.
    /// </summary>
    /// <param name="input">The next bytes of the data set (after any bytes left unconsumed by the previous call).</param>
    /// <param name="output">Where converted bytes are written.</param>
    /// <param name="isFinalBlock">True when <paramref name="input"/> ends the data set.</param>
    /// <param name="bytesConsumed">How many bytes of <paramref name="input"/> were used.</param>
    /// <param name="bytesWritten">How many bytes were written to <paramref name="output"/>.</param>
    /// <returns>
    /// <see cref="OperationStatus.Done"/>: all input consumed (with <paramref name="isFinalBlock"/>, the data set
    /// also ended on an element boundary with every sequence and item closed);
    /// <see cref="OperationStatus.NeedMoreData"/>: the input ends inside an element header;
    /// <see cref="OperationStatus.DestinationTooSmall"/>: the output is full;
    /// <see cref="OperationStatus.InvalidData"/>: malformed input (see <see cref="LastError"/>).
    /// </returns>
    public OperationStatus Transcode(ReadOnlySpan<byte> input, Span<byte> output, bool isFinalBlock, out int bytesConsumed, out int bytesWritten)
    {
        int consumed = 0;
        int written = 0;
        OperationStatus status = Run(input, output, isFinalBlock, ref consumed, ref written);
        bytesConsumed = consumed;
        bytesWritten = written;
        return status;
    }

    private OperationStatus Run(ReadOnlySpan<byte> input, Span<byte> output, bool isFinalBlock, ref int consumed, ref int written)
    {
        if (_failed)
        {
            return OperationStatus.InvalidData;
        }

        while (true)
        {
            // 1. Bytes of a converted header or delimiter that did not fit into the previous output.
            if (_pendingStart != _pendingEnd)
            {
                int count = Math.Min(_pendingEnd - _pendingStart, output.Length - written);
                _pending.AsSpan(_pendingStart, count).CopyTo(output[written..]);
                written += count;
                _pendingStart += count;
                if (_pendingStart != _pendingEnd)
                {
                    return OperationStatus.DestinationTooSmall;
                }

                _pendingStart = 0;
                _pendingEnd = 0;
            }

            // 2. The value of the current element (or fragment), copied through in whatever pieces fit.
            if (_valueRemaining != 0)
            {
                int available = input.Length - consumed;
                if (available == 0)
                {
                    return EndOfInput(isFinalBlock);
                }

                int count = (int)Math.Min(_valueRemaining, available);
                if (!_discardValue)
                {
                    count = Math.Min(count, output.Length - written);
                    if (count == 0)
                    {
                        return OperationStatus.DestinationTooSmall;
                    }

                    input.Slice(consumed, count).CopyTo(output[written..]);
                    written += count;
                }

                consumed += count;
                _position += count;
                _valueRemaining -= count;
                continue;
            }

            // 3. A sequence or item of defined length ends here: close it (and write its delimiter).
            if (_stack[_count - 1].End == _position)
            {
                CloseDefinedLengthContainer();
                continue;
            }

            // 4. The next header.
            if (consumed == input.Length)
            {
                return EndOfInput(isFinalBlock);
            }

            int headerLength = ReadHeader(input[consumed..]);
            if (headerLength < 0)
            {
                return _failed ? OperationStatus.InvalidData : NeedMoreData(isFinalBlock);
            }

            consumed += headerLength;
            _position += headerLength;
        }
    }

    private OperationStatus EndOfInput(bool isFinalBlock)
    {
        if (!isFinalBlock)
        {
            return OperationStatus.Done;
        }

        if (_valueRemaining != 0)
        {
            return Fail($"The data set ends {_valueRemaining} bytes before the end of the value of {FormatTag(_valueTag)}.");
        }

        if (_count > 1)
        {
            return Fail($"The data set ends at offset {_position} inside {_count - 1} open sequence(s) or item(s).");
        }

        return OperationStatus.Done;
    }

    private OperationStatus NeedMoreData(bool isFinalBlock) =>
        isFinalBlock ? Fail($"The data set ends inside an element header at offset {_position}.") : OperationStatus.NeedMoreData;

    private OperationStatus Fail(string message)
    {
        _failed = true;
        LastError = message;
        return OperationStatus.InvalidData;
    }

    /// <summary>
    /// Reads one header at the start of <paramref name="data"/> and acts on it. Returns its length, or -1 when
    /// <paramref name="data"/> holds only part of it (nothing changed) or when the input is invalid (then
    /// <see cref="_failed"/> is set).
    /// </summary>
    private int ReadHeader(ReadOnlySpan<byte> data)
    {
        ref Container context = ref _stack[_count - 1];

        // Bytes left before the end of the nearest enclosing sequence or item of defined length.
        long room = context.Limit < 0 ? long.MaxValue : context.Limit - _position;
        if (room < 8)
        {
            Fail($"At offset {_position} an element header would cross the end of the enclosing sequence or item at offset {context.Limit}.");
            return -1;
        }

        if (data.Length < 4)
        {
            return -1;
        }

        uint tag = ((uint)BinaryPrimitives.ReadUInt16LittleEndian(data) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(data[2..]);
        if ((tag >> 16) == 0xFFFE)
        {
            // PS3.5 §7.5: items and delimiters are tag + u32 length, never a VR, in every transfer syntax.
            if (data.Length < 8)
            {
                return -1;
            }

            return ReadItemOrDelimiter(ref context, tag, BinaryPrimitives.ReadUInt32LittleEndian(data[4..]), room, data[..8]);
        }

        if (context.Kind is ContainerKind.Sequence or ContainerKind.Fragments)
        {
            Fail($"At offset {_position} a sequence holds {FormatTag(tag)} where only an item (FFFE,E000) or a sequence delimiter may be.");
            return -1;
        }

        int headerLength;
        uint length;
        ValueRepresentation vr;
        if (context.InputExplicit)
        {
            if (data.Length < 6)
            {
                return -1;
            }

            vr = (ValueRepresentation)BinaryPrimitives.ReadUInt16BigEndian(data[4..]);
            if (!ExplicitVR.IsKnown(vr))
            {
                Fail($"{FormatTag(tag)} at offset {_position} has the bytes 0x{(ushort)vr:X4} where its explicit VR should be (PS3.5 §7.1.2).");
                return -1;
            }

            if (ExplicitVR.HasLongLength(vr))
            {
                if (room < 12)
                {
                    Fail($"At offset {_position} the header of {FormatTag(tag)} would cross the end of the enclosing sequence or item.");
                    return -1;
                }

                if (data.Length < 12)
                {
                    return -1;
                }

                headerLength = 12;
                length = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
            }
            else
            {
                if (data.Length < 8)
                {
                    return -1;
                }

                headerLength = 8;
                length = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
            }
        }
        else
        {
            if (data.Length < 8)
            {
                return -1;
            }

            headerLength = 8;
            length = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            vr = DataDictionary.GetVR(tag);
        }

        if (length == UndefinedLength)
        {
            if (tag == PixelDataTag)
            {
                // PS3.5 §A.4: encapsulated pixel data, a sequence of fragment items copied as they are.
                return OpenContainer(ref context, ContainerKind.Fragments, tag, length, headerLength, context.InputExplicit, data);
            }

            if (vr == ValueRepresentation.SQ)
            {
                return OpenContainer(ref context, ContainerKind.Sequence, tag, length, headerLength, context.InputExplicit, data);
            }

            if (vr is ValueRepresentation.UN or ValueRepresentation.None)
            {
                // PS3.5 §6.2.2: UN of undefined length holds implicit VR little endian items. In implicit
                // input an unknown tag of undefined length can only be a sequence.
                return OpenContainer(ref context, ContainerKind.Sequence, tag, length, headerLength, inputExplicit: false, data);
            }

            Fail($"{FormatTag(tag)} at offset {_position} has an undefined length, which its VR {FormatVR(vr)} does not allow.");
            return -1;
        }

        if (length > room - headerLength)
        {
            Fail($"The value of {FormatTag(tag)} at offset {_position} ({length} bytes) crosses the end of the enclosing sequence or item at offset {context.Limit}.");
            return -1;
        }

        if (vr == ValueRepresentation.SQ)
        {
            return OpenContainer(ref context, ContainerKind.Sequence, tag, length, headerLength, context.InputExplicit, data);
        }

        _valueTag = tag;
        _valueRemaining = length;
        _discardValue = false;
        if (_copyHeaders)
        {
            Pend(data[..headerLength]);
        }
        else if ((ushort)tag == 0x0000 && (tag >> 16) is not 0x0000 and not 0x0002)
        {
            // PS3.5 §7.2: group lengths (other than of the command and file meta groups) are retired, and
            // their value would not match the converted group: drop the element.
            _discardValue = true;
        }
        else if (context.OutputExplicit)
        {
            ValueRepresentation outputVR = vr == ValueRepresentation.None ? ValueRepresentation.UN : vr;
            if (!ExplicitVR.HasLongLength(outputVR) && length > ushort.MaxValue)
            {
                // A 16-bit length cannot say it: UN has a 32-bit length (PS3.5 §6.2.2).
                outputVR = ValueRepresentation.UN;
            }

            PendExplicit(tag, outputVR, length);
        }
        else
        {
            PendImplicit(tag, length);
        }

        return headerLength;
    }

    private int ReadItemOrDelimiter(ref Container context, uint tag, uint length, long room, ReadOnlySpan<byte> header)
    {
        switch (tag)
        {
            case ItemTag when context.Kind == ContainerKind.Sequence:
                if (length != UndefinedLength && length > room - 8)
                {
                    Fail($"The item at offset {_position} ({length} bytes) crosses the end of the enclosing sequence or item at offset {context.Limit}.");
                    return -1;
                }

                if (_copyHeaders)
                {
                    Pend(header);
                }
                else
                {
                    PendImplicit(ItemTag, UndefinedLength);
                }

                Push(ContainerKind.Item, length, 8, context.InputExplicit, context.OutputExplicit, context.Limit);
                return 8;

            case ItemTag when context.Kind == ContainerKind.Fragments:
                if (length == UndefinedLength || length > room - 8)
                {
                    Fail($"The pixel data fragment at offset {_position} has an undefined length or crosses the end of its enclosing item.");
                    return -1;
                }

                // PS3.5 §A.4: fragment items (basic offset table first) are copied as they are.
                Pend(header);
                _valueTag = tag;
                _valueRemaining = length;
                _discardValue = false;
                return 8;

            case ItemDelimitationTag when context.Kind == ContainerKind.Item && context.End < 0:
                WriteDelimiter(ItemDelimitationTag, header);
                _count--;
                return 8;

            case SequenceDelimitationTag when context.Kind is ContainerKind.Sequence or ContainerKind.Fragments && context.End < 0:
                WriteDelimiter(SequenceDelimitationTag, header);
                _count--;
                _sequenceDepth--;
                return 8;

            default:
                Fail($"{FormatTag(tag)} at offset {_position} is not allowed here (in a {DescribeContext(context)}).");
                return -1;
        }
    }

    private int OpenContainer(ref Container context, ContainerKind kind, uint tag, uint length, int headerLength, bool inputExplicit, ReadOnlySpan<byte> header)
    {
        if (_sequenceDepth >= MaxDepth)
        {
            Fail($"{FormatTag(tag)} at offset {_position} nests sequences deeper than the limit of {MaxDepth}.");
            return -1;
        }

        if (_copyHeaders)
        {
            Pend(header[..headerLength]);
        }
        else if (context.OutputExplicit)
        {
            PendExplicit(tag, kind == ContainerKind.Fragments ? ValueRepresentation.OB : ValueRepresentation.SQ, UndefinedLength);
        }
        else
        {
            PendImplicit(tag, UndefinedLength);
        }

        Push(kind, length, headerLength, inputExplicit, context.OutputExplicit, context.Limit);
        _sequenceDepth++;
        return headerLength;
    }

    private void Push(ContainerKind kind, uint length, int headerLength, bool inputExplicit, bool outputExplicit, long parentLimit)
    {
        bool defined = length != UndefinedLength;
        long end = defined ? _position + headerLength + length : -1;
        _stack[_count++] = new Container
        {
            Kind = kind,
            End = end,
            Limit = defined ? end : parentLimit,
            InputExplicit = inputExplicit,
            OutputExplicit = outputExplicit,
            EmitDelimiter = defined && !_copyHeaders,
        };
    }

    private void CloseDefinedLengthContainer()
    {
        Container closed = _stack[--_count];
        if (closed.Kind != ContainerKind.Item)
        {
            _sequenceDepth--;
        }

        if (closed.EmitDelimiter)
        {
            // The container was written with undefined length: close it as PS3.5 §7.5.1/§7.5.2 require.
            PendImplicit(closed.Kind == ContainerKind.Item ? ItemDelimitationTag : SequenceDelimitationTag, 0);
        }
    }

    private void WriteDelimiter(uint tag, ReadOnlySpan<byte> header)
    {
        if (_copyHeaders)
        {
            Pend(header);
        }
        else
        {
            PendImplicit(tag, 0);
        }
    }

    private void Pend(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_pending.AsSpan(_pendingEnd));
        _pendingEnd += bytes.Length;
    }

    private void PendImplicit(uint tag, uint length)
    {
        // PS3.5 §7.1.3 (and §7.5 for items and delimiters): group, element, u32 length, little endian.
        Span<byte> target = _pending.AsSpan(_pendingEnd, 8);
        BinaryPrimitives.WriteUInt16LittleEndian(target, (ushort)(tag >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(target[2..], (ushort)tag);
        BinaryPrimitives.WriteUInt32LittleEndian(target[4..], length);
        _pendingEnd += 8;
    }

    private void PendExplicit(uint tag, ValueRepresentation vr, uint length)
    {
        // PS3.5 §7.1.2: group, element, VR (two ASCII bytes, first one first), then either 2 reserved bytes
        // and a u32 length (Table 7.1-1) or a u16 length (Table 7.1-2).
        Span<byte> target = _pending.AsSpan(_pendingEnd);
        BinaryPrimitives.WriteUInt16LittleEndian(target, (ushort)(tag >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(target[2..], (ushort)tag);
        BinaryPrimitives.WriteUInt16BigEndian(target[4..], (ushort)vr);
        if (ExplicitVR.HasLongLength(vr))
        {
            BinaryPrimitives.WriteUInt16LittleEndian(target[6..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(target[8..], length);
            _pendingEnd += 12;
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(target[6..], (ushort)length);
            _pendingEnd += 8;
        }
    }

    private static string FormatTag(uint tag) => $"({tag >> 16:X4},{tag & 0xFFFF:X4})";

    private static string FormatVR(ValueRepresentation vr) =>
        vr == ValueRepresentation.None ? "(none)" : string.Create(2, (ushort)vr, static (span, code) =>
        {
            span[0] = (char)(code >> 8);
            span[1] = (char)(code & 0xFF);
        });

    private static string DescribeContext(in Container context) => context.Kind switch
    {
        ContainerKind.Sequence => context.End < 0 ? "sequence of undefined length" : "sequence of defined length",
        ContainerKind.Item => context.End < 0 ? "item of undefined length" : "item of defined length",
        ContainerKind.Fragments => "encapsulated pixel data element",
        _ => "data set outside any sequence",
    };

    private enum ContainerKind : byte
    {
        DataSet,
        Sequence,
        Item,
        Fragments,
    }

    /// <summary>One open sequence, item or encapsulated pixel data element (or the root data set).</summary>
    private struct Container
    {
        /// <summary>Input offset just after the container, or -1 for undefined length.</summary>
        public long End;

        /// <summary>End of the nearest enclosing container of defined length (this one if defined), or -1.</summary>
        public long Limit;

        public ContainerKind Kind;

        /// <summary>How the elements inside are encoded on input (implicit inside an explicit UN of undefined length).</summary>
        public bool InputExplicit;

        public bool OutputExplicit;

        /// <summary>Written with undefined length although the input's was defined: write a delimiter at the end.</summary>
        public bool EmitDelimiter;
    }
}
