using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Embedded.Dicom.Agent.Tests;

/// <summary>
/// Every answer a destination can give leads to the documented action — delivered, retried with backoff, or set
/// aside in the failed records — and never to an object shown as sent that the destination did not accept.
/// </summary>
public class StatusMatrixTests
{
    [Theory]
    [InlineData((ushort)0x0000)]
    [InlineData((ushort)0x0001)] // Warning (PS3.4 B.2.3: coercion)
    [InlineData((ushort)0xB000)] // Warning: coercion of data elements
    [InlineData((ushort)0xB007)] // Warning: data set does not match SOP class
    public async Task SuccessOrWarning_RemovesTheObjectFromTheSpool(ushort status)
    {
        await using var scp = new ScriptedScp((_, _) => Reaction.Answer(status));
        await using var harness = new AgentHarness([("pacs", scp.Port)]);
        harness.Start();
        TestObjects.Drop(harness.Incoming, "1.2.3.1", "1.2.3");

        Assert.True(await Wait.UntilAsync(() => harness.Destination("pacs").Sent == 1), harness.LogText);
        Assert.Equal(["1.2.3.1"], scp.Stored.Distinct());
        Assert.Equal(0, harness.Agent.GetStatus().QueueDepth);
        // The unlinks run on the spool's janitor thread, just after.
        Assert.True(await Wait.UntilAsync(() => Directory.GetFiles(Path.Combine(harness.Agent.Spool.Root, "objects")).Length == 0
            && Directory.GetFiles(Path.Combine(harness.Agent.Spool.Root, "queue", "pacs")).Length == 0), harness.LogText);
    }

    [Theory]
    [InlineData((ushort)0xA700)] // Refused: Out of Resources
    [InlineData((ushort)0xA7FF)]
    [InlineData((ushort)0xFE00)] // Cancel
    public async Task OutOfResources_KeepsTheObjectQueuedAndRetriesWithBackoff(ushort status)
    {
        // Refused twice, then accepted: the object is sent three times, is never failed, and is sent (once) at the end.
        await using var scp = new ScriptedScp((_, attempt) => Reaction.Answer(attempt <= 2 ? status : (ushort)0));
        await using var harness = new AgentHarness([("pacs", scp.Port)]);
        harness.Start();
        TestObjects.Drop(harness.Incoming, "1.2.3.2", "1.2.3");

        Assert.True(await Wait.UntilAsync(() => harness.Destination("pacs").Sent == 1), harness.LogText);
        Assert.Equal(3, scp.Attempts("1.2.3.2"));
        Assert.Equal(0, harness.Destination("pacs").Failed);
        Assert.Contains($"0x{status:X4}", harness.LogText);
        Assert.Contains("retry #2", harness.LogText); // backoff grew between the refusals
        Assert.Equal(0, harness.Agent.GetStatus().QueueDepth);
    }

    [Theory]
    [InlineData((ushort)0xA900)] // Error: Data Set does not match SOP Class
    [InlineData((ushort)0xC000)] // Error: Cannot understand
    [InlineData((ushort)0xC123)]
    [InlineData((ushort)0x0122)] // Refused: SOP Class not supported
    [InlineData((ushort)0x0110)] // Processing failure
    [InlineData((ushort)0x0124)] // Refused: not authorized
    public async Task FailureStatus_MovesTheObjectToTheFailedRecordsWithTheStatus(ushort status)
    {
        await using var scp = new ScriptedScp((sop, attempt) => Reaction.Answer(sop.EndsWith(".1", StringComparison.Ordinal) && attempt == 1 ? status : (ushort)0));
        await using var harness = new AgentHarness([("pacs", scp.Port)]);
        harness.Start();
        TestObjects.Drop(harness.Incoming, "1.2.3.3.1", "1.2.3");
        TestObjects.Drop(harness.Incoming, "1.2.3.3.2", "1.2.3");

        Assert.True(await Wait.UntilAsync(() => harness.Destination("pacs").Failed == 1 && harness.Destination("pacs").Sent == 1), harness.LogText);
        Assert.Equal(1, scp.Attempts("1.2.3.3.1")); // not retried: it would fail the same way
        Assert.Equal(["1.2.3.3.2"], scp.Stored.Distinct());
        var failed = harness.Agent.Spool.ListFailed();
        Assert.Single(failed);
        Assert.Equal("1.2.3.3.1", failed[0].Object.Description.SopInstanceUid);
        Assert.Equal(status, failed[0].Failure.Status);

        // The record on disk carries the status, and the data is kept for the operator.
        string record = File.ReadAllText(Directory.GetFiles(Path.Combine(harness.Agent.Spool.Root, "failed", "pacs")).Single());
        Assert.Contains($"status=0x{status:X4}", record);
        Assert.True(File.Exists(failed[0].Object.DataPath));
        Assert.Contains($"0x{status:X4}", harness.Destination("pacs").LastError);

        // Operator retry: the object is queued again and sent when the destination accepts it.
        Assert.Equal((true, "1 object(s) queued again\n"), harness.Agent.Execute("retry sop 1.2.3.3.1"));
        Assert.True(await Wait.UntilAsync(() => harness.Destination("pacs").Sent == 2), harness.LogText);
        Assert.Equal(0, harness.Destination("pacs").Failed);
        Assert.Equal(2, scp.Attempts("1.2.3.3.1"));
    }

    [Fact]
    public async Task AAbort_KeepsTheObjectQueuedAndTheNextAssociationDeliversIt()
    {
        await using var scp = new ScriptedScp((_, attempt) => attempt == 1 ? Reaction.AbortAssociation : Reaction.Answer(0));
        await using var harness = new AgentHarness([("pacs", scp.Port)]);
        harness.Start();
        TestObjects.Drop(harness.Incoming, "1.2.3.4", "1.2.3");

        Assert.True(await Wait.UntilAsync(() => harness.Destination("pacs").Sent == 1), harness.LogText);
        Assert.Equal(2, scp.Attempts("1.2.3.4"));
        Assert.Contains("Aborted", harness.LogText);
        Assert.Equal(0, harness.Destination("pacs").Failed);
    }

    [Fact]
    public async Task ADestinationThatStopsAnswering_TimesOutAndTheObjectStaysQueued()
    {
        bool answering = false;
        await using var scp = new ScriptedScp((_, _) => answering ? Reaction.Answer(0) : Reaction.NoAnswer);
        await using var harness = new AgentHarness([("pacs", scp.Port)], dimseTimeoutMs: 300);
        harness.Start();
        TestObjects.Drop(harness.Incoming, "1.2.3.5", "1.2.3");

        Assert.True(await Wait.UntilAsync(() => scp.Attempts("1.2.3.5") >= 2), harness.LogText);
        DestinationStatus down = harness.Destination("pacs");
        Assert.Equal(0, down.Sent);
        Assert.Equal(1, down.Queued);
        Assert.Contains("Timeout", down.LastError);

        answering = true;
        Assert.True(await Wait.UntilAsync(() => harness.Destination("pacs").Sent == 1), harness.LogText);
        Assert.Equal(0, harness.Agent.GetStatus().QueueDepth);
    }

    [Fact]
    public async Task NothingListening_BacksOffThenDeliversWhenThePacsComesUp()
    {
        // A port nobody listens on: connection refused. The agent backs off; the objects wait.
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var harness = new AgentHarness([("pacs", port)]);
        harness.Start();
        TestObjects.Drop(harness.Incoming, "1.2.3.6", "1.2.3");
        Assert.True(await Wait.UntilAsync(() => harness.Destination("pacs").ConsecutiveFailures >= 3), harness.LogText);
        Assert.Contains("ConnectFailed", harness.Destination("pacs").LastError);
        Assert.Equal(1, harness.Agent.GetStatus().QueueDepth);
    }

    [Fact]
    public async Task ADeadDestination_DoesNotDelayAnother()
    {
        await using var good = new ScriptedScp((_, _) => Reaction.Answer(0));
        await using var silent = new ScriptedScp((_, _) => Reaction.NoAnswer);
        await using var harness = new AgentHarness([("dead", silent.Port), ("good", good.Port)], dimseTimeoutMs: 5000);
        harness.Start();
        for (int i = 1; i <= 10; i++)
        {
            TestObjects.Drop(harness.Incoming, $"1.2.3.7.{i}", "1.2.3");
        }

        // All ten reach "good" while "dead" is still waiting for its first answer (5 s DIMSE timeout).
        Assert.True(await Wait.UntilAsync(() => good.Stored.Count == 10), harness.LogText);
        Assert.Equal(0, harness.Destination("dead").Sent);
        Assert.Equal(10, harness.Destination("dead").Queued);
        Assert.Equal(10, harness.Agent.GetStatus().QueueDepth); // still owed to "dead"
    }
}
