using System;
using System.Buffers;
using Embedded.Dicom.Networking.Pdu;

namespace Embedded.Dicom.Networking.Tests.Pdu;

public class AllocationTests
{
    private const int Cycles = 10_000;

    [Fact]
    public void PDataTfWriteAndRead_SteadyState_AllocatesNothing()
    {
        byte[] buffer = new byte[PDataTf.SinglePdvHeaderLength + 256];
        PduLimits limits = PduLimits.Default;

        // Warm up: JIT, tiering and statics.
        long checksum = RunCycles(buffer, limits, Cycles);

        long before = GC.GetAllocatedBytesForCurrentThread();
        checksum += RunCycles(buffer, limits, Cycles);
        long delta = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, delta);
        Assert.Equal(2L * Cycles * 256, checksum);
    }

    private static long RunCycles(byte[] buffer, PduLimits limits, int cycles)
    {
        long total = 0;
        for (int i = 0; i < cycles; i++)
        {
            // Gathered write: the 12 header bytes in place, the fragment after them.
            byte controlHeader = PresentationDataValue.GetMessageControlHeader(isCommand: (i & 1) == 0, isLastFragment: true);
            PDataTf.WriteSinglePdvHeader(buffer, 1, controlHeader, 256);
            buffer.AsSpan(PDataTf.SinglePdvHeaderLength).Fill((byte)i);

            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(buffer));
            if (PduReader.TryReadPdu(ref reader, limits, out PduHeader header, out ReadOnlySequence<byte> body, out _) != PduReadStatus.Done
                || header.Type != PduType.PDataTf)
            {
                return -1;
            }

            var pdvs = new PresentationDataValueReader(body, limits);
            while (pdvs.TryRead(out PresentationDataValue pdv))
            {
                if (pdv.IsLastFragment && pdv.PresentationContextId == 1)
                {
                    total += pdv.Fragment.Length;
                }
            }

            if (!pdvs.Error.IsNone)
            {
                return -1;
            }
        }

        return total;
    }
}
