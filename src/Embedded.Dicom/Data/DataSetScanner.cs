using System;
using System.Buffers;
using System.IO;
using System.IO.Compression;
using Microsoft.Win32.SafeHandles;

namespace Embedded.Dicom.Data;

/// <summary>
/// Checks the structure of the data set of a PS3.10 file before it is accepted (a store-and-forward agent's
/// gate), and picks up a few top-level values on the way.
/// </summary>
public static class DataSetScanner
{
    /// <summary>
    /// The longest value captured: every VR with a 16-bit length fits (PS3.5 §7.1.2); a longer UC, UR or UT
    /// value is not read and its capture stays null.
    /// </summary>
    public const int MaxCapturedValueLength = ushort.MaxValue;

    private const int BufferLength = MaxCapturedValueLength + 1024;

    /// <summary>
    /// Walks the data set of a Part 10 file from <see cref="Part10FileInfo.DataSetOffset"/> to the end of the
    /// file with a <see cref="DataSetReader"/> and checks its structure: every header complete; every defined
    /// length even (PS3.5 §7.1.1), within its sequence or item and within the file; sequences, items and
    /// delimiters balanced (undefined lengths, encapsulated pixel data fragments, PS3.5 §7.5, §A.4);
    /// encapsulated pixel data only in an encapsulated transfer syntax; at most <paramref name="maxDepth"/>
    /// nested sequences. Explicit VR Little Endian, Implicit VR Little Endian, Explicit VR Big Endian,
    /// Deflated Explicit VR Little Endian (raw deflate, PS3.5 §A.5, inflated with <see cref="DeflateStream"/>
    /// after checking that the deflate stream is complete) and the encapsulated syntaxes (Explicit VR Little
    /// Endian framing) are read.
    /// </summary>
    /// <param name="file">The file, opened for reading (random access: its position is not used).</param>
    /// <param name="info">What <see cref="Part10.TryReadFileMetaInformation(SafeFileHandle, out Part10FileInfo?, out string?)"/> found.</param>
    /// <param name="capture">Tags of top-level elements whose values are wanted.</param>
    /// <param name="values">
    /// Receives the value of <paramref name="capture"/>[i] in [i]: text with trailing space and NUL padding
    /// removed, decoded with the Specific Character Set (0008,0005) of the data set where it applies; null when
    /// the element is absent, nested in a sequence only, of a binary VR (or unknown VR in implicit VR), or
    /// longer than <see cref="MaxCapturedValueLength"/>.
    /// </param>
    /// <param name="error">Why the data set is malformed ("element (gggg,eeee) at offset N: …", file offsets; in a
    /// deflated data set, offsets in the inflated data), or null.</param>
    /// <param name="maxDepth">The nesting limit for sequences.</param>
    /// <returns>True when the data set is well formed. Malformed input and I/O errors give false, never an exception.</returns>
    /// <remarks>
    /// The file is read sequentially through one pooled buffer of about 64 KiB; values longer than that are
    /// skipped with a seek, not read (except in a deflated data set, which must be inflated). A file cut exactly
    /// between two top-level elements is still a well-formed, shorter data set: no structural check can tell.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> is shorter than <paramref name="capture"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDepth"/> is not between 1 and 65536.</exception>
    public static bool TryScan(SafeFileHandle file, Part10FileInfo info, ReadOnlySpan<DicomTag> capture, string?[] values, out string? error, int maxDepth = DataSetReaderState.DefaultMaxDepth)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDepth, 65536);
        if (values.Length < capture.Length)
        {
            throw new ArgumentException($"{capture.Length} tags to capture but room for {values.Length} values.", nameof(values));
        }

        values.AsSpan(0, capture.Length).Clear();
        TransferSyntax syntax = TransferSyntax.Lookup(info.TransferSyntaxUid);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferLength);
        try
        {
            long fileLength = RandomAccess.GetLength(file);
            long start = info.DataSetOffset;
            if (start < 0 || start > fileLength)
            {
                error = $"the data set offset {start} lies outside the file ({fileLength} bytes)";
                return false;
            }

            var scan = new Scan(syntax, fileLength, capture, values);
            if (!syntax.IsDeflated)
            {
                var source = new FileSource(file, start, fileLength);
                return scan.Run(ref source, buffer, new DataSetReaderState(syntax, maxDepth, MaxCapturedValueLength, start), out error);
            }

            // PS3.5 §A.5: everything after the file meta information is one raw deflate stream.
            error = RawDeflate.CheckComplete(file, start, fileLength);
            if (error is not null)
            {
                error = $"the deflated data set at offset {start} is not a complete raw deflate stream: {error}";
                return false;
            }

            using var inflater = new DeflateStream(new FileRegionStream(file, start, fileLength), CompressionMode.Decompress);
            var inflated = new StreamSource(inflater);
            if (!scan.Run(ref inflated, buffer, new DataSetReaderState(syntax, maxDepth, MaxCapturedValueLength), out error))
            {
                error = $"in the inflated data set, {error}";
                return false;
            }

            return true;
        }
        catch (InvalidDataException e)
        {
            error = $"the deflated data set is corrupt: {e.Message}";
            return false;
        }
        catch (IOException e)
        {
            error = $"reading the file failed: {e.Message}";
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private interface ISource
    {
        /// <summary>True when values can be skipped by seeking instead of being read.</summary>
        bool CanSkip { get; }

        /// <summary>Reads into <paramref name="buffer"/>; 0 only at the end.</summary>
        int Read(Span<byte> buffer);

        /// <summary>Moves the next read <paramref name="count"/> bytes back (negative) or ahead.</summary>
        void Move(long count);
    }

    private readonly ref struct Scan
    {
        private const uint PixelDataTag = 0x7FE00010;

        private readonly TransferSyntax _syntax;
        private readonly long _fileLength;
        private readonly ReadOnlySpan<DicomTag> _capture;
        private readonly string?[] _values;

        public Scan(TransferSyntax syntax, long fileLength, ReadOnlySpan<DicomTag> capture, string?[] values)
        {
            _syntax = syntax;
            _fileLength = fileLength;
            _capture = capture;
            _values = values;
        }

        public bool Run<TSource>(ref TSource source, byte[] buffer, DataSetReaderState state, out string? error)
            where TSource : struct, ISource
        {
            int filled = 0;
            bool final = false;
            while (true)
            {
                if (!final)
                {
                    int read = source.Read(buffer.AsSpan(filled));
                    filled += read;
                    final = read == 0;
                }

                var reader = new DataSetReader(new ReadOnlySequence<byte>(buffer, 0, filled), final, state);
                bool skip = false;
                while (reader.Read())
                {
                    error = Check(ref reader);
                    if (error is not null)
                    {
                        return false;
                    }

                    if (!reader.IsValueComplete && reader.TokenType is DataSetTokenType.Element or DataSetTokenType.Fragment && source.CanSkip)
                    {
                        skip = true;
                        break;
                    }
                }

                error = reader.Error;
                if (error is not null)
                {
                    return false;
                }

                state = reader.CurrentState;
                int consumed = (int)reader.BytesConsumed;
                if (skip)
                {
                    // A long value: seek past it (its end is within the file: checked in Check) and refill.
                    source.Move(consumed - filled + state.SkipRemainingValue());
                    filled = 0;
                    final = false;
                    continue;
                }

                if (final)
                {
                    // The reader stops without an error on the final block only at the end of a complete data set.
                    return true;
                }

                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }

        private string? Check(ref DataSetReader reader)
        {
            DataSetTokenType type = reader.TokenType;
            if (type is DataSetTokenType.ItemEnd or DataSetTokenType.SequenceEnd)
            {
                return null;
            }

            if (!reader.IsUndefinedLength)
            {
                if ((reader.Length & 1) != 0)
                {
                    return $"element {reader.Tag} at offset {reader.TokenOffset}: odd length {reader.Length} (PS3.5 §7.1.1 requires even value lengths)";
                }

                if (!_syntax.IsDeflated && reader.ValueOffset + reader.Length > _fileLength)
                {
                    return $"element {reader.Tag} at offset {reader.TokenOffset}: length {reader.Length} runs past the end of the file ({_fileLength} bytes)";
                }
            }
            else if (type == DataSetTokenType.SequenceStart && reader.Tag.Value == PixelDataTag && !_syntax.IsEncapsulated)
            {
                return $"element {reader.Tag} at offset {reader.TokenOffset}: encapsulated pixel data (undefined length) in {_syntax.Name}, a native transfer syntax (PS3.5 §A.4)";
            }

            if (type == DataSetTokenType.Element && reader.CurrentDepth == 0 && reader.IsValueComplete && ValueRepresentationFacts.IsText(reader.VR))
            {
                for (int i = 0; i < _capture.Length; i++)
                {
                    if (_capture[i] == reader.Tag && _values[i] is null)
                    {
                        _values[i] = reader.GetString();
                    }
                }
            }

            return null;
        }
    }

    /// <summary>The file from an offset on, read with <see cref="RandomAccess"/> (no shared file position).</summary>
    private struct FileSource : ISource
    {
        private readonly SafeFileHandle _file;
        private readonly long _end;
        private long _next;

        public FileSource(SafeFileHandle file, long start, long end)
        {
            _file = file;
            _next = start;
            _end = end;
        }

        public readonly bool CanSkip => true;

        public int Read(Span<byte> buffer)
        {
            int wanted = (int)Math.Min(buffer.Length, _end - _next);
            int read = wanted <= 0 ? 0 : RandomAccess.Read(_file, buffer[..wanted], _next);
            _next += read;
            return read;
        }

        public void Move(long count) => _next += count;
    }

    private readonly struct StreamSource : ISource
    {
        private readonly Stream _stream;

        public StreamSource(Stream stream) => _stream = stream;

        public bool CanSkip => false;

        public int Read(Span<byte> buffer) => _stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);

        public void Move(long count) => throw new NotSupportedException();
    }

    /// <summary>A read-only, forward-only stream over a region of a file, for <see cref="DeflateStream"/>; does not own the handle.</summary>
    private sealed class FileRegionStream : Stream
    {
        private readonly SafeFileHandle _file;
        private readonly long _end;
        private long _next;

        public FileRegionStream(SafeFileHandle file, long start, long end)
        {
            _file = file;
            _next = start;
            _end = end;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int wanted = (int)Math.Min(buffer.Length, _end - _next);
            int read = wanted <= 0 ? 0 : RandomAccess.Read(_file, buffer[..wanted], _next);
            _next += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
