using System;
using System.Buffers;
using System.Collections.Generic;

namespace Embedded.Dicom.Networking.Tests.Pdu;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, as a pipe hands out data that arrived in pieces.</summary>
internal static class SegmentedSequence
{
    /// <summary>Splits <paramref name="data"/> into two segments at <paramref name="split"/> (either may be empty).</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] data, int split) => Create(data, [split]);

    /// <summary>One segment per byte.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data)
    {
        var splits = new List<int>();
        for (int i = 1; i < data.Length; i++)
        {
            splits.Add(i);
        }

        return Create(data, splits);
    }

    /// <summary>Splits <paramref name="data"/> at the given ascending positions; each segment gets its own array.</summary>
    public static ReadOnlySequence<byte> Create(byte[] data, IReadOnlyList<int> splits)
    {
        if (data.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(data.AsSpan(0, splits.Count > 0 ? splits[0] : data.Length).ToArray(), 0);
        Segment last = first;
        for (int i = 0; i < splits.Count; i++)
        {
            int start = splits[i];
            int end = i + 1 < splits.Count ? splits[i + 1] : data.Length;
            last = last.Append(data.AsSpan(start, end - start).ToArray());
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
