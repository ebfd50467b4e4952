using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Embedded.Dicom.Agent.Tests;

/// <summary>What the agent takes from the incoming folder, when, and what it sets aside.</summary>
public class IntakeTests
{
    [Fact]
    public async Task InvalidFiles_GoToQuarantineWithTheirReason_AndValidOnesAreSent()
    {
        await using var scp = new ScriptedScp((_, _) => Reaction.Answer(0));
        await using var harness = new AgentHarness([("pacs", scp.Port)]);
        string quarantine = harness.Config.Resolve("quarantine");
        File.WriteAllText(Path.Combine(harness.Incoming, "notes.txt"), "not DICOM at all");
        byte[] whole = TestObjects.Build("1.2.5.1", "1.2.5", pixelBytes: 4000);
        File.WriteAllBytes(Path.Combine(harness.Incoming, "truncated.dcm"), whole[..^1000]);
        // The data set's (0008,0018) says 1.2.5.3 while the meta group's (0002,0003) says 1.2.5.2.
        byte[] mismatch = TestObjects.Build("1.2.5.2", "1.2.5");
        int last = mismatch.AsSpan().LastIndexOf("1.2.5.2"u8);
        Assert.True(last > 200); // the data set's copy, not the meta group's
        "1.2.5.3"u8.CopyTo(mismatch.AsSpan(last));
        File.WriteAllBytes(Path.Combine(harness.Incoming, "mismatch.dcm"), mismatch);
        TestObjects.Drop(harness.Incoming, "1.2.5.4", "1.2.5");
        harness.Start();

        Assert.True(await Wait.UntilAsync(() => scp.Stored.Count == 1 && harness.Agent.GetStatus().Quarantined == 3), harness.LogText);
        Assert.Equal(["1.2.5.4"], scp.Stored);
        Assert.Empty(Directory.GetFiles(harness.Incoming));
        Assert.Contains("not a DICOM Part 10 file", File.ReadAllText(Path.Combine(quarantine, "notes.txt.reason.txt")));
        Assert.Contains("data set does not parse", File.ReadAllText(Path.Combine(quarantine, "truncated.dcm.reason.txt")));
        Assert.Contains("differs from the meta group", File.ReadAllText(Path.Combine(quarantine, "mismatch.dcm.reason.txt")));
        Assert.Equal(whole[..^1000], File.ReadAllBytes(Path.Combine(quarantine, "truncated.dcm"))); // kept as it came
    }

    [Fact]
    public async Task AFileStillBeingWritten_IsTakenOnlyOnceItHasSettled()
    {
        await using var scp = new ScriptedScp((_, _) => Reaction.Answer(0));
        // Settle time well above the writer's pauses (100 ms), so that a loaded CI machine does not stretch a pause past it.
        await using var harness = new AgentHarness([("pacs", scp.Port)], settleMs: 2000);
        harness.Start();

        // A writer that appends in pieces without renaming: half a file must never be taken (or quarantined).
        byte[] file = TestObjects.Build("1.2.5.5", "1.2.5", pixelBytes: 8000);
        string path = Path.Combine(harness.Incoming, "slow.dcm");
        var writer = new System.Threading.Thread(() =>
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            for (int offset = 0; offset < file.Length; offset += 1000)
            {
                stream.Write(file, offset, Math.Min(1000, file.Length - offset));
                stream.Flush();
                System.Threading.Thread.Sleep(100);
            }
        });
        writer.Start();
        writer.Join();

        Assert.True(await Wait.UntilAsync(() => scp.Stored.Count == 1), harness.LogText);
        Assert.Equal(0, harness.Agent.GetStatus().Quarantined);
    }

    [Fact]
    public async Task PartialAndHiddenNamesAreIgnored_AndSubfoldersAreWatched()
    {
        await using var scp = new ScriptedScp((_, _) => Reaction.Answer(0));
        await using var harness = new AgentHarness([("pacs", scp.Port)]);
        harness.Start();
        File.WriteAllBytes(Path.Combine(harness.Incoming, "a.dcm.part"), TestObjects.Build("1.2.5.6", "1.2.5"));
        File.WriteAllBytes(Path.Combine(harness.Incoming, ".b.dcm"), TestObjects.Build("1.2.5.7", "1.2.5"));
        string study = Path.Combine(harness.Incoming, "study-1");
        Directory.CreateDirectory(study);
        TestObjects.Drop(study, "1.2.5.8", "1.2.5");

        Assert.True(await Wait.UntilAsync(() => scp.Stored.Count == 1), harness.LogText);
        await Task.Delay(300);
        Assert.Equal(["1.2.5.8"], scp.Stored);
        Assert.True(File.Exists(Path.Combine(harness.Incoming, "a.dcm.part")));
        Assert.True(File.Exists(Path.Combine(harness.Incoming, ".b.dcm")));
    }

    [Fact]
    public void ConfigErrors_NameTheFileAndTheField()
    {
        string folder = TestObjects.TempDirectory();
        string path = Path.Combine(folder, "agent.json");
        (string Json, string Message)[] cases =
        [
            ("""{ "destinations": [] }""", "destinations: at least one destination is needed"),
            ("""{ "destinations": [ { "name": "p", "host": "h", "port": 0 } ] }""", "destinations[0].port: must be 1..65535, got 0"),
            ("""{ "destinations": [ { "name": "../x", "host": "h", "port": 1 } ] }""", "destinations[0].name: must be 1-64 characters of A-Z a-z 0-9 . _ - (it names a spool folder), got '../x'"),
            ("""{ "destinations": [ { "name": "p", "host": "h", "port": 1 } ], "rules": [ "stop-on: x" ] }""", "rules[0]: unknown rule 'stop-on' in 'stop-on: x' (hold-while, flush-on, pause-on)"),
            ("""{ "destinations": [ { "name": "p", "host": "h", "port": 1 } ], "retry": { "jitter": 2 } }""", "retry.jitter: must be 0..1, got 2"),
            ("""{ "destinations": [ { "name": "p", "host": "h", "port": 1, "calledAe": "THIS-IS-TOO-LONG-AE" } ] }""", "destinations[0].calledAe: not a valid AE title: 'THIS-IS-TOO-LONG-AE'"),
            ("""{ "destinatons": [] }""", "destinatons: unknown field"),
            ("""{ "destinations": [ { "name": "p", "host": "h", "port": "104" } ] }""", "destinations[0].port: expected a whole number"),
            ("""{ "destinations": [ { "name": "p", "host": "h", "port": 1, "colour": 1 } ] }""", "destinations[0].colour: unknown field"),
            ("""{ "retry": { "jitter": "x" } }""", "retry.jitter: expected a number"),
            ("""{ "destinations": [ { "name": "p" """, "invalid JSON"),
        ];
        foreach ((string json, string message) in cases)
        {
            File.WriteAllText(path, json);
            AgentConfigException e = Assert.Throws<AgentConfigException>(() => AgentConfig.Load(path));
            Assert.StartsWith($"{path}: {message}", e.Message);
        }

        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void StatusJson_RoundTripsThroughTheReaderTheCAbiUses()
    {
        var status = new AgentStatus
        {
            Time = DateTimeOffset.Parse("2026-11-26T03:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            Running = true, QueueDepth = 7, OldestAgeSeconds = 1.5, Received = 9, Quarantined = 1, IntakeError = "disk full", Held = true,
            Rules = ["hold-while: exposure-active"],
            Destinations = [new DestinationStatus { Name = "pacs", Peer = "PACS@h:1", State = "held", Queued = 7, Failed = 2, Sent = 3, ConsecutiveFailures = 1, LastError = "0xA700", NextAttemptAt = DateTimeOffset.UnixEpoch,
                LastErrorAt = new DateTimeOffset(2026, 11, 26, 8, 30, 15, TimeSpan.FromHours(-5)).AddTicks(1_234_500) }],
            Inputs = [new SignalState { Name = "exposure-active", Active = true }],
            Outputs = [new SignalState { Name = "backlog", Active = true }],
        };
        string json = StoreForwardAgent.ToJson(status);
        AgentStatus back = StoreForwardAgent.FromJson(json)!;
        Assert.Equal(json, StoreForwardAgent.ToJson(back));
        Assert.Equal(status.Time, back.Time);
        DestinationStatus pacs = Assert.Single(back.Destinations);
        Assert.Equal(status.Destinations[0].LastErrorAt, pacs.LastErrorAt); // offset and fraction kept
        Assert.Equal(TimeSpan.FromHours(-5), pacs.LastErrorAt!.Value.Offset);
        Assert.Equal(DateTimeOffset.UnixEpoch, pacs.NextAttemptAt);
        Assert.Null(pacs.LastSuccessAt);
        Assert.Null(StoreForwardAgent.FromJson("not json"));
        Assert.Null(StoreForwardAgent.FromJson(json.Replace("2026-11-26T03:00:00+00:00", "26 November 2026", StringComparison.Ordinal)));
    }
}
