using System;
using System.Net;
using System.Threading.Tasks;
using Embedded.Dicom.Device;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;
using Xunit.Abstractions;

namespace Embedded.Dicom.Agent.Tests;

/// <summary>
/// Bytes allocated per object delivered from the spool in steady state, process-wide
/// (GC.GetTotalAllocatedBytes(precise: true): delivery hops threads). The agent is not a zero-allocation path
/// — each object has its record, file handle and result — but its cost per object is bounded and reported.
/// </summary>
[Collection(nameof(DeliveryAllocationTests))] // alone: the counter is process-wide, other tests' allocations would count
public class DeliveryAllocationTests(ITestOutputHelper output)
{
    private const string Board = """
        { "name": "alloc-test", "rid": "linux-x64", "gpio": { "driver": "sim" },
          "inputs": [ { "name": "exposure-active", "line": 17 } ] }
        """;

    [Fact]
    public async Task DeliveryFromTheSpool_AllocatesABoundedAmountPerObject()
    {
        var discard = new DiscardStorageHandler();
        await using var server = new DicomServer(new DicomServerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
            Storage = discard,
            Policy = new AcceptorPolicy { AeTitle = AeTitle.Parse("PACS"), IsAbstractSyntaxSupported = static (in DicomUid uid) => StorageSopClasses.Contains(uid.Span) },
        });
        server.Start();
        using DeviceBoard board = DeviceBoard.Open(BoardProfile.Parse(Board, "alloc-test"));
        var drained = new TaskCompletionSource();
        await using var harness = new AgentHarness([("pacs", server.LocalEndPoint.Port)], ["hold-while: exposure-active"], board.Inputs,
            onLog: line =>
            {
                if (line.Contains("queue drained", StringComparison.Ordinal))
                {
                    drained.TrySetResult();
                }
            });
        harness.Start();

        double perObject = 0;
        foreach (int count in (int[])[200, 1000, 1000]) // the first round warms up (JIT, pools, association)
        {
            Assert.True(board.TrySimulateInput("exposure-active", true, out string? error), error);
            Assert.True(await Wait.UntilAsync(() => harness.Agent.GetStatus().Held), harness.LogText);
            long before = harness.Agent.GetStatus().Received;
            string study = $"1.2.7.{count}.{Environment.TickCount64}";
            for (int i = 0; i < count; i++)
            {
                TestObjects.Drop(harness.Incoming, $"{study}.{i}", study, pixelBytes: 1600);
            }

            Assert.True(await Wait.UntilAsync(() => harness.Agent.GetStatus().Received == before + count, 60), harness.LogText);
            drained = new TaskCompletionSource();
            long start = GC.GetTotalAllocatedBytes(precise: true);
            Assert.True(board.TrySimulateInput("exposure-active", false, out error), error);
            await drained.Task.WaitAsync(TimeSpan.FromSeconds(60));
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - start;
            perObject = (double)allocated / count;
            output.WriteLine($"{count} objects delivered: {allocated:N0} bytes allocated, {perObject:N0} per object");
        }

        // Measured 2.2-2.9 KB per object (record path strings, the file handle and data-set source, the
        // StoreResult, status strings); a regression that buffered an object would cost its size (~2 KB here)
        // many times over, and 32 KB leaves room for runtime background work in the window.
        Assert.InRange(perObject, 1, 32 * 1024);
    }
}

[CollectionDefinition(nameof(DeliveryAllocationTests), DisableParallelization = true)]
public sealed class DeliveryAllocationCollection;
