using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Embedded.Dicom.Interop.Tests.Harness;

namespace Embedded.Dicom.Interop.Tests;

/// <summary>
/// <c>edicom store</c> sends to DCMTK's storescp. storescp runs bit-preserving (+B: it writes the data set bytes
/// exactly as they came off the wire), so dcmdump then reads what <em>our</em> encoder produced; with a profile
/// that accepts only one of Explicit/Implicit VR Little Endian, that is our on-the-fly conversion.
/// </summary>
[Trait("Interop", "dcmtk")]
public sealed class EdicomStoreToStoreScpTests : IDisposable
{
    private const string StoreScpAe = "STORESCP";

    private readonly TempFolder _temp = new("edicom-store");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("explicit", false, "implicit")]
    [InlineData("explicit", true, "implicit")]
    [InlineData("implicit", false, "explicit")]
    [InlineData("implicit", true, "explicit")]
    [InlineData("explicit", true, "explicit")]
    [InlineData("implicit", true, "implicit")]
    public void EdicomStore_ToStoreScpAcceptingOneSyntax_ReceivedDataSetEqualsSent(string fileSyntax, bool undefinedLengths, string acceptedSyntax)
    {
        var spec = new ImageSpec
        {
            Encoding = fileSyntax == "implicit" ? DataSetEncoding.ImplicitLittle : DataSetEncoding.ExplicitLittle,
            UndefinedLengths = undefinedLengths,
        };
        string file = TestObjects.CreateImage(_temp.Path, "sent.dcm", spec);
        string accepted = acceptedSyntax == "implicit" ? TestObjects.ImplicitVRLittleEndian : TestObjects.ExplicitVRLittleEndian;
        string output = _temp.Sub("out");
        using ServerProcess storescp = StartStoreScpAccepting(output, accepted);

        ToolResult store = EdicomStore(storescp, [file]);

        Assert.True(store.ExitCode == 0, store + "\n" + storescp);
        Assert.Contains("OK ", store.Stdout, StringComparison.Ordinal);
        string received = SingleReceivedFile(output, storescp);
        DataSetDump sentDump = DumpComparer.Dump(file);
        DataSetDump receivedDump = DumpComparer.Dump(received);
        string expected = acceptedSyntax == "implicit" ? "Little Endian Implicit" : "Little Endian Explicit";
        Assert.True(receivedDump.TransferSyntax == expected, $"received in '{receivedDump.TransferSyntax}', expected '{expected}'\n{storescp}");
        DumpComparer.AssertSameDataSet(sentDump, receivedDump);
        DumpComparer.AssertSameTail(file, received, spec.PixelDataLength);
    }

    [Fact]
    public void EdicomStore_TwentyMebibyteExplicitObject_ToImplicitOnlyStoreScp_ReceivedIntact()
    {
        // The 20 MiB pixel data element spans hundreds of the converter's read chunks and of the PDUs.
        var spec = new ImageSpec
        {
            SopClassUid = TestObjects.MultiFrameGrayscaleWordSecondaryCaptureImageStorage,
            Rows = 256,
            Columns = 512,
            Frames = 80,
        };
        string file = TestObjects.CreateImage(_temp.Path, "large.dcm", spec);
        string output = _temp.Sub("out");
        using ServerProcess storescp = StartStoreScpAccepting(output, TestObjects.ImplicitVRLittleEndian);

        ToolResult store = EdicomStore(storescp, [file]);

        Assert.True(store.ExitCode == 0, store + "\n" + storescp);
        string received = SingleReceivedFile(output, storescp);
        DataSetDump receivedDump = DumpComparer.Dump(received);
        Assert.Equal("Little Endian Implicit", receivedDump.TransferSyntax);
        DumpComparer.AssertSameDataSet(DumpComparer.Dump(file), receivedDump);
        DumpComparer.AssertSameTail(file, received, spec.PixelDataLength);
    }

    [Fact]
    public void EdicomStore_JpegLosslessFile_ToStoreScpPreferringLossless_StoredAsSent()
    {
        string plain = TestObjects.CreateImage(_temp.Path, "plain.dcm", new ImageSpec { Rows = 128, Columns = 96 });
        string file = TestObjects.CompressJpegLossless(plain, _temp.File("jpeg.dcm"));
        string output = _temp.Sub("out");
        using ServerProcess storescp = StoreScp.Start(output, StoreScpAe, "+xs", "+B");

        ToolResult store = EdicomStore(storescp, [file]);

        Assert.True(store.ExitCode == 0, store + "\n" + storescp);
        string received = SingleReceivedFile(output, storescp);
        DataSetDump receivedDump = DumpComparer.Dump(received);
        Assert.Equal("JPEG Lossless, Non-hierarchical, 1st Order Prediction", receivedDump.TransferSyntax);
        DumpComparer.AssertSameDataSet(DumpComparer.Dump(file), receivedDump);
    }

    [Fact]
    public void EdicomStore_FolderOfTwentyFiles_AllStoredOnOneAssociation()
    {
        string uid = TestObjects.NewTemplateUid();
        string template = TestObjects.CreateImage(_temp.Path, "template.dcm", new ImageSpec { SopInstanceUid = uid, Rows = 16, Columns = 16 });
        string folder = _temp.Sub("folder");
        IReadOnlyList<string> files = TestObjects.Clone(template, uid, folder, 20);
        string output = _temp.Sub("out");
        using ServerProcess storescp = StoreScp.Start(output, StoreScpAe, "-v", "+B");

        ToolResult store = EdicomStore(storescp, [folder]);

        Assert.True(store.ExitCode == 0, store + "\n" + storescp);
        Assert.Equal(20, Regex.Matches(store.Stdout, "^OK ", RegexOptions.Multiline).Count);
        Assert.Contains("20 stored, 0 failed", store.Stdout, StringComparison.Ordinal);
        // One association carried all the files (the readiness probe's C-ECHOs had their own).
        Assert.Equal(20, storescp.WaitForCount(new Regex("Received Store Request"), 20, TimeSpan.FromSeconds(5)));
        Assert.Equal(1, storescp.Output.Split("Association Received").Count(a => a.Contains("Received Store Request", StringComparison.Ordinal)));
        string[] received = Directory.GetFiles(output).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(20, received.Length);
        IReadOnlyList<DataSetDump> sentDumps = DumpComparer.DumpMany(files);
        IReadOnlyList<DataSetDump> receivedDumps = DumpComparer.DumpMany(received);
        for (int i = 0; i < files.Count; i++)
        {
            // storescp names files "SC.<uid>"; the clone order and the UID order agree.
            Assert.EndsWith(TestObjects.CloneUid(uid, i + 1), received[i]);
            DumpComparer.AssertSameDataSet(sentDumps[i], receivedDumps[i]);
        }
    }

    [Fact]
    public void EdicomStore_WithMaxOps_PipelinesToEdicomScpAndFallsBackToOneAtATimeWithStoreScp()
    {
        string uid = TestObjects.NewTemplateUid();
        string template = TestObjects.CreateImage(_temp.Path, "template.dcm", new ImageSpec { SopInstanceUid = uid, Rows = 16, Columns = 16 });
        string folder = _temp.Sub("folder");
        IReadOnlyList<string> files = TestObjects.Clone(template, uid, folder, 30);

        // Our SCP grants a window of 8: up to 8 C-STOREs in flight, every object stored intact.
        string ours = _temp.Sub("edicom-out");
        using (ServerProcess scp = EdicomScp.Start(ours, "--max-ops", "8"))
        {
            ToolResult store = DcmtkTools.RunEdicom(["store", "127.0.0.1", scp.Port.ToString(CultureInfo.InvariantCulture), folder, "--max-ops", "16", "--timeout", "30"], TimeSpan.FromSeconds(120));
            Assert.True(store.ExitCode == 0, store + "\n" + scp);
            Assert.Contains("30 stored, 0 failed (up to 8 in flight)", store.Stdout, StringComparison.Ordinal);
            Assert.Equal(30, Directory.GetFiles(ours, "*.dcm").Length);
            IReadOnlyList<DataSetDump> sent = DumpComparer.DumpMany(files);
            IReadOnlyList<DataSetDump> received = DumpComparer.DumpMany(
                Enumerable.Range(1, files.Count).Select(i => Path.Combine(ours, TestObjects.CloneUid(uid, i) + ".dcm")).ToList());
            for (int i = 0; i < files.Count; i++)
            {
                DumpComparer.AssertSameDataSet(sent[i], received[i]);
            }
        }

        // DCMTK grants no window: the same command still works, one at a time.
        string theirs = _temp.Sub("storescp-out");
        using ServerProcess storescp = StoreScp.Start(theirs, StoreScpAe, "+B");
        ToolResult fallback = DcmtkTools.RunEdicom(["store", "127.0.0.1", storescp.Port.ToString(CultureInfo.InvariantCulture), folder, "--aec", StoreScpAe, "--max-ops", "16", "--timeout", "30"], TimeSpan.FromSeconds(120));
        Assert.True(fallback.ExitCode == 0, fallback + "\n" + storescp);
        Assert.Contains("30 stored, 0 failed (up to 1 in flight)", fallback.Stdout, StringComparison.Ordinal);
        Assert.Equal(30, Directory.GetFiles(theirs).Length);
    }

    private ServerProcess StartStoreScpAccepting(string output, string transferSyntax)
    {
        string config = AssociationConfig.Write(_temp.File("storescp.cfg"), "Only",
        [
            (TestObjects.VerificationSopClass, [TestObjects.ImplicitVRLittleEndian, TestObjects.ExplicitVRLittleEndian]),
            (TestObjects.SecondaryCaptureImageStorage, [transferSyntax]),
            (TestObjects.MultiFrameGrayscaleWordSecondaryCaptureImageStorage, [transferSyntax]),
        ]);
        return StoreScp.Start(output, StoreScpAe, "-xf", config, "Only", "+B");
    }

    private static ToolResult EdicomStore(ServerProcess storescp, IEnumerable<string> paths)
        => DcmtkTools.RunEdicom(["store", "127.0.0.1", storescp.Port.ToString(CultureInfo.InvariantCulture), .. paths, "--aec", StoreScpAe, "--timeout", "30"],
            TimeSpan.FromSeconds(120));

    private static string SingleReceivedFile(string output, ServerProcess storescp)
    {
        string[] files = Directory.GetFiles(output);
        Assert.True(files.Length == 1, $"storescp wrote {files.Length} files: {string.Join(", ", files.Select(Path.GetFileName))}\n{storescp}");
        return files[0];
    }
}
