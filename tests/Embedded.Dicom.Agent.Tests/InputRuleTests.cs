using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Embedded.Dicom.Device;

namespace Embedded.Dicom.Agent.Tests;

/// <summary>
/// Status inputs drive the agent through its rules. The inputs are the real stack — GpioController over the
/// simulated GpioDriver, with debounce — toggled as the hardware would; what is asserted is what the SCP received
/// and when, relative to the toggles.
/// </summary>
public class InputRuleTests
{
    private const string Board = """
        {
          "name": "rules-test",
          "rid": "linux-x64",
          "gpio": { "driver": "sim" },
          "inputs": [
            { "name": "exposure-active", "line": 17, "debounceMs": 0 },
            { "name": "study-complete", "line": 27, "debounceMs": 0 },
            { "name": "service-mode", "line": 22, "debounceMs": 0 }
          ],
          "outputs": [
            { "name": "link-up", "line": 24 },
            { "name": "backlog", "line": 25 },
            { "name": "error", "line": 5 }
          ]
        }
        """;

    [Fact]
    public async Task HoldWhile_SendsNothingWhileTheInputIsActive_AndEverythingAfterIt()
    {
        using DeviceBoard board = DeviceBoard.Open(BoardProfile.Parse(Board, "rules-test"));
        await using var scp = new ScriptedScp((_, _) => Reaction.Answer(0));
        await using var harness = new AgentHarness([("pacs", scp.Port)], ["hold-while: exposure-active"], board.Inputs, Simulate(board));
        harness.Start();

        Set(board, "exposure-active", true);
        Assert.True(await Wait.UntilAsync(() => harness.Agent.GetStatus().Held), harness.LogText);
        for (int i = 1; i <= 5; i++)
        {
            TestObjects.Drop(harness.Incoming, $"1.2.4.1.{i}", "1.2.4.1");
        }

        // Taken into the spool (intake goes on during an exposure) but not sent.
        Assert.True(await Wait.UntilAsync(() => harness.Agent.GetStatus().Received == 5), harness.LogText);
        await Task.Delay(300);
        Assert.Empty(scp.Log);
        Assert.Equal("held", harness.Destination("pacs").State);

        DateTimeOffset released = DateTimeOffset.UtcNow;
        Set(board, "exposure-active", false);
        Assert.True(await Wait.UntilAsync(() => scp.Stored.Count == 5), harness.LogText);
        Assert.All(scp.Log, entry => Assert.True(entry.At >= released, $"{entry.Sop} arrived at {entry.At:O}, before the hold was released at {released:O}"));
        Assert.Contains("rule hold-while: exposure-active: holding network traffic", harness.LogText);
        Assert.Contains("rule hold-while: exposure-active: hold released", harness.LogText);
    }

    [Fact]
    public async Task FlushOn_KeepsObjectsUntilTheInputRises_ThenSendsWhatWasTakenUpToThen()
    {
        using DeviceBoard board = DeviceBoard.Open(BoardProfile.Parse(Board, "rules-test"));
        await using var scp = new ScriptedScp((_, _) => Reaction.Answer(0));
        await using var harness = new AgentHarness([("pacs", scp.Port)], ["flush-on: study-complete"], board.Inputs, Simulate(board));
        harness.Start();

        for (int i = 1; i <= 3; i++)
        {
            TestObjects.Drop(harness.Incoming, $"1.2.4.2.{i}", "1.2.4.2");
        }

        Assert.True(await Wait.UntilAsync(() => harness.Agent.GetStatus().Received == 3), harness.LogText);
        await Task.Delay(300);
        Assert.Empty(scp.Log);
        Assert.True(harness.Agent.GetStatus().WaitingForFlush);

        DateTimeOffset flushed = DateTimeOffset.UtcNow;
        Set(board, "study-complete", true);
        Assert.True(await Wait.UntilAsync(() => scp.Stored.Count == 3), harness.LogText);
        Assert.All(scp.Log, entry => Assert.True(entry.At >= flushed));
        Assert.Equal(["1.2.4.2.1", "1.2.4.2.2", "1.2.4.2.3"], scp.Stored); // study order kept
        Set(board, "study-complete", false);

        // The next study waits for the next flush.
        TestObjects.Drop(harness.Incoming, "1.2.4.3.1", "1.2.4.3");
        Assert.True(await Wait.UntilAsync(() => harness.Agent.GetStatus().Received == 4), harness.LogText);
        await Task.Delay(300);
        Assert.Equal(3, scp.Stored.Count);
        Set(board, "study-complete", true);
        Assert.True(await Wait.UntilAsync(() => scp.Stored.Count == 4), harness.LogText);
        Assert.Contains("rule flush-on: study-complete: flush", harness.LogText);
    }

    [Fact]
    public async Task PauseOn_NeitherTakesNorSends_ThenResumes()
    {
        using DeviceBoard board = DeviceBoard.Open(BoardProfile.Parse(Board, "rules-test"));
        await using var scp = new ScriptedScp((_, _) => Reaction.Answer(0));
        await using var harness = new AgentHarness([("pacs", scp.Port)], ["pause-on: service-mode"], board.Inputs, Simulate(board));
        harness.Start();

        Set(board, "service-mode", true);
        Assert.True(await Wait.UntilAsync(() => harness.Agent.GetStatus().Paused), harness.LogText);
        string dropped = TestObjects.Drop(harness.Incoming, "1.2.4.4.1", "1.2.4.4");
        await Task.Delay(300);
        Assert.True(File.Exists(dropped)); // not taken during service mode
        Assert.Empty(scp.Log);
        Assert.Equal("paused", harness.Destination("pacs").State);

        DateTimeOffset resumed = DateTimeOffset.UtcNow;
        Set(board, "service-mode", false);
        Assert.True(await Wait.UntilAsync(() => scp.Stored.Count == 1), harness.LogText);
        Assert.False(File.Exists(dropped));
        Assert.True(scp.Log.Single().At >= resumed);
        Assert.Contains("rule pause-on: service-mode: pausing intake and delivery", harness.LogText);
    }

    [Fact]
    public async Task Outputs_ShowBacklogAndErrorAndLink()
    {
        using DeviceBoard board = DeviceBoard.Open(BoardProfile.Parse(Board, "rules-test"));
        await using var scp = new ScriptedScp((sop, _) => Reaction.Answer(sop.EndsWith(".2", StringComparison.Ordinal) ? (ushort)0xC000 : (ushort)0));
        await using var harness = new AgentHarness([("pacs", scp.Port)], ["hold-while: exposure-active"], board.Inputs, Simulate(board), outputs: board.Outputs);
        harness.Start();

        Set(board, "exposure-active", true);
        TestObjects.Drop(harness.Incoming, "1.2.4.5.1", "1.2.4.5");
        Assert.True(await Wait.UntilAsync(() => board.Outputs.Snapshot()["backlog"]), harness.LogText);
        Assert.False(board.Outputs.Snapshot()["link-up"]);

        Set(board, "exposure-active", false);
        Assert.True(await Wait.UntilAsync(() => board.Outputs.Snapshot()["link-up"] && !board.Outputs.Snapshot()["backlog"]), harness.LogText);
        Assert.False(board.Outputs.Snapshot()["error"]);

        TestObjects.Drop(harness.Incoming, "1.2.4.5.2", "1.2.4.5");
        Assert.True(await Wait.UntilAsync(() => board.Outputs.Snapshot()["error"]), harness.LogText); // refused object
    }

    [Fact]
    public void ARuleNamingAnInputTheBoardLacks_IsAConfigurationError()
    {
        using DeviceBoard board = DeviceBoard.Open(BoardProfile.Parse(Board, "rules-test"));
        var harness = new AgentHarness([("pacs", 1)], ["hold-while: door-open"], board.Inputs);
        AgentConfigException e = Assert.Throws<AgentConfigException>(harness.Start);
        Assert.EndsWith("agent.json: rules: 'hold-while: door-open' names input 'door-open', which the board does not have (exposure-active, study-complete, service-mode)", e.Message);
    }

    private static Func<string, bool, string?> Simulate(DeviceBoard board) => (name, active) => board.TrySimulateInput(name, active, out string? error) ? null : error;

    private static void Set(DeviceBoard board, string input, bool active) => Assert.True(board.TrySimulateInput(input, active, out string? error), error);
}
