using System;
using System.Buffers;
using System.Collections.Generic;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Tests.Data;

/// <summary>Iterating a data set allocates nothing after warm-up (conventions §1.4: asserted, not hoped for).</summary>
/// <remarks>
/// Each measurement is repeated up to <see cref="Attempts"/> times and must be zero at least once: while other
/// tests run in parallel, tiered compilation may promote a method in the middle of a measurement, and that
/// promotion can be charged to the measuring thread (never seen with DOTNET_TieredCompilation=0). Code that
/// allocates does so on every pass, so it fails every attempt.
/// </remarks>
public class DataSetReaderAllocationTests
{
    private const int Iterations = 20;
    private const int Attempts = 5;

    /// <summary>About 1 MiB: many small elements, nested sequences of both kinds, a large OW and encapsulated pixel data.</summary>
    private static byte[] DataSet(bool explicitVR)
    {
        var nodes = new List<DsNode> { Ds.Uid(0x00080016, "1.2.840.10008.5.1.4.1.1.7") };
        for (int block = 0; block < 200; block++)
        {
            nodes.Add(Ds.Seq(0x00081115, undefined: block % 2 == 0,
                Ds.Item(block % 3 == 0,
                    Ds.Uid(0x00081150, "1.2.840.10008.5.1.4.1.1.4"),
                    Ds.Seq(0x00081140, undefined: block % 2 == 1, Ds.Item(false, Ds.Uid(0x00081155, "1.2.3.4." + block)))),
                Ds.Item(true)));
            nodes.Add(Ds.UShort(0x00280010, (ushort)block));
            nodes.Add(Ds.Bytes(0x00420011, "OB", 4000, seed: block));
        }

        nodes.Add(Ds.Bytes(0x00281201, "OW", 200 * 1024, seed: 99));
        if (explicitVR)
        {
            nodes.Add(new DsFragments([[], Ds.Bytes(0, "OB", 2000, seed: 1).Value]));
        }

        // Each block repeats the same tags: the reader does not check the order, this only makes the data large.
        return Ds.Encode(nodes, explicitVR);
    }

    private static long Walk(ReadOnlySequence<byte> data, ref DataSetReaderState state)
    {
        state.Reset();
        var reader = new DataSetReader(data, isFinalBlock: true, state);
        long checksum = 0;
        while (reader.Read())
        {
            checksum += (long)reader.TokenType + reader.CurrentDepth + reader.Length;
            if (reader.TokenType == DataSetTokenType.Element)
            {
                if (reader.TryGetUInt16(out ushort value))
                {
                    checksum += value;
                }

                checksum += reader.ValueIsEqualTo("1.2.840.10008.5.1.4.1.1.4"u8) ? 1 : 0;
                checksum += reader.ValueSpan.Length + (reader.HasValueSequence ? 1 : 0);
            }
        }

        if (reader.Error is not null)
        {
            return -1;
        }

        state = reader.CurrentState; // keeps the stack array the first walk allocated
        return checksum;
    }

    private static long WalkInChunks(byte[] data, int chunkSize, ref DataSetReaderState state)
    {
        state.Reset();
        long tokens = 0;
        int start = 0;
        int available = 0;
        while (true)
        {
            available = Math.Min(data.Length, available + chunkSize);
            bool final = available == data.Length;
            var reader = new DataSetReader(new ReadOnlySequence<byte>(data, start, available - start), final, state);
            while (reader.Read())
            {
                tokens++;
            }

            if (reader.Error is not null)
            {
                return -1;
            }

            start += (int)reader.BytesConsumed;
            state = reader.CurrentState;
            if (final)
            {
                return tokens;
            }
        }
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 0)]
    [InlineData(true, 4096)]
    [InlineData(false, 1000)]
    public void IteratingOneMegabyte_AfterWarmUp_AllocatesNothing(bool explicitVR, int segmentLength)
    {
        byte[] bytes = DataSet(explicitVR);
        Assert.InRange(bytes.Length, 1_000_000, 1_200_000);
        ReadOnlySequence<byte> data = segmentLength == 0 ? new ReadOnlySequence<byte>(bytes) : DataSetReaderDriver.Segmented(bytes, segmentLength);
        TransferSyntax syntax = explicitVR ? TransferSyntax.ExplicitVRLittleEndian : TransferSyntax.ImplicitVRLittleEndian;
        var state = new DataSetReaderState(syntax);
        long expected = Walk(data, ref state);
        Assert.True(expected > 0);

        long allocated = long.MaxValue;
        for (int attempt = 0; attempt < Attempts && allocated != 0; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            long total = 0;
            for (int i = 0; i < Iterations; i++)
            {
                total += Walk(data, ref state);
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(expected * Iterations, total);
        }

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ReadingInChunksWithLongValuesPassedOver_AfterWarmUp_AllocatesNothing()
    {
        byte[] bytes = DataSet(explicitVR: true);
        var state = new DataSetReaderState(TransferSyntax.ExplicitVRLittleEndian, maxBufferedValueLength: 1024);
        long expected = WalkInChunks(bytes, 16 * 1024, ref state);
        Assert.True(expected > 0);

        long allocated = long.MaxValue;
        for (int attempt = 0; attempt < Attempts && allocated != 0; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            long total = 0;
            for (int i = 0; i < Iterations; i++)
            {
                total += WalkInChunks(bytes, 16 * 1024, ref state);
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(expected * Iterations, total);
        }

        Assert.Equal(0, allocated);
    }
}
