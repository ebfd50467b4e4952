using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace Embedded.Dicom.Tests.Data;

// A small, independent model of a data set for the tests: an encoder that writes it in either VR encoding
// with defined or undefined lengths as asked, and a parser that flattens bytes into comparable entries.
// Neither uses the code under test.

internal abstract record DsNode;

/// <summary>A plain element; <paramref name="Vr"/> is the explicit VR written (ignored in implicit).</summary>
internal sealed record DsElement(uint Tag, string Vr, byte[] Value) : DsNode;

/// <summary>A sequence (VR SQ, or "UN" for an explicit UN of undefined length holding implicit items).</summary>
internal sealed record DsSequence(uint Tag, bool Undefined, DsItem[] Items, string Vr = "SQ") : DsNode;

internal sealed record DsItem(bool Undefined, DsNode[] Elements);

/// <summary>Encapsulated pixel data: (7FE0,0010) OB of undefined length with fragment items.</summary>
internal sealed record DsFragments(byte[][] Fragments) : DsNode;

/// <summary>One entry of a flattened data set: where it is, what it is, a digest of its value.</summary>
internal sealed record DsEntry(string Path, uint Tag, string Vr, string Value)
{
    public override string ToString() => $"{Path}({Tag >> 16:X4},{Tag & 0xFFFF:X4}) {Vr} {Value}";
}

internal static class Ds
{
    private static readonly HashSet<string> s_longVrs = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"];

    public static DsElement Text(uint tag, string vr, string value, byte padding = (byte)' ')
    {
        byte[] bytes = Encoding.ASCII.GetBytes(value);
        if (bytes.Length % 2 == 1)
        {
            bytes = [.. bytes, padding];
        }

        return new DsElement(tag, vr, bytes);
    }

    public static DsElement Uid(uint tag, string value) => Text(tag, "UI", value, 0);

    public static DsElement UShort(uint tag, ushort value)
    {
        byte[] bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        return new DsElement(tag, "US", bytes);
    }

    public static DsElement Bytes(uint tag, string vr, int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return new DsElement(tag, vr, bytes);
    }

    public static DsSequence Seq(uint tag, bool undefined, params DsItem[] items) => new(tag, undefined, items);

    public static DsItem Item(bool undefined, params DsNode[] elements) => new(undefined, elements);

    public static byte[] Encode(IEnumerable<DsNode> nodes, bool explicitVR)
    {
        var stream = new MemoryStream();
        foreach (DsNode node in nodes)
        {
            Write(stream, node, explicitVR);
        }

        return stream.ToArray();
    }

    /// <summary>Offsets at which each top-level node ends (and 0), for truncation tests.</summary>
    public static List<int> TopLevelBoundaries(IEnumerable<DsNode> nodes, bool explicitVR)
    {
        var result = new List<int> { 0 };
        int offset = 0;
        foreach (DsNode node in nodes)
        {
            offset += Encode([node], explicitVR).Length;
            result.Add(offset);
        }

        return result;
    }

    private static void Write(Stream stream, DsNode node, bool explicitVR)
    {
        switch (node)
        {
            case DsElement element:
                WriteHeader(stream, element.Tag, element.Vr, (uint)element.Value.Length, explicitVR);
                stream.Write(element.Value);
                break;
            case DsSequence sequence:
            {
                bool itemsExplicit = explicitVR && sequence.Vr == "SQ";
                var body = new MemoryStream();
                foreach (DsItem item in sequence.Items)
                {
                    byte[] content = Encode(item.Elements, itemsExplicit);
                    WriteTagLength(body, 0xFFFEE000, item.Undefined ? 0xFFFFFFFF : (uint)content.Length);
                    body.Write(content);
                    if (item.Undefined)
                    {
                        WriteTagLength(body, 0xFFFEE00D, 0);
                    }
                }

                WriteHeader(stream, sequence.Tag, sequence.Vr, sequence.Undefined ? 0xFFFFFFFF : (uint)body.Length, explicitVR);
                body.Position = 0;
                body.CopyTo(stream);
                if (sequence.Undefined)
                {
                    WriteTagLength(stream, 0xFFFEE0DD, 0);
                }

                break;
            }

            case DsFragments fragments:
                WriteHeader(stream, 0x7FE00010, "OB", 0xFFFFFFFF, explicitVR);
                foreach (byte[] fragment in fragments.Fragments)
                {
                    WriteTagLength(stream, 0xFFFEE000, (uint)fragment.Length);
                    stream.Write(fragment);
                }

                WriteTagLength(stream, 0xFFFEE0DD, 0);
                break;
        }
    }

    private static void WriteHeader(Stream stream, uint tag, string vr, uint length, bool explicitVR)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(tag >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)tag);
        if (!explicitVR)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], length);
            stream.Write(header[..8]);
            return;
        }

        header[4] = (byte)vr[0];
        header[5] = (byte)vr[1];
        if (s_longVrs.Contains(vr))
        {
            header[6] = 0;
            header[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], length);
            stream.Write(header);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], checked((ushort)length));
            stream.Write(header[..8]);
        }
    }

    private static void WriteTagLength(Stream stream, uint tag, uint length)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(tag >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)tag);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], length);
        stream.Write(header);
    }

    /// <summary>
    /// Flattens encoded bytes. Explicit: VR from the bytes; SQ, and UN of undefined length (implicit items),
    /// are sequences. Implicit: VR "--"; an undefined length is a sequence (or encapsulated pixel data for
    /// (7FE0,0010)), a defined length a plain value. Lengths of sequences and items are not recorded, so
    /// defined- and undefined-length encodings of the same content compare equal.
    /// </summary>
    public static List<DsEntry> Flatten(ReadOnlySpan<byte> data, bool explicitVR)
    {
        var entries = new List<DsEntry>();
        int offset = 0;
        ParseElements(data, ref offset, data.Length, explicitVR, "", entries, untilItemDelimiter: false);
        if (offset != data.Length)
        {
            throw new InvalidDataException($"trailing bytes at {offset}");
        }

        return entries;
    }

    private static void ParseElements(ReadOnlySpan<byte> data, ref int offset, int end, bool explicitVR, string path, List<DsEntry> entries, bool untilItemDelimiter)
    {
        while (offset < end)
        {
            uint tag = ReadTag(data, offset);
            if (tag == 0xFFFEE00D && untilItemDelimiter)
            {
                offset += 8;
                return;
            }

            string vr;
            uint length;
            if (explicitVR)
            {
                vr = Encoding.ASCII.GetString(data.Slice(offset + 4, 2));
                if (s_longVrs.Contains(vr))
                {
                    length = BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 8)..]);
                    offset += 12;
                }
                else
                {
                    length = BinaryPrimitives.ReadUInt16LittleEndian(data[(offset + 6)..]);
                    offset += 8;
                }
            }
            else
            {
                vr = "--";
                length = BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 4)..]);
                offset += 8;
            }

            if (tag == 0x7FE00010 && length == 0xFFFFFFFF)
            {
                entries.Add(new DsEntry(path, tag, explicitVR ? vr : "--", "encapsulated"));
                int index = 0;
                while (true)
                {
                    uint itemTag = ReadTag(data, offset);
                    uint itemLength = BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 4)..]);
                    offset += 8;
                    if (itemTag == 0xFFFEE0DD)
                    {
                        break;
                    }

                    entries.Add(new DsEntry($"{path}frag[{index++}]/", itemTag, "", Digest(data.Slice(offset, (int)itemLength))));
                    offset += (int)itemLength;
                }

                continue;
            }

            bool isSequence = explicitVR ? vr == "SQ" || (vr == "UN" && length == 0xFFFFFFFF) : length == 0xFFFFFFFF;
            if (!isSequence)
            {
                entries.Add(new DsEntry(path, tag, vr, Digest(data.Slice(offset, (int)length))));
                offset += (int)length;
                continue;
            }

            bool itemsExplicit = explicitVR && vr == "SQ";
            entries.Add(new DsEntry(path, tag, explicitVR ? "SQ" : "--", "sequence"));
            int sequenceEnd = length == 0xFFFFFFFF ? int.MaxValue : offset + (int)length;
            int number = 0;
            while (offset < sequenceEnd)
            {
                uint itemTag = ReadTag(data, offset);
                uint itemLength = BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 4)..]);
                offset += 8;
                if (itemTag == 0xFFFEE0DD)
                {
                    break;
                }

                if (itemTag != 0xFFFEE000)
                {
                    throw new InvalidDataException($"expected an item at {offset - 8}");
                }

                string itemPath = $"{path}({tag >> 16:X4},{tag & 0xFFFF:X4})[{number++}]/";
                entries.Add(new DsEntry(itemPath, itemTag, "", "item"));
                if (itemLength == 0xFFFFFFFF)
                {
                    ParseElements(data, ref offset, data.Length, itemsExplicit, itemPath, entries, untilItemDelimiter: true);
                }
                else
                {
                    int itemEnd = offset + (int)itemLength;
                    ParseElements(data, ref offset, itemEnd, itemsExplicit, itemPath, entries, untilItemDelimiter: false);
                }
            }
        }
    }

    private static uint ReadTag(ReadOnlySpan<byte> data, int offset) =>
        ((uint)BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(data[(offset + 2)..]);

    private static string Digest(ReadOnlySpan<byte> value) =>
        value.Length <= 32 ? $"{value.Length}:{Convert.ToHexString(value)}" : $"{value.Length}:sha256:{Convert.ToHexString(SHA256.HashData(value))}";

    /// <summary>What an explicit data set should look like after a trip through implicit VR: private elements (other than creators) come back as UN.</summary>
    public static List<DsEntry> AfterImplicitRoundTrip(IEnumerable<DsEntry> entries) =>
        entries.Select(e => ((e.Tag >> 16) & 1) == 1 && (e.Tag & 0xFFFF) > 0x00FF && e.Vr is not "SQ" ? e with { Vr = "UN" } : e).ToList();

    /// <summary>The entries without their VRs (to compare an implicit encoding with an explicit one).</summary>
    public static List<DsEntry> WithoutVr(IEnumerable<DsEntry> entries) => entries.Select(e => e with { Vr = "" }).ToList();

    // --- Sample data sets --------------------------------------------------------------------------------

    /// <summary>
    /// A data set with every structure the transcoder must carry: sequences of defined and undefined length,
    /// nested three deep, empty sequences, empty items of both kinds, private elements and a private
    /// sequence, an odd-length private value, an overlay (repeating group) and encapsulated pixel data.
    /// </summary>
    public static DsNode[] Rich() =>
    [
        Text(0x00080005, "CS", "ISO_IR 100"),
        Uid(0x00080016, "1.2.840.10008.5.1.4.1.1.2"),
        Uid(0x00080018, "1.2.826.0.1.3680043.2.1125.1.42"),
        Text(0x00080060, "CS", "CT"),
        Seq(0x00081111, undefined: true, Item(undefined: false)),
        Seq(0x00081115, undefined: false,
            Item(false,
                Uid(0x00081150, "1.2.840.10008.5.1.4.1.1.4"),
                Seq(0x00081140, undefined: true,
                    Item(true,
                        Uid(0x00081150, "1.2.840.10008.5.1.4.1.1.7"),
                        Uid(0x00081155, "1.2.3.4.5.6.7"),
                        Seq(0x00082112, undefined: false,
                            Item(false, Uid(0x00081150, "1.2.840.10008.5.1.4.1.1.2.1"))))),
                Uid(0x0020000E, "1.2.3.4.5.6.8")),
            Item(undefined: true)),
        Seq(0x00081140, undefined: false),
        Seq(0x00082112, undefined: true),
        new DsElement(0x00090010, "LO", Encoding.ASCII.GetBytes("EMBEDDED TEST ")),
        Text(0x00091001, "LO", "private text"),
        Text(0x00091002, "DS", "3.25"),
        new DsElement(0x00091003, "OB", [1, 2, 3]),
        Seq(0x00091010, undefined: false, Item(false, Text(0x00091011, "LO", "inner"))),
        Text(0x00100010, "PN", "Doe^John"),
        Text(0x00100020, "LO", "12345"),
        Text(0x00180050, "DS", "1.25"),
        Text(0x00200013, "IS", "7"),
        UShort(0x00280010, 2),
        UShort(0x00280011, 2),
        Text(0x00280030, "DS", "0.5\\0.5"),
        UShort(0x00280100, 8),
        Text(0x00321060, "LO", ""),
        UShort(0x60000010, 2),
        UShort(0x60000011, 2),
        Bytes(0x60003000, "OW", 4, seed: 3), // "OB or OW": OW survives an implicit round trip (PS3.5 A.1)
        new DsFragments([[], [0xFF, 0xD8, 0xFF, 0xE0], Bytes(0, "OB", 30, seed: 4).Value]),
    ];

    /// <summary>A data set with a 3 MiB OW value between small elements and a sequence.</summary>
    public static DsNode[] Large() =>
    [
        Uid(0x00080016, "1.2.840.10008.5.1.4.1.1.7"),
        Seq(0x00081115, undefined: false, Item(false, Uid(0x00081150, "1.2.840.10008.5.1.4.1.1.4"))),
        Text(0x00100010, "PN", "Large^Value"),
        Bytes(0x00281201, "OW", 3 * 1024 * 1024, seed: 5),
        Text(0x00321060, "LO", "after"),
    ];

    /// <summary>Sequences nested <paramref name="depth"/> deep (each one item holding the next).</summary>
    public static DsNode[] Nested(int depth, bool undefined)
    {
        DsNode inner = Text(0x00100010, "PN", "Deep");
        for (int i = 0; i < depth; i++)
        {
            inner = Seq(0x0040A730, undefined, Item(undefined, inner));
        }

        return [inner];
    }
}
