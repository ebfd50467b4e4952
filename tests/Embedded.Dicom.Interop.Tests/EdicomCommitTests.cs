using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Embedded.Dicom.Interop.Tests.Harness;

namespace Embedded.Dicom.Interop.Tests;

/// <summary>
/// End to end, three processes: objects made with dump2dcm are stored with <c>edicom store</c> into
/// <c>edicom scp --commitment</c>, one stored file is deleted, then <c>edicom commit</c> asks for storage
/// commitment (PS3.4 J.3). The report comes on the requesting association (<c>--commitment-report same</c>)
/// or on a new association to <c>edicom commit --listen PORT</c> (<c>--commitment-report new</c> and the
/// requestor declared with <c>--move-dest EDICOM=127.0.0.1:PORT</c>).
/// </summary>
[Trait("Interop", "dcmtk")]
public sealed class EdicomCommitTests : IDisposable
{
    private const string Ct = "1.2.840.10008.5.1.4.1.1.2";

    private readonly TempFolder _temp = new("commit");

    public void Dispose() => _temp.Dispose();

    /// <summary>Three Secondary Capture objects in a folder: (path, SOP instance UID).</summary>
    private List<(string Path, string Uid)> CreateObjects()
    {
        string work = _temp.Sub("work");
        string folder = _temp.Sub("objects");
        var objects = new List<(string, string)>();
        for (int i = 1; i <= 3; i++)
        {
            var spec = new ImageSpec { Rows = 8, Columns = 8, Rich = false };
            string path = Path.Combine(folder, $"obj{i}.dcm");
            File.Move(TestObjects.CreateImage(work, $"obj{i}.dcm", spec), path); // dump2dcm leaves its .dump next to the output
            objects.Add((path, spec.SopInstanceUid));
        }

        return objects;
    }

    private static void Store(ServerProcess scp, string folder)
    {
        ToolResult store = DcmtkTools.RunEdicom(["store", "127.0.0.1", scp.Port.ToString(CultureInfo.InvariantCulture), folder, "--timeout", "20"]);
        Assert.True(store.ExitCode == 0, store + "\n" + scp);
        Assert.Contains("3 stored, 0 failed", store.Stdout, StringComparison.Ordinal);
    }

    private static ToolResult Commit(int port, params string[] arguments)
        => DcmtkTools.RunEdicom(new[] { "commit", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), "--timeout", "20" }
            .Concat(arguments.Contains("--wait") ? arguments : [.. arguments, "--wait", "20"]),
            TimeSpan.FromSeconds(90));

    [Fact]
    public void EdicomCommit_ReportOnTheSameAssociation_AllThenPartial()
    {
        List<(string Path, string Uid)> objects = CreateObjects();
        string output = _temp.Sub("out");
        using ServerProcess scp = EdicomScp.Start(output, "--commitment", "--commitment-report", "same");
        string folder = Path.GetDirectoryName(objects[0].Path)!;
        Store(scp, folder);

        ToolResult all = Commit(scp.Port, folder);
        Assert.True(all.ExitCode == 0, all + "\n" + scp);
        Assert.Contains("3 committed, 0 failed (reported on the same association)", all.Stdout, StringComparison.Ordinal);
        foreach ((_, string uid) in objects)
        {
            Assert.Contains($"committed {uid} {TestObjects.SecondaryCaptureImageStorage}", all.Stdout, StringComparison.Ordinal);
        }

        // One stored file disappears, and one instance is asked for under another SOP class.
        File.Delete(Path.Combine(output, objects[1].Uid + ".dcm"));
        ToolResult partial = Commit(scp.Port, objects[0].Path, objects[1].Path, "--sop", $"{Ct}:{objects[2].Uid}");

        Assert.True(partial.ExitCode == 1, partial + "\n" + scp);
        Assert.Contains("1 committed, 2 failed (reported on the same association)", partial.Stdout, StringComparison.Ordinal);
        string[] lines = partial.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains($"committed {objects[0].Uid} {TestObjects.SecondaryCaptureImageStorage}", lines);
        Assert.Contains($"failed {objects[1].Uid} {TestObjects.SecondaryCaptureImageStorage} 0x0112 No such object instance", lines);
        Assert.Contains($"failed {objects[2].Uid} {Ct} 0x0119 Class / Instance conflict", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith($"committed {objects[1].Uid}", StringComparison.Ordinal));
        Assert.True(scp.WaitForCount(new System.Text.RegularExpressions.Regex("sent on the requesting association"), 2, TimeSpan.FromSeconds(5)) == 2, scp.ToString());
    }

    [Fact]
    public void EdicomCommit_ListeningForAReportOnANewAssociation_JsonHasPerInstanceResults()
    {
        List<(string Path, string Uid)> objects = CreateObjects();
        string output = _temp.Sub("out");
        int listen = FreePort.Find();
        using ServerProcess scp = EdicomScp.Start(output, "--commitment", "--commitment-report", "new", "--move-dest", $"EDICOM=127.0.0.1:{listen}");
        string folder = Path.GetDirectoryName(objects[0].Path)!;
        Store(scp, folder);
        File.Delete(Path.Combine(output, objects[2].Uid + ".dcm"));

        ToolResult commit = Commit(scp.Port, folder, "--listen", listen.ToString(CultureInfo.InvariantCulture), "--json");

        Assert.True(commit.ExitCode == 1, commit + "\n" + scp);
        using JsonDocument json = JsonDocument.Parse(commit.Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal("new association", root.GetProperty("reportedOn").GetString());
        Assert.StartsWith("2.25.", root.GetProperty("transactionUid").GetString(), StringComparison.Ordinal);
        string[] committed = root.GetProperty("committed").EnumerateArray().Select(e => e.GetProperty("sopInstanceUid").GetString()!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { objects[0].Uid, objects[1].Uid }.Order(StringComparer.Ordinal), committed);
        JsonElement failed = Assert.Single(root.GetProperty("failed").EnumerateArray().ToList());
        Assert.Equal(objects[2].Uid, failed.GetProperty("sopInstanceUid").GetString());
        Assert.Equal(TestObjects.SecondaryCaptureImageStorage, failed.GetProperty("sopClassUid").GetString());
        Assert.Equal("0x0112", failed.GetProperty("failureReason").GetString());

        // The SCP opened an association back to EDICOM at the --listen port.
        Assert.NotNull(scp.WaitForOutput(new System.Text.RegularExpressions.Regex($@"sent to EDICOM at 127\.0\.0\.1:{listen}"), TimeSpan.FromSeconds(5)));
        Assert.DoesNotContain("sent on the requesting association", scp.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void EdicomCommit_SameModeButRequestorListens_ReleaseBeforeTheReportFallsBackToANewAssociation()
    {
        // edicom commit --listen does not wait on its association: it releases at once, so the SCP in "same" mode
        // must report on a new association to the --move-dest entry instead.
        List<(string Path, string Uid)> objects = CreateObjects();
        string output = _temp.Sub("out");
        int listen = FreePort.Find();
        using ServerProcess scp = EdicomScp.Start(output, "--commitment", "--move-dest", $"EDICOM=127.0.0.1:{listen}");
        string folder = Path.GetDirectoryName(objects[0].Path)!;
        Store(scp, folder);

        ToolResult commit = Commit(scp.Port, folder, "--listen", listen.ToString(CultureInfo.InvariantCulture));

        Assert.True(commit.ExitCode == 0, commit + "\n" + scp);
        Assert.Contains("3 committed, 0 failed (reported on the new association)", commit.Stdout, StringComparison.Ordinal);
        Assert.NotNull(scp.WaitForOutput(new System.Text.RegularExpressions.Regex("left before it; reporting on a new association"), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void InvalidArguments_AreRefusedWithExit2_BeforeAnyNetworkUse()
    {
        string output = _temp.Sub("out");
        ToolResult discard = DcmtkTools.RunEdicom(["scp", "0", "--out", output, "--commitment", "--discard"]);
        Assert.True(discard.ExitCode == 2, discard.ToString());
        Assert.Contains("cannot be used with --discard", discard.Stderr, StringComparison.Ordinal);

        ToolResult mode = DcmtkTools.RunEdicom(["scp", "0", "--out", output, "--commitment", "--commitment-report", "later"]);
        Assert.True(mode.ExitCode == 2, mode.ToString());
        Assert.Contains("--commitment-report is same or new", mode.Stderr, StringComparison.Ordinal);

        // Port 9 on loopback: nothing may be contacted, the arguments are refused first.
        ToolResult sop = DcmtkTools.RunEdicom(["commit", "127.0.0.1", "9", "--sop", "1.2.840.10008.5.1.4.1.1.7"]);
        Assert.True(sop.ExitCode == 2, sop.ToString());
        Assert.Contains("is not CLASS_UID:INSTANCE_UID", sop.Stderr, StringComparison.Ordinal);

        ToolResult none = DcmtkTools.RunEdicom(["commit", "127.0.0.1", "9", _temp.Sub("empty")]);
        Assert.True(none.ExitCode == 2, none.ToString());
        Assert.Contains("name 1 to 10000 instances", none.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void EdicomCommit_NoListenerAndNewMode_ReportsNoReportWithExit1()
    {
        List<(string Path, string Uid)> objects = CreateObjects();
        string output = _temp.Sub("out");
        using ServerProcess scp = EdicomScp.Start(output, "--commitment", "--commitment-report", "new");
        Store(scp, Path.GetDirectoryName(objects[0].Path)!);

        ToolResult commit = Commit(scp.Port, objects[0].Path, "--wait", "2");

        Assert.True(commit.ExitCode == 1, commit + "\n" + scp);
        Assert.Contains("no N-EVENT-REPORT", commit.Stderr, StringComparison.Ordinal);
        Assert.Contains("use --listen", commit.Stderr, StringComparison.Ordinal);
        Assert.NotNull(scp.WaitForOutput(new System.Text.RegularExpressions.Regex("EDICOM is not a known peer"), TimeSpan.FromSeconds(5)));
    }
}
