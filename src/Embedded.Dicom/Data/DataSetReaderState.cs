using System;

namespace Embedded.Dicom.Data;

/// <summary>
/// What a <see cref="DataSetReader"/> must remember between two buffers of the same data set: the encoding,
/// the offset reached, the open sequences and items, a value being passed over, and a failure. Create one per
/// data set, give it to the first reader, and continue each time from <see cref="DataSetReader.CurrentState"/>
/// (the System.Text.Json <c>JsonReaderState</c> pattern; it survives an <c>await</c>).
/// </summary>
/// <remarks>
/// The stack of open sequences and items is an array, allocated on the first sequence and shared by every
/// copy of the state: continue from the newest <see cref="DataSetReader.CurrentState"/> only, never from an
/// older copy. A data set without sequences allocates nothing.
/// </remarks>
public struct DataSetReaderState
{
    /// <summary>The default limit on nested sequences.</summary>
    public const int DefaultMaxDepth = 64;

    internal Container _root;
    internal Container[]? _stack;
    internal int _count;
    internal int _sequenceDepth;
    internal long _position;
    internal long _valueRemaining;
    internal long _valueOffset;
    internal uint _valueTag;
    internal string? _error;
    private readonly long _startOffset;

    /// <summary>Creates the state for a data set encoded in <paramref name="transferSyntax"/>.</summary>
    /// <param name="transferSyntax">
    /// The transfer syntax; for Deflated Explicit VR Little Endian give the reader the inflated bytes (PS3.5
    /// §A.5), for encapsulated syntaxes the data set is Explicit VR Little Endian (PS3.5 §A.4).
    /// </param>
    /// <param name="maxDepth">How many sequences may be nested inside each other (encapsulated pixel data counts as one); deeper input is invalid.</param>
    /// <param name="maxBufferedValueLength">
    /// Values (and pixel data fragments) up to this length are reported only once they are complete, so
    /// <see cref="DataSetReader.Read"/> returns false until the buffer holds them. A longer value that is not
    /// complete is reported as soon as its header is (with <see cref="DataSetReader.IsValueComplete"/> false)
    /// and its bytes are then passed over as they arrive, or skipped by the caller (<see cref="SkipRemainingValue"/>).
    /// The default never passes a value over.
    /// </param>
    /// <param name="startOffset">The offset of the data set's first byte in its file or stream, so that offsets and error messages count from there.</param>
    public DataSetReaderState(TransferSyntax transferSyntax, int maxDepth = DefaultMaxDepth, int maxBufferedValueLength = int.MaxValue, long startOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(transferSyntax);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDepth, 65536);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBufferedValueLength);
        ArgumentOutOfRangeException.ThrowIfNegative(startOffset);
        IsExplicitVR = transferSyntax.IsExplicitVR;
        IsLittleEndian = transferSyntax.IsLittleEndian;
        MaxDepth = maxDepth;
        MaxBufferedValueLength = maxBufferedValueLength;
        _startOffset = startOffset;
        Reset();
    }

    /// <summary>True when the data set's elements carry their VR (PS3.5 §7.1.2).</summary>
    public bool IsExplicitVR { get; }

    /// <summary>False only for Explicit VR Big Endian (PS3.5 §7.3, retired).</summary>
    public bool IsLittleEndian { get; }

    /// <summary>The nesting limit.</summary>
    public int MaxDepth { get; }

    /// <summary>The longest value reported only when complete (see the constructor).</summary>
    public int MaxBufferedValueLength { get; }

    /// <summary>The offset of the next byte to read (counted from the start offset given to the constructor).</summary>
    public readonly long Position => _position;

    /// <summary>Bytes of a long value still to be passed over before the next header (see <see cref="SkipRemainingValue"/>).</summary>
    public readonly long ValueBytesRemaining => _valueRemaining;

    /// <summary>True once a reader found the data malformed; every later read fails with the same <see cref="Error"/>.</summary>
    public readonly bool HasError => _error is not null;

    /// <summary>Why the data is malformed ("element (gggg,eeee) at offset N: …"), or null.</summary>
    public readonly string? Error => _error;

    /// <summary>
    /// Marks the rest of the value being passed over (<see cref="ValueBytesRemaining"/> bytes) as skipped by the
    /// caller, who seeks past them in its source instead of handing them to a reader; returns that count. The
    /// next reader must start at the first byte after the value.
    /// </summary>
    public long SkipRemainingValue()
    {
        long count = _valueRemaining;
        _position += count;
        _valueRemaining = 0;
        return count;
    }

    /// <summary>Forgets everything read, to read a new data set with the same settings (keeps the stack array).</summary>
    /// <exception cref="InvalidOperationException">The state was not created with a constructor.</exception>
    public void Reset()
    {
        if (MaxDepth == 0)
        {
            throw new InvalidOperationException("Create the state with new DataSetReaderState(transferSyntax).");
        }

        _root = new Container
        {
            Kind = ContainerKind.DataSet,
            End = -1,
            Limit = -1,
            Explicit = IsExplicitVR,
            BigEndian = !IsLittleEndian,
            Charset = SpecificCharacterSet.Default,
        };
        _count = 0;
        _sequenceDepth = 0;
        _position = _startOffset;
        _valueRemaining = 0;
        _valueOffset = 0;
        _valueTag = 0;
        _error = null;
    }

    internal enum ContainerKind : byte
    {
        DataSet,
        Sequence,
        Item,
        Fragments,
    }

    /// <summary>One open sequence, item or encapsulated pixel data element (or the root data set).</summary>
    internal struct Container
    {
        /// <summary>Offset just after the container, or -1 for undefined length.</summary>
        public long End;

        /// <summary>End of the nearest enclosing container of defined length (this one if defined), or -1.</summary>
        public long Limit;

        /// <summary>Offset of the header that opened it (for messages).</summary>
        public long Offset;

        /// <summary>The tag that opened it (for messages).</summary>
        public uint Tag;

        public ContainerKind Kind;

        /// <summary>How the elements inside are encoded (an explicit UN of undefined length holds implicit VR LE, PS3.5 §6.2.2).</summary>
        public bool Explicit;

        public bool BigEndian;

        /// <summary>(0008,0005) in force: inherited by items, replaced by one inside them.</summary>
        public SpecificCharacterSet Charset;
    }
}
