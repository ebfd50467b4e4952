using System;
using System.Buffers;

namespace Embedded.Dicom.Benchmarks.Mocks;

/// <summary>An IBufferWriter that reuses one buffer: measures the writer, not memory growth.</summary>
public sealed class NullBufferWriter : IBufferWriter<byte>
{
    private readonly byte[] _buffer = new byte[256 * 1024];

    public void Advance(int count)
    {
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _buffer;

    public Span<byte> GetSpan(int sizeHint = 0) => _buffer;
}
