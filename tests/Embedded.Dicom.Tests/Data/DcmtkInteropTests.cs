using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Tests.Data;

/// <summary>
/// Cross-checks against an independent implementation, DCMTK (Debian package dcmtk), when it is installed:
/// dump2dcm builds an Explicit VR Little Endian file from a text dump written here; dcmconv converts it;
/// we convert the same data set with <see cref="DataSetTranscoder"/> and write the file meta information with
/// <see cref="Part10"/>; dcmdump of both files must list the same data set. The tools only read and write
/// files in a temporary directory. Without DCMTK the tests fail: the README's test command installs it.
/// </summary>
[Trait("Interop", "DCMTK")]
public sealed class DcmtkInteropTests : IDisposable
{
    private const string Dump2Dcm = "/usr/bin/dump2dcm";
    private const string Dcmconv = "/usr/bin/dcmconv";
    private const string Dcmdump = "/usr/bin/dcmdump";

    // A data set with sequences of explicit length (items of explicit and undefined length, an empty item,
    // an empty sequence, two levels of nesting), private elements and a private sequence, several VRs and
    // 8-bit native pixel data. dump2dcm sorts elements by tag.
    private const string Dump = """
        (0008,0005) CS [ISO_IR 100]
        (0008,0016) UI =SecondaryCaptureImageStorage
        (0008,0018) UI [1.2.826.0.1.3680043.2.1125.77.1]
        (0008,0020) DA [20240131]
        (0008,0030) TM [101500]
        (0008,0060) CS [OT]
        (0008,1115) SQ (Sequence with explicit length #=3)
          (fffe,e000) na (Item with explicit length #=3)
            (0008,1140) SQ (Sequence with explicit length #=1)
              (fffe,e000) na (Item with explicit length #=2)
                (0008,1150) UI =CTImageStorage
                (0008,1155) UI [1.2.3.4.5.6.7]
              (fffe,e00d) na (ItemDelimitationItem for re-encoding)
            (fffe,e0dd) na (SequenceDelimitationItem for re-encod.)
            (0008,1150) UI =MRImageStorage
            (0020,000e) UI [1.2.3.4.5.6.8]
          (fffe,e00d) na (ItemDelimitationItem for re-encoding)
          (fffe,e000) na (Item with undefined length #=1)
            (0020,000e) UI [1.2.3.4.5.6.9]
          (fffe,e00d) na (ItemDelimitationItem)
          (fffe,e000) na (Item with explicit length #=0)
          (fffe,e00d) na (ItemDelimitationItem for re-encoding)
        (fffe,e0dd) na (SequenceDelimitationItem for re-encod.)
        (0008,2112) SQ (Sequence with explicit length #=0)
        (fffe,e0dd) na (SequenceDelimitationItem for re-encod.)
        (0009,0010) LO [EMBEDDED TEST]
        (0009,1001) LO [private text]
        (0009,1002) SH [short]
        (0009,1003) OB 01\02\03\04
        (0009,1010) SQ (Sequence with explicit length #=1)
          (fffe,e000) na (Item with explicit length #=1)
            (0009,1011) LO [inner]
          (fffe,e00d) na (ItemDelimitationItem for re-encoding)
        (fffe,e0dd) na (SequenceDelimitationItem for re-encod.)
        (0010,0010) PN [Doe^John]
        (0010,0020) LO [ID-0042]
        (0010,4000) LT [A longer comment that still fits a short explicit length field.]
        (0018,0050) DS [1.25]
        (0020,0013) IS [7]
        (0020,0032) DS [-12.5\4.0\100]
        (0028,0002) US 1
        (0028,0004) CS [MONOCHROME2]
        (0028,0009) AT (0018,1063)
        (0028,0010) US 2
        (0028,0011) US 2
        (0028,0030) DS [0.5\0.5]
        (0028,0100) US 8
        (0028,0101) US 8
        (0028,0102) US 7
        (0028,0103) US 0
        (0040,a730) SQ (Sequence with explicit length #=1)
          (fffe,e000) na (Item with explicit length #=2)
            (0040,a010) CS [CONTAINS]
            (0040,a160) UT [free text in an unlimited text element]
          (fffe,e00d) na (ItemDelimitationItem for re-encoding)
        (fffe,e0dd) na (SequenceDelimitationItem for re-encod.)
        (7fe0,0010) OB 01\02\03\04
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"edicom-dcmtk-{Guid.NewGuid():N}");

    public DcmtkInteropTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static bool Installed => File.Exists(Dump2Dcm) && File.Exists(Dcmconv) && File.Exists(Dcmdump);

    [Fact]
    public void ExplicitToImplicit_DcmdumpListsTheSameDataSetAsDcmconv()
    {
        Assert.True(Installed, "DCMTK (dump2dcm, dcmconv, dcmdump) is required; the README's test command installs it (apt package dcmtk)");

        string source = CreateExplicitSource();
        string theirs = Path.Combine(_directory, "dcmconv-implicit.dcm");
        Run(Dcmconv, "+ti", "-e", source, theirs);
        string ours = Path.Combine(_directory, "ours-implicit.dcm");
        Convert(source, ours, TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian);

        var (oursDump, oursWarnings) = DumpDataSet(ours);
        var (theirsDump, theirsWarnings) = DumpDataSet(theirs);

        Assert.True(oursDump.Count > 50, string.Join('\n', oursDump));
        Assert.Equal(theirsDump, oursDump);
        Assert.Contains(oursDump, l => l.StartsWith("(0009,1010) SQ (Sequence with undefined length #=1)", StringComparison.Ordinal));
        // dcmdump reads the private sequence of undefined length in implicit VR as CP-246 and says so, for both files.
        Assert.Equal(theirsWarnings, oursWarnings);
    }

    [Fact]
    public void ImplicitToExplicit_DcmdumpListsTheSameDataSetAsDcmconv()
    {
        Assert.True(Installed, "DCMTK (dump2dcm, dcmconv, dcmdump) is required; the README's test command installs it (apt package dcmtk)");

        string implicitSource = Path.Combine(_directory, "implicit-source.dcm");
        Run(Dcmconv, "+ti", "-e", CreateExplicitSource(), implicitSource);
        string theirs = Path.Combine(_directory, "dcmconv-explicit.dcm");
        Run(Dcmconv, "+te", "-e", implicitSource, theirs);
        string ours = Path.Combine(_directory, "ours-explicit.dcm");
        Convert(implicitSource, ours, TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian);

        var (oursDump, oursWarnings) = DumpDataSet(ours);
        var (theirsDump, _) = DumpDataSet(theirs);

        // Pixel Data is "OB or OW" in PS3.6; in implicit VR it is OW (PS3.5 Annex A.1), as DCMTK writes it.
        string oursPixel = Assert.Single(oursDump, l => l.StartsWith("(7fe0,0010)", StringComparison.Ordinal));
        Assert.StartsWith("(7fe0,0010) OW 0201\\0403", oursPixel, StringComparison.Ordinal);
        Assert.Equal(theirsDump, oursDump);
        Assert.Contains(oursDump, l => l.StartsWith("(0009,1001) UN ", StringComparison.Ordinal));
        Assert.Equal("", oursWarnings);
    }

    [Fact]
    public void OurFileMetaInformation_IsReadByDcmdumpWithoutWarnings()
    {
        Assert.True(Installed, "DCMTK (dump2dcm, dcmconv, dcmdump) is required; the README's test command installs it (apt package dcmtk)");

        string source = CreateExplicitSource();
        string ours = Path.Combine(_directory, "ours-identity.dcm");
        Convert(source, ours, TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian);

        var (output, warnings) = Run(Dcmdump, "-M", ours);

        Assert.Equal("", warnings);
        Assert.Contains("(0002,0001) OB 00\\01", output, StringComparison.Ordinal);
        Assert.Contains("(0002,0002) UI =SecondaryCaptureImageStorage", output, StringComparison.Ordinal);
        Assert.Contains("(0002,0003) UI [1.2.826.0.1.3680043.2.1125.77.1]", output, StringComparison.Ordinal);
        Assert.Contains("(0002,0010) UI =LittleEndianExplicit", output, StringComparison.Ordinal);
        Assert.Contains("(0002,0012) UI [1.2.826.0.1.3680043.2.1125.1]", output, StringComparison.Ordinal);
        Assert.Contains("(0002,0013) SH [EDICOM_TEST]", output, StringComparison.Ordinal);
        Assert.Contains("(0002,0016) AE [TESTSCU]", output, StringComparison.Ordinal);
        Assert.Equal(DumpDataSet(source).Lines, DumpDataSet(ours).Lines);

        // dcmdump's meta-header lines for ours and DCMTK's own file agree on the group length rule too.
        string groupLength = output.Split('\n').Single(l => l.StartsWith("(0002,0000)", StringComparison.Ordinal));
        Assert.Contains("#   4, 1 FileMetaInformationGroupLength", groupLength, StringComparison.Ordinal);
    }

    private string CreateExplicitSource()
    {
        string dumpPath = Path.Combine(_directory, "source.dump");
        string filePath = Path.Combine(_directory, "source-explicit.dcm");
        File.WriteAllText(dumpPath, Dump.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n", Encoding.ASCII);
        Run(Dump2Dcm, "+te", dumpPath, filePath);
        return filePath;
    }

    /// <summary>Reads the meta information with <see cref="Part10"/>, transcodes the data set, writes a new file.</summary>
    private static void Convert(string sourcePath, string targetPath, TransferSyntax from, TransferSyntax to)
    {
        byte[] source = File.ReadAllBytes(sourcePath);
        Assert.True(Part10.TryReadFileMetaInformation(new MemoryStream(source), out Part10FileInfo? info, out string? error), error);
        Assert.Equal(from.Uid, info.TransferSyntaxUid);

        byte[] dataSet = TranscodeDriver.Run(new DataSetTranscoder(from, to), source[(int)info.DataSetOffset..], chunkSize: 37, outputSize: 64);

        DicomUid implementation = "1.2.826.0.1.3680043.2.1125.1";
        DicomUid transferSyntax = to.Uid;
        byte[] version = "EDICOM_TEST"u8.ToArray();
        byte[] aeTitle = "TESTSCU"u8.ToArray();
        int metaLength = Part10.GetFileMetaInformationLength(info.MediaStorageSopClassUid, info.MediaStorageSopInstanceUid, transferSyntax, implementation, version, aeTitle);
        byte[] file = new byte[metaLength + dataSet.Length];
        Part10.WriteFileMetaInformation(file, info.MediaStorageSopClassUid, info.MediaStorageSopInstanceUid, transferSyntax, implementation, version, aeTitle);
        dataSet.CopyTo(file, metaLength);
        File.WriteAllBytes(targetPath, file);
    }

    /// <summary>dcmdump's lines from "# Dicom-Data-Set" on (the meta header is skipped), and its warnings.</summary>
    private static (List<string> Lines, string Warnings) DumpDataSet(string path)
    {
        var (output, warnings) = Run(Dcmdump, path);
        List<string> lines = output.Split('\n').Select(l => l.TrimEnd()).ToList();
        int start = lines.IndexOf("# Dicom-Data-Set");
        Assert.True(start >= 0, output);
        return (lines.Skip(start).Where(l => l.Length > 0).ToList(), warnings);
    }

    private static (string Output, string Errors) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TCP_NODELAY"] = "1";
        using Process process = Process.Start(start)!;
        System.Threading.Tasks.Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(tool)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {errors.Result}");
        return (output, errors.Result);
    }
}
