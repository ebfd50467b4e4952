using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Tests.Data;

/// <summary>
/// Drives a <see cref="DataSetReader"/> over whole, chunked and segmented input and records every token as a
/// line of text (type, tag, VR, length, depth, offset, value), so that different ways of feeding the same bytes
/// can be compared exactly.
/// </summary>
internal static class DataSetReaderDriver
{
    public static List<string> ReadAll(byte[] data, TransferSyntax syntax, int maxDepth = DataSetReaderState.DefaultMaxDepth, int maxBufferedValueLength = int.MaxValue) =>
        ReadAll(new ReadOnlySequence<byte>(data), syntax, maxDepth, maxBufferedValueLength);

    public static List<string> ReadAll(ReadOnlySequence<byte> data, TransferSyntax syntax, int maxDepth = DataSetReaderState.DefaultMaxDepth, int maxBufferedValueLength = int.MaxValue)
    {
        var tokens = new List<string>();
        var reader = new DataSetReader(data, isFinalBlock: true, new DataSetReaderState(syntax, maxDepth, maxBufferedValueLength));
        while (reader.Read())
        {
            tokens.Add(Describe(ref reader));
        }

        if (reader.Error is not null)
        {
            throw new InvalidDataException(reader.Error);
        }

        Assert.Equal(data.Length, reader.BytesConsumed);
        return tokens;
    }

    /// <summary>Feeds the data <paramref name="chunkSize"/> bytes at a time, carrying unconsumed bytes over as a network reader would.</summary>
    public static List<string> ReadInChunks(byte[] data, TransferSyntax syntax, int chunkSize, int maxBufferedValueLength = int.MaxValue)
    {
        var tokens = new List<string>();
        var state = new DataSetReaderState(syntax, maxBufferedValueLength: maxBufferedValueLength);
        int start = 0;
        int available = 0;
        while (true)
        {
            available = Math.Min(data.Length, available + chunkSize);
            bool final = available == data.Length;
            var reader = new DataSetReader(new ReadOnlySequence<byte>(data, start, available - start), final, state);
            while (reader.Read())
            {
                tokens.Add(Describe(ref reader));
            }

            if (reader.Error is not null)
            {
                throw new InvalidDataException(reader.Error);
            }

            start += (int)reader.BytesConsumed;
            state = reader.CurrentState;
            if (final)
            {
                Assert.Equal(data.Length, start);
                return tokens;
            }
        }
    }

    public static string Describe(ref DataSetReader reader)
    {
        string value = reader.IsValueComplete ? Digest(reader.ValueSequence.ToArray()) : "-";
        return $"{reader.TokenType} {reader.Tag} {Vr(reader.VR)} len={reader.Length} depth={reader.CurrentDepth} at={reader.TokenOffset}+{reader.HeaderLength} {value}";
    }

    public static string Vr(ValueRepresentation vr) => vr == ValueRepresentation.None ? "--" : $"{(char)((ushort)vr >> 8)}{(char)((ushort)vr & 0xFF)}";

    public static string Digest(ReadOnlySpan<byte> value) =>
        value.Length <= 32 ? $"{value.Length}:{Convert.ToHexString(value)}" : $"{value.Length}:sha256:{Convert.ToHexString(SHA256.HashData(value))}";

    /// <summary>
    /// The tokens as <see cref="DsEntry"/> rows in the form of <see cref="Ds.Flatten"/>, the independent parser
    /// of the test model (explicit: VR as read, "SQ" for every sequence; implicit: "--").
    /// </summary>
    public static List<DsEntry> Flatten(byte[] data, TransferSyntax syntax)
    {
        var entries = new List<DsEntry>();
        var paths = new Stack<(string Path, uint Tag, int Items, bool Fragments)>();
        string path = "";
        var reader = new DataSetReader(new ReadOnlySequence<byte>(data), isFinalBlock: true, new DataSetReaderState(syntax));
        while (reader.Read())
        {
            uint tag = reader.Tag.Value;
            string vr = syntax.IsExplicitVR ? Vr(reader.VR) : "--";
            switch (reader.TokenType)
            {
                case DataSetTokenType.Element:
                    entries.Add(new DsEntry(path, tag, vr, Digest(reader.ValueSequence.ToArray())));
                    break;
                case DataSetTokenType.SequenceStart:
                    bool fragments = tag == 0x7FE00010 && reader.IsUndefinedLength;
                    entries.Add(new DsEntry(path, tag, fragments ? vr : syntax.IsExplicitVR ? "SQ" : "--", fragments ? "encapsulated" : "sequence"));
                    paths.Push((path, tag, 0, fragments));
                    break;
                case DataSetTokenType.ItemStart:
                {
                    var (parent, sequenceTag, items, _) = paths.Pop();
                    paths.Push((parent, sequenceTag, items + 1, false));
                    path = $"{parent}({sequenceTag >> 16:X4},{sequenceTag & 0xFFFF:X4})[{items}]/";
                    entries.Add(new DsEntry(path, tag, "", "item"));
                    break;
                }

                case DataSetTokenType.Fragment:
                {
                    var (parent, sequenceTag, items, _) = paths.Pop();
                    paths.Push((parent, sequenceTag, items + 1, true));
                    entries.Add(new DsEntry($"{parent}frag[{items}]/", tag, "", Digest(reader.ValueSequence.ToArray())));
                    break;
                }

                case DataSetTokenType.ItemEnd:
                    path = paths.Peek().Path;
                    break;
                case DataSetTokenType.SequenceEnd:
                    path = paths.Pop().Path;
                    break;
            }
        }

        Assert.Null(reader.Error);
        return entries;
    }

    /// <summary>The same bytes as a sequence of segments of <paramref name="segmentLength"/> bytes.</summary>
    public static ReadOnlySequence<byte> Segmented(byte[] data, int segmentLength)
    {
        if (data.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(data.AsMemory(0, Math.Min(segmentLength, data.Length)), 0);
        Segment last = first;
        for (int offset = segmentLength; offset < data.Length; offset += segmentLength)
        {
            last = last.Append(data.AsMemory(offset, Math.Min(segmentLength, data.Length - offset)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
