using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using Embedded.Dicom.Data;
using Microsoft.Win32.SafeHandles;

namespace Embedded.Dicom.Tests.Data;

public sealed class DataSetScannerTests : IDisposable
{
    private const uint StudyInstanceUid = 0x0020000D;
    private const uint SopInstanceUid = 0x00080018;
    private const uint PatientId = 0x00100020;
    private const uint PatientName = 0x00100010;
    private const uint Rows = 0x00280010;
    private const uint SeriesDescription = 0x0008103E;

    private static readonly DicomTag[] s_capture = [StudyInstanceUid, SopInstanceUid, PatientId, PatientName, Rows, SeriesDescription];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edicom-scan-" + Guid.NewGuid().ToString("N"));

    public DataSetScannerTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string> Syntaxes => new() { "ExplicitLE", "ImplicitLE", "ExplicitBE", "Deflated", "JPEGBaseline" };

    private static TransferSyntax SyntaxOf(string name) => name switch
    {
        "ExplicitLE" => TransferSyntax.ExplicitVRLittleEndian,
        "ImplicitLE" => TransferSyntax.ImplicitVRLittleEndian,
        "ExplicitBE" => TransferSyntax.ExplicitVRBigEndian,
        "Deflated" => TransferSyntax.DeflatedExplicitVRLittleEndian,
        _ => TransferSyntax.JPEGBaseline8Bit,
    };

    /// <summary>
    /// A data set with the captured tags at top level and the same tags inside sequences (before the top-level
    /// ones, with other values), a Latin-1 name, a binary element, and pixel data native or encapsulated.
    /// </summary>
    private static DsNode[] Sample(bool encapsulated) =>
    [
        new DsElement(0x00080005, "CS", "ISO_IR 100"u8.ToArray()),
        Ds.Uid(0x00080016, "1.2.840.10008.5.1.4.1.1.7"),
        Ds.Uid(SopInstanceUid, "1.2.826.0.1.3680043.2.1125.7.1"),
        Ds.Seq(0x00081110, undefined: false,
            Ds.Item(false, Ds.Uid(0x00081150, "1.2.840.10008.3.1.2.3.1"), Ds.Uid(0x00081155, "9.9.9.1"), Ds.Uid(StudyInstanceUid, "9.9.9"))),
        Ds.Seq(0x00081115, undefined: true,
            Ds.Item(true, Ds.Text(PatientId, "LO", "NESTED-ID"), Ds.Seq(0x00081140, false, Ds.Item(true, Ds.Uid(SopInstanceUid, "9.9.9.2"))))),
        new DsElement(PatientName, "PN", Encoding.Latin1.GetBytes("Müller^Jürgen ")),
        Ds.Text(PatientId, "LO", "PID-0042"),
        Ds.Uid(StudyInstanceUid, "1.2.826.0.1.3680043.2.1125.7.2"),
        Ds.UShort(Rows, 4),
        Ds.UShort(0x00280011, 4),
        encapsulated ? new DsFragments([[], Ds.Bytes(0, "OB", 40, seed: 2).Value]) : Ds.Bytes(0x7FE00010, "OW", 32, seed: 1),
    ];

    private static byte[] EncodeDataSet(TransferSyntax syntax, DsNode[] nodes)
    {
        if (!syntax.IsLittleEndian)
        {
            return BigEndian.Encode(nodes);
        }

        byte[] bytes = Ds.Encode(nodes, syntax.IsExplicitVR);
        if (!syntax.IsDeflated)
        {
            return bytes;
        }

        var compressed = new MemoryStream();
        using (var deflate = new DeflateStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(bytes);
        }

        return compressed.ToArray();
    }

    private static byte[] Part10File(TransferSyntax syntax, byte[] dataSet)
    {
        DicomUid sopClass = "1.2.840.10008.5.1.4.1.1.7";
        DicomUid sopInstance = "1.2.826.0.1.3680043.2.1125.7.1";
        DicomUid implementation = "1.2.826.0.1.3680043.2.1125.1";
        DicomUid ts = syntax.Uid;
        int length = Part10.GetFileMetaInformationLength(sopClass, sopInstance, ts, implementation, "EDICOM"u8, default);
        byte[] file = new byte[length + dataSet.Length];
        Part10.WriteFileMetaInformation(file, sopClass, sopInstance, ts, implementation, "EDICOM"u8, default);
        dataSet.CopyTo(file, length);
        return file;
    }

    private Part10FileInfo ReadInfo(byte[] file)
    {
        string path = Path.Combine(_directory, "meta.dcm");
        File.WriteAllBytes(path, file);
        using SafeFileHandle handle = File.OpenHandle(path);
        Assert.True(Part10.TryReadFileMetaInformation(handle, out Part10FileInfo? info, out string? error), error);
        return info;
    }

    private (bool Ok, string? Error, string?[] Values) Scan(byte[] file, Part10FileInfo? info = null, DicomTag[]? capture = null, int maxDepth = DataSetReaderState.DefaultMaxDepth)
    {
        info ??= ReadInfo(file);
        capture ??= s_capture;
        string path = Path.Combine(_directory, "scan.dcm");
        File.WriteAllBytes(path, file);
        using SafeFileHandle handle = File.OpenHandle(path);
        string?[] values = Enumerable.Repeat("stale", capture.Length + 1).ToArray();
        bool ok = DataSetScanner.TryScan(handle, info, capture, values, out string? error, maxDepth);
        Assert.Equal("stale", values[^1]); // only the slots of the capture list are written
        Assert.True(ok == (error is null), error);
        return (ok, error, values[..^1]);
    }

    private static byte[] Build(string syntaxName, DsNode[]? nodes = null)
    {
        TransferSyntax syntax = SyntaxOf(syntaxName);
        return Part10File(syntax, EncodeDataSet(syntax, nodes ?? Sample(syntax.IsEncapsulated)));
    }

    // --- Valid files ------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Syntaxes))]
    public void ValidFile_PassesAndCapturesTopLevelValuesOnly(string syntaxName)
    {
        var (ok, error, values) = Scan(Build(syntaxName));
        Assert.True(ok, error);
        Assert.Equal(
            new string?[] { "1.2.826.0.1.3680043.2.1125.7.2", "1.2.826.0.1.3680043.2.1125.7.1", "PID-0042", "Müller^Jürgen", null, null },
            values);
    }

    [Fact]
    public void EmptyDataSet_Passes()
    {
        var (ok, _, values) = Scan(Part10File(TransferSyntax.ExplicitVRLittleEndian, []));
        Assert.True(ok);
        Assert.All(values, Assert.Null);
    }

    [Theory]
    [InlineData("ExplicitLE")]
    [InlineData("ImplicitLE")]
    [InlineData("ExplicitBE")]
    [InlineData("Deflated")]
    public void LongValues_AreSkippedAndTheScanContinuesAfterThem(string syntaxName)
    {
        DsNode[] nodes =
        [
            Ds.Uid(SopInstanceUid, "1.2.3"),
            Ds.Text(PatientId, "LO", "BEFORE"),
            Ds.Bytes(0x00281201, "OW", (3 * 1024 * 1024) + 2, seed: 7),
            Ds.Text(0x00321060, "LO", "AFTER"),
            Ds.Uid(StudyInstanceUid, "4.5.6"),
        ];
        var (ok, error, values) = Scan(Build(syntaxName, nodes), capture: [StudyInstanceUid, PatientId, 0x00321060]);
        Assert.True(ok, error);
        Assert.Equal(new string?[] { "4.5.6", "BEFORE", "AFTER" }, values);
    }

    [Fact]
    public void LargeFragments_AreSkippedAndTheirFileEndChecked()
    {
        DsNode[] nodes = [Ds.Uid(SopInstanceUid, "1.2.3"), new DsFragments([[], Ds.Bytes(0, "OB", 200_000, seed: 3).Value, [1, 2], Ds.Bytes(0, "OB", 70_000, seed: 4).Value])];
        byte[] file = Build("JPEGBaseline", nodes);
        Assert.True(Scan(file).Ok);

        // Cut inside the last (long) fragment: its length runs past the end of the file.
        byte[] cut = file[..^100];
        int fragmentOffset = file.Length - 70_000 - 8 - 8;
        var (ok, error, _) = Scan(cut, ReadInfo(file));
        Assert.False(ok);
        Assert.Equal($"element (FFFE,E000) at offset {fragmentOffset}: length 70000 runs past the end of the file ({cut.Length} bytes)", error);
    }

    [Fact]
    public void CapturedValues_OfEmptyAndMultiValuedTextAndUtf8_AreDecoded()
    {
        DsNode[] nodes =
        [
            new DsElement(0x00080005, "CS", "ISO_IR 192"u8.ToArray()),
            Ds.Text(0x00080060, "CS", ""),
            new DsElement(PatientName, "PN", Encoding.UTF8.GetBytes("山田^太郎 ")), // 13 bytes and a space
            Ds.Text(0x00200037, "DS", "1\\0\\0\\0\\1\\0"),
        ];
        var (ok, error, values) = Scan(Build("ExplicitLE", nodes), capture: [0x00080060, PatientName, 0x00200037, 0x00200032]);
        Assert.True(ok, error);
        Assert.Equal(new string?[] { "", "山田^太郎", "1\\0\\0\\0\\1\\0", null }, values);
    }

    // --- Truncation ---------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("ExplicitLE")]
    [InlineData("ImplicitLE")]
    [InlineData("ExplicitBE")]
    [InlineData("JPEGBaseline")]
    public void TruncatedFile_FailsAtEveryCutInsideAnElement(string syntaxName)
    {
        TransferSyntax syntax = SyntaxOf(syntaxName);
        DsNode[] nodes = Sample(syntax.IsEncapsulated);
        byte[] file = Build(syntaxName, nodes);
        Part10FileInfo info = ReadInfo(file);
        int start = (int)info.DataSetOffset;

        // Ends of top-level elements: a file cut there is a shorter, well-formed data set.
        var boundaries = new HashSet<int>();
        int offset = start;
        boundaries.Add(offset);
        foreach (DsNode node in nodes)
        {
            offset += EncodeDataSet(syntax, [node]).Length;
            boundaries.Add(offset);
        }

        Assert.Equal(file.Length, offset);
        int failures = 0;
        for (int cut = start; cut < file.Length; cut++)
        {
            var (ok, error, _) = Scan(file[..cut], info);
            Assert.True(ok == boundaries.Contains(cut), $"cut at {cut}: {error}");
            failures += ok ? 0 : 1;
        }

        Assert.Equal(file.Length - start - (boundaries.Count - 1), failures);
    }

    [Fact]
    public void TruncatedDeflatedFile_FailsAtEveryCut()
    {
        byte[] file = Build("Deflated");
        Part10FileInfo info = ReadInfo(file);
        for (int cut = (int)info.DataSetOffset + 1; cut < file.Length; cut++)
        {
            var (ok, error, _) = Scan(file[..cut], info);
            Assert.False(ok, $"cut at {cut}");
            Assert.Contains("deflate", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DeflatedFile_CutAtAFlushPoint_FailsAlthoughWhatInflatesIsWellFormed()
    {
        // A writer that flushed after the first elements: cut there, DeflateStream inflates exactly those elements
        // without complaint, a well-formed shorter data set. Only the missing final deflate block tells.
        byte[] first = Ds.Encode([Ds.Uid(SopInstanceUid, "1.2.3"), Ds.Text(PatientId, "LO", "FIRST")], true);
        byte[] rest = Ds.Encode([Ds.Uid(StudyInstanceUid, "4.5.6"), Ds.Bytes(0x7FE00010, "OW", 100_000, seed: 9)], true);
        var compressed = new MemoryStream();
        int flushPoint;
        using (var deflate = new DeflateStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(first);
            deflate.Flush();
            flushPoint = (int)compressed.Length;
            deflate.Write(rest);
        }

        byte[] whole = compressed.ToArray();
        byte[] cut = whole[..flushPoint];
        using (var inflate = new DeflateStream(new MemoryStream(cut), CompressionMode.Decompress))
        {
            var inflated = new MemoryStream();
            inflate.CopyTo(inflated);
            Assert.Equal(first, inflated.ToArray());
        }

        var (ok, error, values) = Scan(Part10File(TransferSyntax.DeflatedExplicitVRLittleEndian, whole));
        Assert.True(ok, error);
        Assert.Equal("4.5.6", values[0]);
        (ok, error, _) = Scan(Part10File(TransferSyntax.DeflatedExplicitVRLittleEndian, cut));
        Assert.False(ok);
        Assert.EndsWith("is not a complete raw deflate stream: the deflate stream ends before its final block (the file is truncated)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DeflatedFile_WithAStoredBlockAndTrailingByte_Passes()
    {
        // A stored (uncompressed) final block, as some writers produce, then one padding byte to even length.
        byte[] dataSet = Ds.Encode(Sample(false), explicitVR: true);
        byte[] stored = [0x01, (byte)dataSet.Length, (byte)(dataSet.Length >> 8), (byte)~dataSet.Length, (byte)(~dataSet.Length >> 8), .. dataSet, 0x00];
        var (ok, error, values) = Scan(Part10File(TransferSyntax.DeflatedExplicitVRLittleEndian, stored));
        Assert.True(ok, error);
        Assert.Equal("PID-0042", values[2]);
    }

    // --- Hostile input ----------------------------------------------------------------------------------------

    [Fact]
    public void ValueLength_PastTheEndOfTheFile_NamesOffsetTagAndFileLength()
    {
        byte[] dataSet = [.. Ds.Encode([Ds.Uid(SopInstanceUid, "1.2.3")], true), .. LongHeader(0x7FE00010, "OW", 500000), .. new byte[1000]];
        byte[] file = Part10File(TransferSyntax.ExplicitVRLittleEndian, dataSet);
        int offset = file.Length - 1000 - 12;
        var (ok, error, values) = Scan(file);
        Assert.False(ok);
        Assert.Equal($"element (7FE0,0010) at offset {offset}: length 500000 runs past the end of the file ({file.Length} bytes)", error);
        Assert.Equal("1.2.3", values[1]); // what was read before the error is kept
    }

    [Fact]
    public void SequenceLength_PastTheEndOfTheFile_IsAnError()
    {
        byte[] file = Part10File(TransferSyntax.ExplicitVRLittleEndian, [.. LongHeader(0x00081115, "SQ", 1000), .. Header(0xFFFEE000, 0xFFFFFFFF)]);
        var (ok, error, _) = Scan(file);
        Assert.False(ok);
        Assert.EndsWith($"length 1000 runs past the end of the file ({file.Length} bytes)", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x00081030u, "UT")]
    [InlineData(0x00420011u, "OB")]
    [InlineData(0x00281201u, "OW")]
    [InlineData(0x00091001u, "OF")]
    public void UndefinedLength_OnANonSequenceElement_IsAnError(uint tag, string vr)
    {
        byte[] file = Part10File(TransferSyntax.ExplicitVRLittleEndian, [.. LongHeader(tag, vr, 0xFFFFFFFF), .. Header(0xFFFEE0DD, 0)]);
        int offset = file.Length - 20;
        var (ok, error, _) = Scan(file);
        Assert.False(ok);
        Assert.Equal($"element {new DicomTag(tag)} at offset {offset}: undefined length is not allowed for VR {vr} (PS3.5 §7.1.1)", error);
    }

    [Fact]
    public void OddLength_IsAnError()
    {
        byte[] file = Part10File(TransferSyntax.ExplicitVRLittleEndian, [.. Ds.Encode([new DsElement(PatientId, "LO", "ABC"u8.ToArray())], true)]);
        var (ok, error, _) = Scan(file);
        Assert.False(ok);
        Assert.Equal($"element (0010,0020) at offset {file.Length - 11}: odd length 3 (PS3.5 §7.1.1 requires even value lengths)", error);
    }

    [Fact]
    public void EncapsulatedPixelData_InANativeSyntax_IsAnError()
    {
        byte[] file = Build("ExplicitLE", Sample(encapsulated: true));
        var (ok, error, _) = Scan(file);
        Assert.False(ok);
        Assert.Contains("encapsulated pixel data (undefined length) in Explicit VR Little Endian, a native transfer syntax", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ExplicitLE")]
    [InlineData("ImplicitLE")]
    public void UnbalancedDelimiters_AreErrors(string syntaxName)
    {
        TransferSyntax syntax = SyntaxOf(syntaxName);
        byte[] sequence = Ds.Encode([Ds.Seq(0x00081115, true, Ds.Item(true, Ds.Uid(0x00081150, "1.2")))], syntax.IsExplicitVR);

        // No sequence delimiter at the end of the file.
        var (ok, error, _) = Scan(Part10File(syntax, sequence[..^8]));
        Assert.False(ok);
        Assert.Contains("inside this sequence of undefined length", error, StringComparison.Ordinal);

        // One delimiter too many.
        (ok, error, _) = Scan(Part10File(syntax, [.. sequence, .. Header(0xFFFEE0DD, 0)]));
        Assert.False(ok);
        Assert.Contains("(FFFE,E0DD)", error, StringComparison.Ordinal);

        // An item delimiter where the sequence delimiter belongs.
        byte[] swapped = [.. sequence[..^8], .. Header(0xFFFEE00D, 0)];
        (ok, error, _) = Scan(Part10File(syntax, swapped));
        Assert.False(ok);
        Assert.Contains("(FFFE,E00D)", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Nesting_DeeperThanMaxDepth_IsAnError(bool undefined)
    {
        byte[] file = Part10File(TransferSyntax.ExplicitVRLittleEndian, Ds.Encode(Ds.Nested(3, undefined), true));
        Assert.True(Scan(file, maxDepth: 3).Ok);
        var (ok, error, _) = Scan(file, maxDepth: 2);
        Assert.False(ok);
        Assert.Contains("sequences are nested deeper than the limit of 2", error, StringComparison.Ordinal);

        byte[] deep = Part10File(TransferSyntax.ImplicitVRLittleEndian, Ds.Encode(Ds.Nested(65, undefined), false));
        (ok, error, _) = Scan(deep);
        Assert.False(ok);
        Assert.Contains("limit of 64", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Syntaxes))]
    public void RandomlyCorruptedFiles_NeverThrow(string syntaxName)
    {
        byte[] file = Build(syntaxName);
        Part10FileInfo info = ReadInfo(file);
        int start = (int)info.DataSetOffset;
        var random = new Random(syntaxName.Length);
        int failed = 0;
        for (int round = 0; round < 150; round++)
        {
            byte[] corrupt = (byte[])file.Clone();
            for (int n = random.Next(1, 4); n > 0; n--)
            {
                corrupt[random.Next(start, corrupt.Length)] = random.Next(3) == 0 ? (byte)0xFF : (byte)random.Next(256);
            }

            failed += Scan(corrupt, info).Ok ? 0 : 1;
        }

        Assert.True(failed > 0);
    }

    [Fact]
    public void DeflatedDataSet_ThatIsNotDeflate_FailsWithoutThrowing()
    {
        var random = new Random(5);
        for (int round = 0; round < 50; round++)
        {
            byte[] garbage = new byte[random.Next(1, 300)];
            random.NextBytes(garbage);
            garbage[0] = 0xFF; // keep Part10 from reading it as a group 0002 element
            var (ok, error, _) = Scan(Part10File(TransferSyntax.DeflatedExplicitVRLittleEndian, garbage));
            Assert.False(ok && error is not null);
        }
    }

    [Fact]
    public void Arguments_AreChecked()
    {
        byte[] file = Build("ExplicitLE");
        Part10FileInfo info = ReadInfo(file);
        string path = Path.Combine(_directory, "args.dcm");
        File.WriteAllBytes(path, file);
        using SafeFileHandle handle = File.OpenHandle(path);
        Assert.Throws<ArgumentException>(() => DataSetScanner.TryScan(handle, info, s_capture, new string?[1], out _));
        Assert.Throws<ArgumentNullException>(() => DataSetScanner.TryScan(handle, null!, s_capture, new string?[6], out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSetScanner.TryScan(handle, info, s_capture, new string?[6], out _, maxDepth: 0));
    }

    private static byte[] Header(uint tag, uint length)
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)(tag >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), (ushort)tag);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), length);
        return bytes;
    }

    private static byte[] LongHeader(uint tag, string vr, uint length)
    {
        byte[] bytes = new byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)(tag >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), (ushort)tag);
        bytes[4] = (byte)vr[0];
        bytes[5] = (byte)vr[1];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), length);
        return bytes;
    }

    /// <summary>
    /// Explicit VR Big Endian (PS3.5 Annex A.3) for the test model: tags, lengths and the binary values of
    /// multi-byte VRs swapped; text, OB and UN bytes as they are. Independent of the code under test.
    /// </summary>
    private static class BigEndian
    {
        private static readonly HashSet<string> s_longVrs = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"];

        public static byte[] Encode(IEnumerable<DsNode> nodes)
        {
            var stream = new MemoryStream();
            foreach (DsNode node in nodes)
            {
                Write(stream, node);
            }

            return stream.ToArray();
        }

        private static void Write(Stream stream, DsNode node)
        {
            switch (node)
            {
                case DsElement element:
                    WriteHeader(stream, element.Tag, element.Vr, (uint)element.Value.Length);
                    stream.Write(Swap(element.Value, element.Vr));
                    break;
                case DsSequence sequence:
                {
                    var body = new MemoryStream();
                    foreach (DsItem item in sequence.Items)
                    {
                        byte[] content = Encode(item.Elements);
                        WriteTagLength(body, 0xFFFEE000, item.Undefined ? 0xFFFFFFFF : (uint)content.Length);
                        body.Write(content);
                        if (item.Undefined)
                        {
                            WriteTagLength(body, 0xFFFEE00D, 0);
                        }
                    }

                    WriteHeader(stream, sequence.Tag, "SQ", sequence.Undefined ? 0xFFFFFFFF : (uint)body.Length);
                    stream.Write(body.ToArray());
                    if (sequence.Undefined)
                    {
                        WriteTagLength(stream, 0xFFFEE0DD, 0);
                    }

                    break;
                }

                default:
                    throw new NotSupportedException("encapsulated pixel data in big endian");
            }
        }

        private static byte[] Swap(byte[] value, string vr)
        {
            int size = vr switch
            {
                "US" or "SS" or "OW" or "AT" => 2,
                "UL" or "SL" or "FL" or "OF" or "OL" => 4,
                "FD" or "OD" or "SV" or "UV" or "OV" => 8,
                _ => 1,
            };
            byte[] result = (byte[])value.Clone();
            for (int i = 0; i + size <= result.Length; i += size)
            {
                Array.Reverse(result, i, size);
            }

            return result;
        }

        private static void WriteHeader(Stream stream, uint tag, string vr, uint length)
        {
            Span<byte> header = stackalloc byte[12];
            BinaryPrimitives.WriteUInt32BigEndian(header, tag);
            header[4] = (byte)vr[0];
            header[5] = (byte)vr[1];
            if (s_longVrs.Contains(vr))
            {
                header[6] = 0;
                header[7] = 0;
                BinaryPrimitives.WriteUInt32BigEndian(header[8..], length);
                stream.Write(header);
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(header[6..], checked((ushort)length));
                stream.Write(header[..8]);
            }
        }

        private static void WriteTagLength(Stream stream, uint tag, uint length)
        {
            Span<byte> header = stackalloc byte[8];
            BinaryPrimitives.WriteUInt32BigEndian(header, tag);
            BinaryPrimitives.WriteUInt32BigEndian(header[4..], length);
            stream.Write(header);
        }
    }
}
