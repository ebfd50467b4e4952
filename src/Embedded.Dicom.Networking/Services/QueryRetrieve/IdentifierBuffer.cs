using System;
using System.Buffers;

namespace Embedded.Dicom.Networking.Services;

/// <summary>
/// One C-FIND identifier in memory, in the three roles the find path needs: written by a
/// <see cref="Data.DataSetWriter"/> (<see cref="IBufferWriter{T}"/>), filled by the association from received PDVs
/// (<see cref="IDataSetSink"/>), and sent (<see cref="IDataSetSource"/> of known length, so the engine copies it
/// straight into the outgoing PDU). The array is pooled and kept across identifiers: once grown to the largest
/// identifier of an association, streaming responses allocates nothing.
/// </summary>
internal sealed class IdentifierBuffer : IBufferWriter<byte>, IDataSetSink, IDataSetSource, IDisposable
{
    private readonly int _limit;
    private byte[] _array = [];
    private int _written;
    private int _read;

    /// <summary>Creates an empty buffer that accepts at most <paramref name="limit"/> received bytes.</summary>
    public IdentifierBuffer(int limit) => _limit = limit;

    /// <summary>True when a received data set was longer than the limit (its bytes were dropped).</summary>
    public bool Overflowed { get; private set; }

    /// <summary>The bytes written or received so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _written);

    /// <summary>The number of bytes written or received.</summary>
    public int WrittenCount => _written;

    /// <summary>Empties the buffer (the array is kept).</summary>
    public void Reset()
    {
        _written = 0;
        _read = 0;
        Overflowed = false;
    }

    /// <summary>Makes the written bytes readable again from the start.</summary>
    public void Rewind() => _read = 0;

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _array.Length - _written)
        {
            throw new InvalidOperationException("Advance past the span handed out.");
        }

        _written += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_written);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_written);
    }

    /// <inheritdoc/>
    public void Write(in ReadOnlySequence<byte> fragment)
    {
        if (Overflowed)
        {
            return;
        }

        if (_written + fragment.Length > _limit)
        {
            // Keep reading the PDVs (the association must stay in step) but drop the bytes; the owner answers
            // the request with a failure instead of buffering without bound (conventions C8).
            Overflowed = true;
            return;
        }

        int length = (int)fragment.Length;
        Ensure(length);
        fragment.CopyTo(_array.AsSpan(_written));
        _written += length;
    }

    /// <inheritdoc/>
    public void Complete()
    {
    }

    /// <inheritdoc/>
    public void Abort() => Reset();

    /// <inheritdoc/>
    public int Read(Span<byte> destination)
    {
        int count = Math.Min(destination.Length, _written - _read);
        _array.AsSpan(_read, count).CopyTo(destination);
        _read += count;
        return count;
    }

    /// <inheritdoc/>
    public long RemainingLength => _written - _read;

    /// <summary>Returns the array to the pool.</summary>
    public void Dispose()
    {
        byte[] array = _array;
        _array = [];
        _written = 0;
        _read = 0;
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void Ensure(int sizeHint)
    {
        int needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _array.Length)
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(256, _array.Length * 2)));
        _array.AsSpan(0, _written).CopyTo(larger);
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
        }

        _array = larger;
    }
}
