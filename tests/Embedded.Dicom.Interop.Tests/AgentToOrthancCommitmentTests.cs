using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Embedded.Dicom.Interop.Tests.Harness;

namespace Embedded.Dicom.Interop.Tests;

/// <summary>
/// The agent's "keep until committed" policy against a Storage Commitment SCP that is not ours: Orthanc from
/// Debian, which reports on a new association to the requestor declared in its modality table. The agent runs
/// as the real CLI (<c>edicom agent --board sim</c>).
/// </summary>
public sealed class AgentToOrthancCommitmentTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task OrthancCommitsPartOfTheBatch_TheAgentResendsTheRest_AndEmptiesItsSpoolOnlyWhenAllAreCommitted()
    {
        using var temp = new TempFolder("agent-orthanc");
        int listenPort = FreePort.Find();

        // Orthanc starts without the agent in its modality table: it aborts the agent's first N-ACTIONs, so the
        // objects are stored but cannot be committed yet, and the test gets a moment to make Orthanc lose one.
        using OrthancServer orthanc = OrthancServer.Start(temp.Sub("orthanc"), "SOMEONE-ELSE", 104);
        string incoming = temp.Sub("incoming");
        string config = WriteConfig(temp, orthanc.DicomPort, listenPort);
        string[] uids = new string[5];
        string staging = temp.Sub("staging");
        for (int i = 0; i < uids.Length; i++)
        {
            uids[i] = TestObjects.NewUid();
            string path = TestObjects.CreateImage(staging, $"image{i}.dcm", new ImageSpec { SopInstanceUid = uids[i], Rows = 16, Columns = 16 });
            File.Move(path, Path.Combine(incoming, $"image{i}.dcm"));
        }

        using var agent = new ServerProcess(DcmtkTools.CreateStartInfo(DcmtkTools.DotnetHost,
            [DcmtkTools.EdicomDll, "agent", "--board", SimBoard(), "--config", config, "-v"], temp.Path));
        Assert.True(agent.WaitForOutput(new Regex("orthanc: storage commitment: (Aborted|ConnectionClosed)"), s_wait) is not null, agent.ToString());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{orthanc.HttpPort}/"), Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(5, await CountAsync(http, "instances"));

        // Orthanc "loses" the third object (deleted through its REST API), then learns where the agent listens.
        string lost = await LookupAsync(http, uids[2]);
        Assert.True((await http.DeleteAsync($"instances/{lost}")).IsSuccessStatusCode);
        Assert.Equal(4, await CountAsync(http, "instances"));
        using var declare = new StringContent($"{{ \"AET\": \"AGENT\", \"Host\": \"127.0.0.1\", \"Port\": {listenPort} }}", Encoding.UTF8, "application/json");
        Assert.True((await http.PutAsync("modalities/agent", declare)).IsSuccessStatusCode);

        // The next request: 4 committed, the lost one failed (0x0112) and sent again, then committed too.
        Assert.True(agent.WaitForOutput(new Regex(@"4 committed, 1 failed and queued again"), s_wait) is not null, agent.ToString());
        Assert.True(agent.WaitForOutput(new Regex(Regex.Escape($"not committed: {uids[2]} 0x0112 No such object instance")), s_wait) is not null, agent.ToString());
        Assert.True(agent.WaitForOutput(new Regex(@"1 committed, 0 failed and queued again"), s_wait) is not null, agent.ToString());
        Assert.Equal(5, await CountAsync(http, "instances"));

        ToolResult status = DcmtkTools.RunEdicom(["agent", "status", "--config", config, "--json"]);
        using JsonDocument json = JsonDocument.Parse(status.Stdout);
        JsonElement destination = json.RootElement.GetProperty("destinations")[0];
        Assert.Equal(0, destination.GetProperty("awaitingCommitment").GetInt32());
        Assert.Equal(0, destination.GetProperty("queued").GetInt32());
        Assert.Equal(0, destination.GetProperty("failed").GetInt32());
        Assert.Equal(6, destination.GetProperty("sent").GetInt64()); // five, and the lost one once more
        // The data files of delivered objects are unlinked by the spool's janitor thread, just after.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Directory.GetFiles(Path.Combine(temp.Path, "spool", "objects")).Length > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Empty(Directory.GetFiles(Path.Combine(temp.Path, "spool", "objects")));
        Assert.Empty(Directory.GetFiles(Path.Combine(temp.Path, "spool", "commitments", "orthanc")));
    }

    private static string WriteConfig(TempFolder temp, int orthancPort, int listenPort)
    {
        string path = temp.File("agent.json");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "aeTitle": "AGENT",
              "incoming": "incoming", "spool": "spool", "quarantine": "quarantine",
              "settleMs": 0, "scanIntervalMs": 100, "idleReleaseMs": 500,
              "retry": { "initialMs": 300, "maxMs": 600, "jitter": 0 },
              "commitmentListen": "127.0.0.1:{{listenPort}}",
              "destinations": [
                { "name": "orthanc", "host": "127.0.0.1", "port": {{orthancPort}}, "calledAe": "ORTHANC",
                  "storageCommitment": { "waitMs": 0, "timeoutMs": 20000, "maxFailures": 3 } }
              ]
            }
            """));
        return path;
    }

    /// <summary>boards/sim/board.json of this repository (found upwards from the test's folder).</summary>
    private static string SimBoard()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "boards", "sim", "board.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("boards/sim/board.json not found above " + AppContext.BaseDirectory);
    }

    private static async Task<int> CountAsync(HttpClient http, string resource)
    {
        using JsonDocument list = JsonDocument.Parse(await http.GetStringAsync(resource));
        return list.RootElement.GetArrayLength();
    }

    /// <summary>Orthanc's ID of the instance with <paramref name="sopInstanceUid"/> (POST /tools/lookup).</summary>
    private static async Task<string> LookupAsync(HttpClient http, string sopInstanceUid)
    {
        using var body = new StringContent(sopInstanceUid, Encoding.ASCII, "text/plain");
        using HttpResponseMessage response = await http.PostAsync("tools/lookup", body);
        using JsonDocument found = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        foreach (JsonElement item in found.RootElement.EnumerateArray())
        {
            if (item.GetProperty("Type").GetString() == "Instance")
            {
                return item.GetProperty("ID").GetString()!;
            }
        }

        throw new InvalidOperationException($"Orthanc does not know {sopInstanceUid}: {found.RootElement}");
    }
}
