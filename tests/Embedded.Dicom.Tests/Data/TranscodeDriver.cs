using System;
using System.Buffers;
using System.IO;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Tests.Data;

/// <summary>
/// Drives a <see cref="DataSetTranscoder"/> the way a network or file reader would: the input arrives in
/// chunks, bytes left unconsumed (a partial header) are passed again in front of the next chunk, and the
/// output is drained whenever the transcoder reports it full.
/// </summary>
internal static class TranscodeDriver
{
    public static byte[] Run(DataSetTranscoder transcoder, byte[] input, int chunkSize, int outputSize)
    {
        var output = new MemoryStream();
        byte[] buffer = new byte[outputSize];
        int start = 0;     // first byte not consumed yet
        int available = 0; // bytes received so far
        while (true)
        {
            available = (int)Math.Min(input.Length, (long)available + chunkSize);
            bool final = available == input.Length;
            OperationStatus status;
            while (true)
            {
                status = transcoder.Transcode(input.AsSpan(start, available - start), buffer, final, out int consumed, out int written);
                if (consumed < 0 || written < 0 || consumed > available - start || written > buffer.Length)
                {
                    throw new InvalidOperationException($"out-of-range counts {consumed}/{written}");
                }

                start += consumed;
                output.Write(buffer, 0, written);
                if (status != OperationStatus.DestinationTooSmall)
                {
                    break;
                }
            }

            switch (status)
            {
                case OperationStatus.InvalidData:
                    throw new InvalidDataException(transcoder.LastError);
                case OperationStatus.Done when start != available:
                    throw new InvalidOperationException($"Done with {available - start} bytes not consumed");
                case OperationStatus.NeedMoreData when final:
                    throw new InvalidOperationException("NeedMoreData on the final block");
                case OperationStatus.NeedMoreData when available - start >= 12:
                    throw new InvalidOperationException($"NeedMoreData with {available - start} bytes, a whole header");
            }

            if (final)
            {
                return output.ToArray();
            }
        }
    }

    public static byte[] Run(TransferSyntax from, TransferSyntax to, byte[] input, int chunkSize = int.MaxValue, int outputSize = 4096) =>
        Run(new DataSetTranscoder(from, to), input, chunkSize, outputSize);
}
