using System.Buffers;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// Yields the PDV items of one P-DATA-TF body (PS3.8 §9.3.5) one at a time, without allocating. Every item-length is
/// checked before anything is sliced: at least 2, even, and within the body. The body must hold at least one item,
/// and at most <see cref="PduLimits.MaxPdvsPerPdu"/>.
/// </summary>
/// <remarks>
/// Fragments are not interpreted here: reassembly of command and data-set streams (tags may straddle PDVs,
/// reference §7 #3) is the DIMSE layer's work. Presentation context IDs are not checked against the negotiated ones
/// here either.
/// </remarks>
public ref struct PresentationDataValueReader
{
    private SequenceReader<byte> _reader;
    private readonly int _maxPdvs;
    private int _count;
    private bool _done;

    /// <summary>Reads <paramref name="body"/>, the P-DATA-TF body returned by <see cref="PduReader.TryReadPdu"/>.</summary>
    public PresentationDataValueReader(ReadOnlySequence<byte> body, PduLimits limits)
    {
        _reader = new SequenceReader<byte>(body);
        _maxPdvs = limits.MaxPdvsPerPdu;
        _count = 0;
        _done = false;
        Error = default;
    }

    /// <summary>The fault that ended the walk; none when it ended at the end of the body.</summary>
    public PduError Error { get; private set; }

    /// <summary>The number of PDV items read so far.</summary>
    public readonly int Count => _count;

    /// <summary>
    /// Reads the next PDV item. False at the end of the body, or on a fault (then <see cref="Error"/> is set and the
    /// P-DATA-TF as a whole is invalid: stop using the values already read from it).
    /// </summary>
    public bool TryRead(out PresentationDataValue value)
    {
        value = default;
        if (_done)
        {
            return false;
        }

        long remaining = _reader.Remaining;
        int offset = PduHeader.Size + (int)_reader.Consumed;
        if (remaining == 0)
        {
            _done = true;
            if (_count == 0)
            {
                Error = new PduError(PduRejectReason.EmptyDataPdu, offset, 0, (byte)PduType.PDataTf);
            }

            return false;
        }

        if (remaining < PresentationDataValue.ItemHeaderLength)
        {
            return Fail(PduRejectReason.PdvHeaderTruncated, offset, remaining);
        }

        if (_count >= _maxPdvs)
        {
            return Fail(PduRejectReason.TooManyPdvs, offset, _maxPdvs);
        }

        _reader.TryReadBigEndian(out int signedLength);
        uint itemLength = unchecked((uint)signedLength);
        if (itemLength < PresentationDataValue.MinimumItemLength)
        {
            return Fail(PduRejectReason.PdvLengthTooShort, offset, itemLength);
        }

        if (itemLength > remaining - 4)
        {
            return Fail(PduRejectReason.PdvLengthPastEnd, offset, itemLength);
        }

        if ((itemLength & 1) != 0)
        {
            return Fail(PduRejectReason.OddPdvLength, offset, itemLength);
        }

        _reader.TryRead(out byte presentationContextId);
        _reader.TryRead(out byte messageControlHeader);
        long fragmentLength = itemLength - PresentationDataValue.MinimumItemLength;
        ReadOnlySequence<byte> fragment = _reader.Sequence.Slice(_reader.Position, fragmentLength);
        _reader.Advance(fragmentLength);
        _count++;
        value = new PresentationDataValue(presentationContextId, messageControlHeader, fragment);
        return true;
    }

    private bool Fail(PduRejectReason reason, int offset, long detail)
    {
        _done = true;
        Error = new PduError(reason, offset, detail, (byte)PduType.PDataTf);
        return false;
    }
}
