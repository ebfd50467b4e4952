using System;
using System.Buffers;
using System.Collections.Generic;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Tests.Data;

/// <summary>Steady-state transcoding allocates nothing (conventions §1.4: asserted, not hoped for).</summary>
public class DataSetTranscoderAllocationTests
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>About 1 MiB: many small elements, nested sequences of both kinds, private elements, a large OB and encapsulated pixel data.</summary>
    private static byte[] OneMegabyteDataSet()
    {
        var nodes = new List<DsNode>();
        for (int block = 0; block < 200; block++)
        {
            nodes.Add(Ds.Seq(0x00081115, undefined: block % 2 == 0,
                Ds.Item(block % 3 == 0,
                    Ds.Uid(0x00081150, "1.2.840.10008.5.1.4.1.1.4"),
                    Ds.Seq(0x00081140, undefined: block % 2 == 1, Ds.Item(false, Ds.Uid(0x00081155, "1.2.3.4." + block)))),
                Ds.Item(true)));
            nodes.Add(Ds.Text(0x00091001, "LO", "private value " + block));
            nodes.Add(Ds.Bytes(0x00420011, "OB", 4000, seed: block));
        }

        var dataSet = new List<DsNode> { Ds.Uid(0x00080016, "1.2.840.10008.5.1.4.1.1.7"), new DsElement(0x00090010, "LO", "EMBEDDED TEST "u8.ToArray()) };
        dataSet.AddRange(nodes);
        dataSet.Add(Ds.Bytes(0x00281201, "OW", 200 * 1024, seed: 99));
        dataSet.Add(new DsFragments([[], Ds.Bytes(0, "OB", 2000, seed: 1).Value]));
        byte[] bytes = Ds.Encode(dataSet, explicitVR: true);
        Assert.InRange(bytes.Length, 1_000_000, 1_100_000);
        return bytes;
    }

    private static long TranscodeInChunks(DataSetTranscoder transcoder, byte[] input, byte[] output)
    {
        int start = 0;
        int available = 0;
        long total = 0;
        while (true)
        {
            available = Math.Min(input.Length, available + ChunkSize);
            bool final = available == input.Length;
            OperationStatus status;
            do
            {
                status = transcoder.Transcode(input.AsSpan(start, available - start), output, final, out int consumed, out int written);
                start += consumed;
                total += written;
            }
            while (status == OperationStatus.DestinationTooSmall);

            if (status == OperationStatus.InvalidData)
            {
                return -1;
            }

            if (final)
            {
                return status == OperationStatus.Done ? total : -2;
            }
        }
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void TranscodingOneMegabyteIn16KChunks_AfterWarmUp_AllocatesNothing(bool fromExplicit, bool toExplicit)
    {
        byte[] explicitInput = OneMegabyteDataSet();
        byte[] input = fromExplicit ? explicitInput : TranscodeDriver.Run(TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian, explicitInput);
        var transcoder = new DataSetTranscoder(
            fromExplicit ? TransferSyntax.ExplicitVRLittleEndian : TransferSyntax.ImplicitVRLittleEndian,
            toExplicit ? TransferSyntax.ExplicitVRLittleEndian : TransferSyntax.ImplicitVRLittleEndian);
        byte[] output = new byte[ChunkSize];
        long warmUp = TranscodeInChunks(transcoder, input, output);
        transcoder.Reset();

        // Quietest of up to five passes: tiered compilation can replace a method on this thread in the middle of
        // a pass under a parallel test run (never seen with DOTNET_TieredCompilation=0); one per-pass object
        // would show in every pass.
        long allocated = long.MaxValue;
        for (int pass = 0; pass < 5 && allocated != 0; pass++)
        {
            transcoder.Reset();
            long before = GC.GetAllocatedBytesForCurrentThread();
            long total = TranscodeInChunks(transcoder, input, output);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(warmUp, total);
        }

        Assert.True(warmUp > 0, transcoder.LastError);
        Assert.Equal(0, allocated);
    }
}
