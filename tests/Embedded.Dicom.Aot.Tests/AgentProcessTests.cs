using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Embedded.Dicom.Aot.Tests.Harness;
using Xunit.Abstractions;

namespace Embedded.Dicom.Aot.Tests;

/// <summary>
/// The published edicom agent as a process: killed with SIGKILL at random moments while it pushes objects to an
/// edicom scp that is killed too; driven from the command line (input set, status); refusing a broken board.
/// </summary>
public partial class AgentProcessTests(ITestOutputHelper output)
{
    private static readonly EdicomBinary Edicom = EdicomBinary.X64;

    [GeneratedRegex(@"agent running on board")]
    private static partial Regex Running();

    [Fact]
    public void SigkillOfAgentAndScp_LosesNoObjectAndLeavesNoPartialFile()
    {
        const int Count = 1000;
        using var temp = new TempFolder();
        string samples = temp.Sub("samples");
        string received = temp.Sub("received");
        string incoming = temp.Sub("incoming");
        Edicom.RunChecked(["demo", "--samples", samples, "--count", Count.ToString(CultureInfo.InvariantCulture), "--size", "16"]);
        string[] files = Directory.GetFiles(samples).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Count, files.Length);
        HashSet<string> expected = files.Select(SopInstanceUid).ToHashSet();

        ServerProcess scp = EdicomScp.Start(Edicom, received);
        int port = scp.Port;
        string config = WriteConfig(temp, port, rules: "");
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var events = new List<string> { $"seed {seed}" };
        ServerProcess agent = StartAgent(config);
        try
        {
            int dropped = 0;
            for (int round = 0; round < 8; round++)
            {
                // Drop the next share of objects (renamed into place, as a modality's writer would).
                int upTo = Count * (round + 1) / 8;
                for (; dropped < upTo; dropped++)
                {
                    File.Move(files[dropped], Path.Combine(incoming, Path.GetFileName(files[dropped])));
                }

                Thread.Sleep(random.Next(50, 400));
                if (round is 2 or 5)
                {
                    scp.Kill();
                    events.Add($"round {round}: SIGKILL scp");
                    scp.Dispose();
                    Thread.Sleep(random.Next(50, 300));
                    scp = StartScp(port, received);
                }

                int queued = Directory.Exists(Path.Combine(temp.Path, "spool", "queue", "pacs")) ? Directory.GetFiles(Path.Combine(temp.Path, "spool", "queue", "pacs")).Length : 0;
                agent.Kill();
                events.Add($"round {round}: SIGKILL agent with {Directory.GetFiles(incoming).Length} in incoming, {queued} queued, {Directory.GetFiles(received, "*.dcm").Length} received so far");
                agent.Dispose();
                agent = StartAgent(config);
            }

            // Let the last agent finish: spool and incoming folder empty.
            string spool = Path.Combine(temp.Path, "spool");
            DateTime deadline = DateTime.UtcNow.AddSeconds(120);
            while (!(Empty(incoming) && Empty(Path.Combine(spool, "queue", "pacs")) && Empty(Path.Combine(spool, "objects")) && Empty(Path.Combine(spool, "ingest"))))
            {
                Assert.True(DateTime.UtcNow < deadline, $"the spool did not drain\n{string.Join('\n', events)}\n{agent}");
                Thread.Sleep(100);
            }

            Assert.Equal(0, agent.Terminate());
            Assert.True(Empty(Path.Combine(spool, "failed")) || Directory.GetDirectories(Path.Combine(spool, "failed")).All(Empty), "objects were set aside as failed");
            Assert.True(Empty(Path.Combine(temp.Path, "quarantine")), "a killed agent quarantined a complete file");
            HashSet<string> arrived = Directory.GetFiles(received, "*.dcm").Select(f => Path.GetFileNameWithoutExtension(f)).ToHashSet();
            expected.ExceptWith(arrived);
            Assert.True(expected.Count == 0, $"{expected.Count} object(s) lost, e.g. {expected.FirstOrDefault()}\n{string.Join('\n', events)}");

            // Every received file is whole: edicom scp renames only complete files into place, and the SCP that
            // was killed mid-object left its temporary file, which the next one removed at start.
            Assert.Empty(Directory.GetFiles(received, ".*"));
            Assert.Equal(0, scp.Terminate());
            output.WriteLine(string.Join('\n', events));
            output.WriteLine($"received {arrived.Count} distinct objects in {Directory.GetFiles(received, "*.dcm").Length} files");
        }
        finally
        {
            agent.Dispose();
            scp.Dispose();
        }
    }

    public static TheoryData<string> Binaries => new() { "linux-x64", "linux-arm64" };

    [Theory]
    [MemberData(nameof(Binaries))]
    public void InputSetFromTheCommandLine_HoldsAndReleasesDelivery_AndStatusShowsIt(string rid)
    {
        // The arm64 agent runs under qemu against the x64 SCP: its spool's fsync/flock/syncfs calls and the
        // simulated GPIO stack are exercised on aarch64 too.
        EdicomBinary edicom = rid == "linux-x64" ? EdicomBinary.X64 : EdicomBinary.Arm64;
        using var temp = new TempFolder();
        string samples = temp.Sub("samples");
        string received = temp.Sub("received");
        string incoming = temp.Sub("incoming");
        Edicom.RunChecked(["demo", "--samples", samples, "--count", "3"]);
        using ServerProcess scp = EdicomScp.Start(Edicom, received);
        string config = WriteConfig(temp, scp.Port, rules: "\"hold-while: exposure-active\"");
        using ServerProcess agent = StartAgent(config, edicom);

        edicom.RunChecked(["input", "set", "exposure-active", "1", "--config", config]);
        Assert.NotNull(agent.WaitForOutput(new Regex("holding network traffic"), TimeSpan.FromSeconds(10)));
        foreach (string file in Directory.GetFiles(samples))
        {
            File.Move(file, Path.Combine(incoming, Path.GetFileName(file)));
        }

        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        string status;
        do
        {
            status = edicom.RunChecked(["agent", "status", "--config", config]).Stdout;
            Thread.Sleep(100);
        }
        while (!status.Contains("queue: 3 object(s)", StringComparison.Ordinal) && DateTime.UtcNow < deadline);
        Assert.Contains("queue: 3 object(s)", status);
        Assert.Contains("-> HOLDING", status);
        Assert.Contains("input exposure-active = 1", status);
        Assert.Empty(Directory.GetFiles(received));

        edicom.RunChecked(["input", "set", "exposure-active", "0", "--config", config]);
        deadline = DateTime.UtcNow.AddSeconds(20);
        while (Directory.GetFiles(received, "*.dcm").Length < 3 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        Assert.Equal(3, Directory.GetFiles(received, "*.dcm").Length);
        string json = edicom.RunChecked(["agent", "status", "--json", "--config", config]).Stdout;
        Assert.Contains("\"running\": true", json);
        Assert.Contains("\"queueDepth\": 0", json);
        Assert.Contains("\"sent\": 3", json);

        ToolResult unknown = edicom.Run(["input", "set", "no-such-input", "1", "--config", config]);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("no-such-input", unknown.Stderr);
        Assert.Equal(0, agent.Terminate());

        // Stopped: status reads the spool instead.
        Assert.Contains("agent: not running (read from the spool)", edicom.RunChecked(["agent", "status", "--config", config]).Stdout);
    }

    [Fact]
    public void ABrokenBoardProfile_StopsTheAgentWithTheFileAndTheField()
    {
        using var temp = new TempFolder();
        string board = Path.Combine(temp.Path, "board.json");
        File.WriteAllText(board, File.ReadAllText(Path.Combine(RepositoryRoot.Path, "boards", "sim", "board.json")).Replace("\"line\": 27", "\"line\": 99", StringComparison.Ordinal));
        string config = WriteConfig(temp, 104, rules: "");
        ToolResult result = Edicom.Run(["agent", "--board", board, "--config", config]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{board}: inputs[1].line: ", result.Stderr);
        Assert.Contains("99", result.Stderr);
    }

    private static ServerProcess StartAgent(string config, EdicomBinary? binary = null)
    {
        var agent = new ServerProcess((binary ?? Edicom).StartInfo(["agent", "--board", Path.Combine(RepositoryRoot.Path, "boards", "sim"), "--config", config]));
        Assert.True(agent.WaitForOutput(Running(), TimeSpan.FromSeconds(30)) is not null, agent.ToString());
        return agent;
    }

    private static ServerProcess StartScp(int port, string output)
    {
        // Same port as before (the agent's configuration names it); the listener sets SO_REUSEADDR.
        var scp = new ServerProcess(Edicom.StartInfo(["scp", port.ToString(CultureInfo.InvariantCulture), "--out", output]), port);
        Assert.True(scp.WaitForOutput(new Regex("listening on"), TimeSpan.FromSeconds(30)) is not null, scp.ToString());
        return scp;
    }

    private static string WriteConfig(TempFolder temp, int port, string rules)
    {
        string path = Path.Combine(temp.Path, "agent.json");
        File.WriteAllText(path, $$"""
            {
              "incoming": "incoming",
              "spool": "spool",
              "quarantine": "quarantine",
              "settleMs": 0,
              "scanIntervalMs": 100,
              "idleReleaseMs": 1000,
              "retry": { "initialMs": 50, "maxMs": 500, "jitter": 0.5 },
              "destinations": [
                { "name": "pacs", "host": "127.0.0.1", "port": {{port}}, "calledAe": "EDICOM", "connectTimeoutMs": 1000, "dimseTimeoutMs": 5000 }
              ],
              "rules": [ {{rules}} ]
            }
            """);
        return path;
    }

    private static bool Empty(string folder) => !Directory.Exists(folder) || !Directory.EnumerateFileSystemEntries(folder).Any();

    /// <summary>edicom demo names objects STUDY.N and stores them under sample-NNNN.dcm; the UID is in the meta group.</summary>
    private static string SopInstanceUid(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        // (0002,0003) UI: tag bytes 02 00 03 00 'U' 'I' len16.
        ReadOnlySpan<byte> tag = [0x02, 0x00, 0x03, 0x00, (byte)'U', (byte)'I'];
        int at = bytes.AsSpan().IndexOf(tag);
        int length = bytes[at + 6] | (bytes[at + 7] << 8);
        return System.Text.Encoding.ASCII.GetString(bytes, at + 8, length).TrimEnd('\0', ' ');
    }
}
