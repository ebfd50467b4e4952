using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Embedded.Dicom.Interop.Tests.Harness;

namespace Embedded.Dicom.Interop.Tests;

/// <summary>
/// DCMTK's storescu sends to <c>edicom scp</c>: every received file must parse with dcmdump, and its data set
/// must be the one that was sent (dcmdump element lines compared, meta group excluded), in every transfer
/// syntax storescu can be made to use on the wire.
/// </summary>
[Trait("Interop", "dcmtk")]
public sealed class StoreScuToEdicomScpTests : IDisposable
{
    private readonly TempFolder _temp = new("storescu");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void StoreScu_ExplicitLittleEndian_ReceivedDataSetEqualsSent()
    {
        string file = TestObjects.CreateImage(_temp.Path, "explicit.dcm", new ImageSpec());

        SendAndVerify(file, [], "Little Endian Explicit");
    }

    [Fact]
    public void StoreScu_ProposingImplicitOnly_ReceivedDataSetEqualsSent()
    {
        // storescu converts the Explicit file to Implicit VR on the fly: the wire and the stored file are Implicit.
        string file = TestObjects.CreateImage(_temp.Path, "explicit.dcm", new ImageSpec());

        SendAndVerify(file, ["-xi"], "Little Endian Implicit");
    }

    [Fact]
    public void StoreScu_ImplicitFile_ReceivedDataSetEqualsSent()
    {
        string file = TestObjects.CreateImage(_temp.Path, "implicit.dcm", new ImageSpec { Encoding = DataSetEncoding.ImplicitLittle });

        SendAndVerify(file, ["-xi"], "Little Endian Implicit");
    }

    [Fact]
    public void StoreScu_ExplicitBigEndianOnly_ReceivedDataSetEqualsSent()
    {
        string file = TestObjects.CreateImage(_temp.Path, "big.dcm", new ImageSpec { Encoding = DataSetEncoding.ExplicitBig });

        SendAndVerify(file, OnlySyntax(TestObjects.ExplicitVRBigEndian), "Big Endian Explicit");
    }

    [Fact]
    public void StoreScu_DeflatedOnly_ReceivedDataSetEqualsSent()
    {
        string plain = TestObjects.CreateImage(_temp.Path, "plain.dcm", new ImageSpec());
        string file = TestObjects.Convert(plain, _temp.File("deflated.dcm"), "+td");

        SendAndVerify(file, OnlySyntax(TestObjects.DeflatedExplicitVRLittleEndian), "Deflated Explicit VR Little Endian");
    }

    [Fact]
    public void StoreScu_JpegLosslessOnly_ReceivedDataSetEqualsSent()
    {
        string plain = TestObjects.CreateImage(_temp.Path, "plain.dcm", new ImageSpec { Rows = 128, Columns = 96 });
        string file = TestObjects.CompressJpegLossless(plain, _temp.File("jpeg.dcm"));

        SendAndVerify(file, OnlySyntax(TestObjects.JpegLosslessSV1), "JPEG Lossless, Non-hierarchical, 1st Order Prediction");
    }

    [Fact]
    public void StoreScu_RleLosslessOnly_ReceivedDataSetEqualsSent()
    {
        string plain = TestObjects.CreateImage(_temp.Path, "plain.dcm", new ImageSpec { Rows = 128, Columns = 96, Frames = 3 });
        string file = TestObjects.CompressRle(plain, _temp.File("rle.dcm"));

        SendAndVerify(file, OnlySyntax(TestObjects.RleLossless), "RLE Lossless");
    }

    [Fact]
    public void StoreScu_EightBitImage_ReceivedDataSetEqualsSent()
    {
        string file = TestObjects.CreateImage(_temp.Path, "eight.dcm", new ImageSpec { BitsAllocated = 8, Rows = 33, Columns = 17 });

        SendAndVerify(file, [], "Little Endian Explicit");
    }

    [Fact]
    public void StoreScu_NestedUndefinedLengthSequences_ReceivedDataSetEqualsSent()
    {
        string file = TestObjects.CreateImage(_temp.Path, "undefined.dcm", new ImageSpec { UndefinedLengths = true });
        Assert.Contains("(Sequence with undefined length", DcmtkTools.RunChecked("dcmdump", [file]).Stdout, StringComparison.Ordinal);

        SendAndVerify(file, [], "Little Endian Explicit");
    }

    [Fact]
    public void StoreScu_TwoHundredObjectsOnOneAssociation_AllReceivedIntact()
    {
        string uid = TestObjects.NewTemplateUid();
        string template = TestObjects.CreateImage(_temp.Path, "template.dcm", new ImageSpec { SopInstanceUid = uid, Rows = 16, Columns = 16 });
        IReadOnlyList<string> files = TestObjects.Clone(template, uid, _temp.Sub("many"), 200);
        string output = _temp.Sub("out");
        using ServerProcess scp = EdicomScp.Start(output);

        ToolResult store = StoreScu(scp, ["-v"], files);

        Assert.True(store.ExitCode == 0, store.ToString());
        Assert.Single(Regex.Matches(store.Output, "Requesting Association"));
        Assert.Equal(200, Regex.Matches(store.Output, @"Received Store Response \(Success\)").Count);
        Assert.Equal(1, EdicomScp.AcceptedAssociations(scp, 1));
        AssertAllReceived(files, uid, output);
    }

    [Fact]
    public void StoreScu_FourConcurrentAssociations_AllHundredObjectsReceivedIntact()
    {
        string uid = TestObjects.NewTemplateUid();
        string template = TestObjects.CreateImage(_temp.Path, "template.dcm", new ImageSpec { SopInstanceUid = uid, Rows = 32, Columns = 32 });
        IReadOnlyList<string> files = TestObjects.Clone(template, uid, _temp.Sub("many"), 100);
        string output = _temp.Sub("out");
        using ServerProcess scp = EdicomScp.Start(output);

        var senders = new List<RunningTool>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                senders.Add(DcmtkTools.Start("storescu", StoreScuArguments(scp, ["-v"], files.Skip(i * 25).Take(25))));
            }

            foreach (RunningTool sender in senders)
            {
                ToolResult result = sender.WaitForExit(TimeSpan.FromSeconds(120));
                Assert.True(result.ExitCode == 0, result.ToString());
                Assert.Equal(25, Regex.Matches(result.Output, @"Received Store Response \(Success\)").Count);
            }
        }
        finally
        {
            senders.ForEach(s => s.Dispose());
        }

        Assert.Equal(4, EdicomScp.AcceptedAssociations(scp, 4));
        AssertAllReceived(files, uid, output);
    }

    [Fact]
    public void StoreScu_TwentyMebibyteMultiFrameObject_ReceivedIntact()
    {
        // 80 frames of 256 × 512 × 16 bits = 20 MiB of pixel data.
        var spec = new ImageSpec
        {
            SopClassUid = TestObjects.MultiFrameGrayscaleWordSecondaryCaptureImageStorage,
            Rows = 256,
            Columns = 512,
            Frames = 80,
        };
        Assert.Equal(20L * 1024 * 1024, spec.PixelDataLength);
        string file = TestObjects.CreateImage(_temp.Path, "large.dcm", spec);
        string output = _temp.Sub("out");
        using ServerProcess scp = EdicomScp.Start(output);

        ToolResult store = StoreScu(scp, [], [file]);

        Assert.True(store.ExitCode == 0, store.ToString());
        string received = ReceivedFile(output, spec.SopInstanceUid);
        DumpComparer.AssertSameDataSet(file, received);
        DumpComparer.AssertSameTail(file, received, spec.PixelDataLength);
        AssertNoTemporaryFiles(output);
    }

    [Fact]
    public void StoreScu_MaxPdu4096OnBothSides_ReceivedDataSetEqualsSent()
    {
        // 64 KiB of pixel data and a command/data set cut into many 4 KiB PDUs in both directions.
        var spec = new ImageSpec { Rows = 256, Columns = 128 };
        string file = TestObjects.CreateImage(_temp.Path, "small-pdu.dcm", spec);
        string output = _temp.Sub("out");
        using ServerProcess scp = EdicomScp.Start(output, "--max-pdu", "4096");

        ToolResult store = StoreScu(scp, ["-v", "--max-pdu", "4096"], [file]);

        Assert.True(store.ExitCode == 0, store.ToString());
        Assert.Contains("Max Send PDV: 4084", store.Output, StringComparison.Ordinal);
        string received = ReceivedFile(output, spec.SopInstanceUid);
        DumpComparer.AssertSameDataSet(file, received);
        DumpComparer.AssertSameTail(file, received, spec.PixelDataLength);
    }

    /// <summary>storescu options for a profile proposing the SC classes in <paramref name="transferSyntax"/> only.</summary>
    private string[] OnlySyntax(string transferSyntax)
    {
        string config = AssociationConfig.Write(_temp.File("storescu.cfg"), "Only",
        [
            (TestObjects.SecondaryCaptureImageStorage, [transferSyntax]),
            (TestObjects.MultiFrameGrayscaleWordSecondaryCaptureImageStorage, [transferSyntax]),
        ]);
        return ["-xf", config, "Only"];
    }

    /// <summary>Sends one file with storescu to a fresh edicom scp and checks the received file.</summary>
    private void SendAndVerify(string file, string[] options, string expectedWireSyntax)
    {
        string output = _temp.Sub("out");
        using ServerProcess scp = EdicomScp.Start(output);

        ToolResult store = StoreScu(scp, ["-v", .. options], [file]);

        Assert.True(store.ExitCode == 0, store.ToString());
        Assert.Contains("Received Store Response (Success)", store.Output, StringComparison.Ordinal);
        string uid = SopInstanceUid(file);
        string received = ReceivedFile(output, uid);
        DataSetDump sentDump = DumpComparer.Dump(file);
        DataSetDump receivedDump = DumpComparer.Dump(received);
        Assert.True(receivedDump.TransferSyntax == expectedWireSyntax,
            $"the received data set is in '{receivedDump.TransferSyntax}', expected '{expectedWireSyntax}'\n{store}\n{scp}");
        DumpComparer.AssertSameDataSet(sentDump, receivedDump);
        AssertNoTemporaryFiles(output);
    }

    private static ToolResult StoreScu(ServerProcess scp, string[] options, IEnumerable<string> files)
        => DcmtkTools.Run("storescu", StoreScuArguments(scp, options, files), TimeSpan.FromSeconds(120));

    private static List<string> StoreScuArguments(ServerProcess scp, string[] options, IEnumerable<string> files)
    {
        var arguments = new List<string> { "-aec", "EDICOM", "-to", "10", "-ta", "30", "-td", "60" };
        arguments.AddRange(options);
        arguments.Add("127.0.0.1");
        arguments.Add(scp.Port.ToString(CultureInfo.InvariantCulture));
        arguments.AddRange(files);
        return arguments;
    }

    /// <summary>The SOP Instance UID in a file's meta group, read with dcmdump.</summary>
    private static string SopInstanceUid(string file)
    {
        ToolResult dump = DcmtkTools.RunChecked("dcmdump", ["+P", "0002,0003", file]);
        Match match = Regex.Match(dump.Stdout, @"\[([0-9.]+)\]");
        Assert.True(match.Success, dump.ToString());
        return match.Groups[1].Value;
    }

    /// <summary>edicom scp names each file after its valid SOP Instance UID.</summary>
    private static string ReceivedFile(string output, string uid)
    {
        string path = Path.Combine(output, uid + ".dcm");
        Assert.True(File.Exists(path), $"{path} was not written; the folder holds: {string.Join(", ", Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName))}");
        return path;
    }

    private static void AssertAllReceived(IReadOnlyList<string> sent, string templateUid, string output)
    {
        var received = new List<string>(sent.Count);
        for (int n = 1; n <= sent.Count; n++)
        {
            received.Add(ReceivedFile(output, TestObjects.CloneUid(templateUid, n)));
        }

        Assert.Equal(sent.Count, Directory.GetFiles(output).Length);
        IReadOnlyList<DataSetDump> sentDumps = DumpComparer.DumpMany(sent);
        IReadOnlyList<DataSetDump> receivedDumps = DumpComparer.DumpMany(received);
        for (int i = 0; i < sent.Count; i++)
        {
            DumpComparer.AssertSameDataSet(sentDumps[i], receivedDumps[i]);
        }
    }

    private static void AssertNoTemporaryFiles(string output)
    {
        string[] temporary = Directory.GetFiles(output, "*.part");
        Assert.True(temporary.Length == 0, "temporary files left: " + string.Join(", ", temporary));
    }
}
