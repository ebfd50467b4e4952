using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Embedded.Dicom.Interop.Tests.Harness;

namespace Embedded.Dicom.Interop.Tests;

/// <summary>One Orthanc for the class (it takes 3–4 s to stop), declaring the modality EDICOM at 127.0.0.1:<see cref="ListenPort"/>.</summary>
public sealed class OrthancFixture : IDisposable
{
    private readonly TempFolder _temp = new("orthanc");

    public OrthancFixture()
    {
        ListenPort = FreePort.Find();
        Server = OrthancServer.Start(_temp.Path, "EDICOM", ListenPort, "--verbose");
    }

    internal OrthancServer Server { get; }

    /// <summary>Where Orthanc sends storage commitment reports for the calling AE EDICOM.</summary>
    public int ListenPort { get; }

    public void Dispose()
    {
        Server.Dispose();
        _temp.Dispose();
    }
}

/// <summary>
/// <c>edicom</c> against Orthanc 1.10.1: C-STORE, then Storage Commitment (PS3.4 J.3), which Orthanc reports
/// only on a new association to the requestor declared in its DicomModalities (proposing the SCP role for
/// itself); MPPS, whose presentation context Orthanc rejects; and a calling AE Orthanc does not know, whose
/// N-ACTION it answers with an A-ABORT.
/// </summary>
[Trait("Interop", "orthanc")]
public sealed class EdicomToOrthancTests : IClassFixture<OrthancFixture>, IDisposable
{
    private const string Ct = "1.2.840.10008.5.1.4.1.1.2";
    private const string Mpps = "1.2.840.10008.3.1.2.3.3";

    private readonly OrthancFixture _orthanc;
    private readonly TempFolder _temp = new("orthanc-objects");

    public EdicomToOrthancTests(OrthancFixture orthanc) => _orthanc = orthanc;

    public void Dispose() => _temp.Dispose();

    private string Port => _orthanc.Server.DicomPort.ToString(CultureInfo.InvariantCulture);

    private List<(string Path, string Uid)> CreateObjects(string name, int count)
    {
        string work = _temp.Sub("work");
        string folder = _temp.Sub(name);
        var objects = new List<(string, string)>();
        for (int i = 1; i <= count; i++)
        {
            var spec = new ImageSpec { Rows = 8, Columns = 8, Rich = false };
            string path = Path.Combine(folder, $"obj{i}.dcm");
            File.Move(TestObjects.CreateImage(work, $"{name}{i}.dcm", spec), path);
            objects.Add((path, spec.SopInstanceUid));
        }

        return objects;
    }

    private void Store(string folder, int count)
    {
        ToolResult store = DcmtkTools.RunEdicom(["store", "127.0.0.1", Port, folder, "--aec", OrthancServer.AeTitle, "--timeout", "20"]);
        Assert.True(store.ExitCode == 0, store + "\n" + _orthanc.Server);
        Assert.Contains($"{count} stored, 0 failed", store.Stdout, StringComparison.Ordinal);
    }

    private ToolResult Commit(params string[] arguments)
        => DcmtkTools.RunEdicom(new[] { "commit", "127.0.0.1", Port, "--aec", OrthancServer.AeTitle, "--timeout", "20" }.Concat(arguments), TimeSpan.FromSeconds(90));

    private string Listen => _orthanc.ListenPort.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void Commit_StoredNeverStoredAndWrongClass_StoredAreCommitted_Others0112And0119()
    {
        List<(string Path, string Uid)> stored = CreateObjects("stored", 2);
        List<(string Path, string Uid)> notStored = CreateObjects("not-stored", 1);
        Store(Path.GetDirectoryName(stored[0].Path)!, 2);

        ToolResult commit = Commit(stored[0].Path, stored[1].Path, notStored[0].Path, "--sop", $"{Ct}:{stored[1].Uid}", "--listen", Listen, "--wait", "20");

        Assert.True(commit.ExitCode == 1, commit + "\n" + _orthanc.Server);
        Assert.Contains("2 committed, 2 failed (reported on the new association)", commit.Stdout, StringComparison.Ordinal);
        string[] lines = commit.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains($"committed {stored[0].Uid} {TestObjects.SecondaryCaptureImageStorage}", lines);
        Assert.Contains($"committed {stored[1].Uid} {TestObjects.SecondaryCaptureImageStorage}", lines);
        Assert.Contains($"failed {notStored[0].Uid} {TestObjects.SecondaryCaptureImageStorage} 0x0112 No such object instance", lines);
        Assert.Contains($"failed {stored[1].Uid} {Ct} 0x0119 Class / Instance conflict", lines);
        Assert.Equal(5, lines.Length);
    }

    [Fact]
    public void Commit_AllStored_Exit0_AndJsonSaysNewAssociation()
    {
        List<(string Path, string Uid)> objects = CreateObjects("all", 3);
        string folder = Path.GetDirectoryName(objects[0].Path)!;
        Store(folder, 3);

        ToolResult commit = Commit(folder, "--listen", Listen, "--json", "--wait", "20");

        Assert.True(commit.ExitCode == 0, commit + "\n" + _orthanc.Server);
        using JsonDocument json = JsonDocument.Parse(commit.Stdout);
        Assert.Equal("new association", json.RootElement.GetProperty("reportedOn").GetString());
        Assert.Empty(json.RootElement.GetProperty("failed").EnumerateArray());
        string[] committed = json.RootElement.GetProperty("committed").EnumerateArray().Select(e => e.GetProperty("sopInstanceUid").GetString()!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(objects.Select(o => o.Uid).Order(StringComparer.Ordinal), committed);
        Assert.False(json.RootElement.TryGetProperty("retrieveAeTitle", out _)); // Orthanc sends no (0008,0054)
        string transaction = json.RootElement.GetProperty("transactionUid").GetString()!;
        var reported = new Regex($"Reporting modality \"EDICOM\" about storage commitment transaction: {Regex.Escape(transaction)} \\(3 successes, 0 failures\\)");
        Assert.True(_orthanc.Server.WaitForOutput(reported, TimeSpan.FromSeconds(5)) is not null, _orthanc.Server.ToString());
    }

    [Fact]
    public void Commit_WithoutListen_NoReportComesOnTheRequestingAssociation_Exit1()
    {
        List<(string Path, string Uid)> objects = CreateObjects("nolisten", 1);
        Store(Path.GetDirectoryName(objects[0].Path)!, 1);

        ToolResult commit = Commit(objects[0].Path, "--wait", "2");

        Assert.True(commit.ExitCode == 1, commit + "\n" + _orthanc.Server);
        Assert.Contains("no N-EVENT-REPORT for transaction", commit.Stderr, StringComparison.Ordinal);
        Assert.Contains("use --listen", commit.Stderr, StringComparison.Ordinal);
        Assert.Empty(commit.Stdout);
    }

    [Fact]
    public void Mpps_OrthancRejectsThePresentationContext_Exit2NamingTheSopClass()
    {
        ToolResult mpps = DcmtkTools.RunEdicom(["mpps", "127.0.0.1", Port, "create", "--uid", TestObjects.NewUid(), "--aec", OrthancServer.AeTitle, "--timeout", "20"]);

        Assert.True(mpps.ExitCode == 2, mpps + "\n" + _orthanc.Server);
        Assert.Contains("no presentation context", mpps.Stderr, StringComparison.Ordinal);
        Assert.Contains(Mpps, mpps.Stderr, StringComparison.Ordinal);
        Assert.Contains("Modality Performed Procedure Step", mpps.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Commit_FromAnUndeclaredAe_OrthancAbortsTheNAction_Exit2()
    {
        List<(string Path, string Uid)> objects = CreateObjects("stranger", 1);
        Store(Path.GetDirectoryName(objects[0].Path)!, 1);

        ToolResult commit = Commit(objects[0].Path, "--aet", "STRANGER", "--wait", "20");

        Assert.True(commit.ExitCode == 2, commit + "\n" + _orthanc.Server);
        Assert.Contains("abort", commit.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(commit.Stdout);
        // Orthanc leaves the TCP connection open after its A-ABORT: the failure must be the abort itself, not a
        // timeout waiting for the connection to close.
        Assert.DoesNotContain("timeout", commit.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.True(_orthanc.Server.WaitForOutput(new Regex("rejected.*STRANGER"), TimeSpan.FromSeconds(5)) is not null, _orthanc.Server.ToString());
    }
}
