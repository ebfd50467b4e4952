using System;
using System.Buffers;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace Embedded.Dicom.Data;

/// <summary>
/// Walks the block structure of a raw deflate stream (RFC 1951 §3.2) without producing output, to tell a
/// complete stream from a truncated one. <see cref="System.IO.Compression.DeflateStream"/> cannot: when its
/// input ends early it simply stops, so a file cut inside a Deflated Explicit VR Little Endian data set (PS3.5
/// §A.5) could otherwise inflate to a shorter data set that still looks well formed.
/// </summary>
/// <remarks>
/// The walk decodes every Huffman code (that is the only way to find the end-of-block symbols) but keeps no
/// window and checks no distances; DeflateStream does that while inflating.
/// </remarks>
internal static class RawDeflate
{
    private const int MaxBits = 15;

    // RFC 1951 §3.2.5: extra bits of the length codes 257..285 and of the distance codes 0..29.
    private static ReadOnlySpan<byte> LengthExtraBits => [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];

    private static ReadOnlySpan<byte> DistanceExtraBits => [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

    // RFC 1951 §3.2.7: the order in which the code length code lengths are sent.
    private static ReadOnlySpan<byte> CodeLengthOrder => [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    /// <summary>
    /// Checks that the deflate stream in the file from <paramref name="start"/> to <paramref name="end"/> has a
    /// final block that ends within it. Returns null when it does, else why not.
    /// </summary>
    public static string? CheckComplete(SafeFileHandle file, long start, long end)
    {
        var bits = new BitReader(file, start, end);
        try
        {
            return Walk(ref bits);
        }
        finally
        {
            bits.Dispose();
        }
    }

    private static string? Walk(ref BitReader bits)
    {
        Span<byte> lengths = stackalloc byte[286 + 30];
        Span<short> literalCounts = stackalloc short[MaxBits + 1];
        Span<short> literalSymbols = stackalloc short[288];
        Span<short> distanceCounts = stackalloc short[MaxBits + 1];
        Span<short> distanceSymbols = stackalloc short[30];
        const string Truncated = "the deflate stream ends before its final block (the file is truncated)";
        bool final;
        do
        {
            final = bits.Read(1) == 1;
            int type = bits.Read(2);
            if (bits.Ended)
            {
                return Truncated;
            }

            if (type == 0)
            {
                // §3.2.4 stored block: LEN and its one's complement NLEN, then LEN bytes.
                bits.AlignToByte();
                int length = bits.Read(16);
                int complement = bits.Read(16);
                if (bits.Ended)
                {
                    return Truncated;
                }

                if (length != (~complement & 0xFFFF))
                {
                    return "a stored deflate block has a length that does not match its complement";
                }

                bits.SkipBytes(length);
                if (bits.Ended)
                {
                    return Truncated;
                }

                continue;
            }

            if (type == 1)
            {
                // §3.2.6 fixed Huffman codes.
                lengths[..144].Fill(8);
                lengths[144..256].Fill(9);
                lengths[256..280].Fill(7);
                lengths[280..288].Fill(8);
                Build(lengths[..288], literalCounts, literalSymbols);
                lengths[..30].Fill(5);
                Build(lengths[..30], distanceCounts, distanceSymbols);
            }
            else if (type == 2)
            {
                string? problem = ReadDynamicCodes(ref bits, lengths, literalCounts, literalSymbols, distanceCounts, distanceSymbols);
                if (problem is not null)
                {
                    return bits.Ended ? Truncated : problem;
                }
            }
            else
            {
                return "a deflate block has the reserved type 3";
            }

            // §3.2.5: literals, length/distance pairs, until end-of-block (256).
            while (true)
            {
                int symbol = Decode(ref bits, literalCounts, literalSymbols);
                if (bits.Ended)
                {
                    return Truncated;
                }

                if (symbol == 256)
                {
                    break;
                }

                if (symbol < 0 || symbol > 285)
                {
                    return "a deflate block holds an invalid literal/length code";
                }

                if (symbol > 256)
                {
                    bits.Read(LengthExtraBits[symbol - 257]);
                    int distance = Decode(ref bits, distanceCounts, distanceSymbols);
                    if (distance < 0 || distance > 29)
                    {
                        return bits.Ended ? Truncated : "a deflate block holds an invalid distance code";
                    }

                    bits.Read(DistanceExtraBits[distance]);
                }
            }
        }
        while (!final);

        return null;
    }

    private static string? ReadDynamicCodes(ref BitReader bits, Span<byte> lengths, Span<short> literalCounts, Span<short> literalSymbols, Span<short> distanceCounts, Span<short> distanceSymbols)
    {
        // §3.2.7: HLIT, HDIST, HCLEN, the code length code, then both code lengths run-length coded.
        int literalCount = bits.Read(5) + 257;
        int distanceCount = bits.Read(5) + 1;
        int codeLengthCount = bits.Read(4) + 4;
        if (literalCount > 286 || distanceCount > 30)
        {
            return "a dynamic deflate block declares too many codes";
        }

        Span<byte> codeLengths = stackalloc byte[19];
        codeLengths.Clear();
        for (int i = 0; i < codeLengthCount; i++)
        {
            codeLengths[CodeLengthOrder[i]] = (byte)bits.Read(3);
        }

        Span<short> counts = stackalloc short[MaxBits + 1];
        Span<short> symbols = stackalloc short[19];
        if (!Build(codeLengths, counts, symbols))
        {
            return "a dynamic deflate block has an over-subscribed code length code";
        }

        int total = literalCount + distanceCount;
        int index = 0;
        while (index < total)
        {
            int symbol = Decode(ref bits, counts, symbols);
            if (bits.Ended || symbol < 0)
            {
                return "a dynamic deflate block has invalid code lengths";
            }

            if (symbol < 16)
            {
                lengths[index++] = (byte)symbol;
                continue;
            }

            byte repeated = 0;
            int count;
            if (symbol == 16)
            {
                if (index == 0)
                {
                    return "a dynamic deflate block repeats a code length before the first";
                }

                repeated = lengths[index - 1];
                count = 3 + bits.Read(2);
            }
            else
            {
                count = symbol == 17 ? 3 + bits.Read(3) : 11 + bits.Read(7);
            }

            if (index + count > total)
            {
                return "a dynamic deflate block has too many code lengths";
            }

            lengths.Slice(index, count).Fill(repeated);
            index += count;
        }

        if (lengths[256] == 0)
        {
            return "a dynamic deflate block has no end-of-block code";
        }

        if (!Build(lengths[..literalCount], literalCounts, literalSymbols) || !Build(lengths.Slice(literalCount, distanceCount), distanceCounts, distanceSymbols))
        {
            return "a dynamic deflate block has an over-subscribed Huffman code";
        }

        return null;
    }

    /// <summary>Canonical Huffman code (§3.2.2) from code lengths: codes per length, and symbols in code order.</summary>
    private static bool Build(ReadOnlySpan<byte> lengths, Span<short> counts, Span<short> symbols)
    {
        counts.Clear();
        foreach (byte length in lengths)
        {
            counts[length]++;
        }

        int left = 1;
        for (int length = 1; length <= MaxBits; length++)
        {
            left = (left << 1) - counts[length];
            if (left < 0)
            {
                return false;
            }
        }

        Span<short> offsets = stackalloc short[MaxBits + 2];
        offsets[1] = 0;
        for (int length = 1; length <= MaxBits; length++)
        {
            offsets[length + 1] = (short)(offsets[length] + counts[length]);
        }

        for (int symbol = 0; symbol < lengths.Length; symbol++)
        {
            if (lengths[symbol] != 0)
            {
                symbols[offsets[lengths[symbol]]++] = (short)symbol;
            }
        }

        return true;
    }

    /// <summary>Decodes one symbol bit by bit (codes are packed most significant bit first, §3.1.1); -1 when no code matches.</summary>
    private static int Decode(ref BitReader bits, ReadOnlySpan<short> counts, ReadOnlySpan<short> symbols)
    {
        int code = 0;
        int first = 0;
        int index = 0;
        for (int length = 1; length <= MaxBits; length++)
        {
            code |= bits.Read(1);
            int count = counts[length];
            if (code - first < count)
            {
                return symbols[index + code - first];
            }

            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }

        return -1;
    }

    /// <summary>Bits of the file, least significant first (§3.1.1), through a pooled window; past the end it reads zeros and sets <see cref="Ended"/>.</summary>
    private struct BitReader
    {
        private const int WindowLength = 16 * 1024;

        private readonly SafeFileHandle _file;
        private readonly long _end;
        private readonly byte[] _window;
        private long _next;
        private int _windowStart;
        private int _windowCount;
        private uint _bitBuffer;
        private int _bitCount;

        public BitReader(SafeFileHandle file, long start, long end)
        {
            _file = file;
            _end = end;
            _next = start;
            _window = ArrayPool<byte>.Shared.Rent(WindowLength);
        }

        public bool Ended { get; private set; }

        public int Read(int count)
        {
            while (_bitCount < count)
            {
                _bitBuffer |= (uint)NextByte() << _bitCount;
                _bitCount += 8;
            }

            int value = (int)(_bitBuffer & ((1u << count) - 1));
            _bitBuffer >>= count;
            _bitCount -= count;
            return value;
        }

        public void AlignToByte()
        {
            int drop = _bitCount & 7;
            _bitBuffer >>= drop;
            _bitCount -= drop;
        }

        public void SkipBytes(int count)
        {
            // Whole bytes still in the bit buffer come first (the reader is byte aligned here).
            for (; count > 0 && _bitCount >= 8; count--)
            {
                Read(8);
            }

            int inWindow = Math.Min(count, _windowCount - _windowStart);
            _windowStart += inWindow;
            count -= inWindow;
            if (count > _end - _next)
            {
                Ended = true;
                _next = _end;
                return;
            }

            _next += count;
        }

        public readonly void Dispose() => ArrayPool<byte>.Shared.Return(_window);

        private byte NextByte()
        {
            if (_windowStart == _windowCount)
            {
                int wanted = (int)Math.Min(WindowLength, _end - _next);
                _windowCount = wanted <= 0 ? 0 : RandomAccess.Read(_file, _window.AsSpan(0, wanted), _next);
                _windowStart = 0;
                _next += _windowCount;
                if (_windowCount == 0)
                {
                    Ended = true;
                    return 0;
                }
            }

            return _window[_windowStart++];
        }
    }
}
