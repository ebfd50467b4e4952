using System;
using System.Buffers;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The P-DATA-TF PDU (PS3.8 §9.3.5, Table 9-22). Big-endian header.
/// <code>
/// offset  size  field
///   0      1    PDU-type 0x04
///   1      1    reserved
///   2      4    PDU-length: u32 BE, the bytes of all PDV items
///   6      n    one or more PDV items (<see cref="PresentationDataValue"/>)
/// </code>
/// With one PDV per PDU the PDU-length is fragment length + 6, and the whole PDU fragment length + 12. Sending
/// a data set in a P-DATA-TF of its own, apart from its command, avoids peers that mishandle shared PDUs
/// (reference §7 #1). Reading is done with <see cref="PduReader.TryReadPdu"/> and
/// <see cref="PresentationDataValueReader"/>; the helpers here write headers into a caller's span so that a
/// fragment held elsewhere is sent without a copy.
/// </summary>
public static class PDataTf
{
    /// <summary>Offset of the first PDV item.</summary>
    public const int FirstItemOffset = PduHeader.Size;

    /// <summary>The bytes in front of the fragment of a single-PDV P-DATA-TF: PDU header and PDV item header.</summary>
    public const int SinglePdvHeaderLength = PduHeader.Size + PresentationDataValue.ItemHeaderLength;

    /// <summary>The largest fragment that fits a single-PDV P-DATA-TF whose PDU-length may not exceed <paramref name="maximumLength"/>.</summary>
    /// <remarks>
    /// The result is <paramref name="maximumLength"/> − 6, rounded down to even (PS3.8 Annex D.1 counts the
    /// PDU-length field). 0 (no limit, reference §7 #6) and values too small for any data are the caller's to
    /// resolve beforehand.
    /// </remarks>
    public static int GetMaxFragmentLength(int maximumLength) =>
        Math.Max(0, maximumLength - PresentationDataValue.ItemHeaderLength) & ~1;

    /// <summary>The PDU-length field of a P-DATA-TF carrying one PDV of <paramref name="fragmentLength"/> bytes.</summary>
    public static long GetPduLength(int fragmentLength) => (long)fragmentLength + PresentationDataValue.ItemHeaderLength;

    /// <summary>Writes the 6-byte P-DATA-TF header with the given PDU-length (the sum of the PDV items that follow).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pduLength"/> is outside 0 … 2^32 − 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 6 bytes.</exception>
    public static int WritePduHeader(Span<byte> destination, long pduLength)
    {
        if ((ulong)pduLength > uint.MaxValue)
        {
            PduThrowHelper.ThrowPduLength(pduLength);
        }

        new PduHeader(PduType.PDataTf, (uint)pduLength).Write(destination);
        return PduHeader.Size;
    }

    /// <summary>
    /// Writes the 12 bytes that precede the fragment of a single-PDV P-DATA-TF: the PDU header and the PDV item header.
    /// Send the fragment right after them. Returns 12.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fragmentLength"/> is negative or odd.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 12 bytes.</exception>
    public static int WriteSinglePdvHeader(Span<byte> destination, byte presentationContextId, byte messageControlHeader, int fragmentLength)
    {
        if (destination.Length < SinglePdvHeaderLength)
        {
            PduThrowHelper.ThrowDestinationTooSmall(SinglePdvHeaderLength);
        }

        // The item header first: it validates the fragment length before the PDU header is derived from it.
        PresentationDataValue.WriteItemHeader(destination[PduHeader.Size..], presentationContextId, messageControlHeader, fragmentLength);
        WritePduHeader(destination, GetPduLength(fragmentLength));
        return SinglePdvHeaderLength;
    }

    /// <summary>Writes a whole single-PDV P-DATA-TF (headers and a copy of <paramref name="fragment"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The fragment length is odd.</exception>
    public static void Write(IBufferWriter<byte> writer, byte presentationContextId, byte messageControlHeader, ReadOnlySpan<byte> fragment)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int total = SinglePdvHeaderLength + fragment.Length;
        Span<byte> span = writer.GetSpan(total);
        WriteSinglePdvHeader(span, presentationContextId, messageControlHeader, fragment.Length);
        fragment.CopyTo(span[SinglePdvHeaderLength..]);
        writer.Advance(total);
    }
}
