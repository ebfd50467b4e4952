using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Networking;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Agent.Tests;

/// <summary>
/// The "keep until committed" policy against a real Storage SCP and Storage Commitment SCP (our DicomServer with
/// StorageCommitmentProvider, over TCP on loopback): an object leaves the spool only when a report says the PACS
/// committed it, whatever the C-STORE answered; what the PACS does not commit is sent again or set aside.
/// </summary>
public class CommitmentPolicyTests
{
    [Fact]
    public async Task PartialCommitment_KeepsTheUncommittedObjects_SendsThemAgain_AndEmptiesTheSpoolOnlyWhenAllAreCommitted()
    {
        // The PACS "loses" three of ten objects the first time it is asked about them (0x0112), commits the rest.
        var lost = new HashSet<string> { "1.2.5.1.3", "1.2.5.1.6", "1.2.5.1.9" };
        await using var pacs = new CommitmentPacs(reference => lost.Remove(reference.SopInstanceUid.ToString()) ? (ushort)0x0112 : (ushort)0);
        await using var harness = new AgentHarness([("pacs", pacs.Port)], destinationExtra: "\"storageCommitment\": { \"batch\": 100, \"waitMs\": 5000, \"maxFailures\": 3 }");
        harness.Start();
        for (int i = 1; i <= 10; i++)
        {
            TestObjects.Drop(harness.Incoming, $"1.2.5.1.{i}", "1.2.5");
        }

        string root = harness.Agent.Spool.Root;
        Assert.True(await Wait.UntilAsync(() => harness.Destination("pacs").Sent == 13 && Directory.GetFiles(Path.Combine(root, "objects")).Length == 0
            && Directory.GetFiles(Path.Combine(root, "stored", "pacs")).Length == 0 && Directory.GetFiles(Path.Combine(root, "commitments", "pacs")).Length == 0,
            seconds: 30), harness.LogText);

        // The three reported failed were kept and sent a second time; the seven committed ones only once.
        foreach (string uid in new[] { "1.2.5.1.3", "1.2.5.1.6", "1.2.5.1.9" })
        {
            Assert.Equal(2, pacs.StoreCount(uid));
        }

        Assert.Equal(7, Enumerable.Range(1, 10).Count(i => pacs.StoreCount($"1.2.5.1.{i}") == 1));
        Assert.Empty(lost);
        Assert.Contains("7 committed, 3 failed and queued again", harness.LogText);
        Assert.Contains("not committed: 1.2.5.1.6 0x0112 No such object instance", harness.LogText);
        Assert.Equal(0, harness.Destination("pacs").Failed);
        Assert.Equal(0, harness.Destination("pacs").AwaitingCommitment);
    }

    [Fact]
    public async Task WithoutAReport_StoredObjectsStayInTheSpool_AndAreAskedAboutAgainAfterTheTimeout()
    {
        // Stores succeed, but the PACS's reports never arrive (it reports on a new association to an AE it does not know).
        await using var pacs = new CommitmentPacs(_ => 0, CommitmentReportMode.NewAssociation);
        await using var harness = new AgentHarness([("pacs", pacs.Port)], destinationExtra: "\"storageCommitment\": { \"waitMs\": 300, \"timeoutMs\": 1500 }");
        harness.Start();
        for (int i = 1; i <= 5; i++)
        {
            TestObjects.Drop(harness.Incoming, $"1.2.6.1.{i}", "1.2.6");
        }

        Assert.True(await Wait.UntilAsync(() => pacs.Requests >= 2), harness.LogText);
        DestinationStatus status = harness.Destination("pacs");
        Assert.Equal(5, status.Sent);
        Assert.Equal(5, status.AwaitingCommitment);
        Assert.Equal(0, status.Queued);
        Assert.Equal(5, Directory.GetFiles(Path.Combine(harness.Agent.Spool.Root, "objects")).Length);
        Assert.Equal(5, pacs.LastRequestSize);
        Assert.Contains("without a report after 1.5 s; asking again", harness.LogText);

        // A stopped agent's status (read from the spool) shows them too.
        await harness.Agent.DisposeAsync();
        AgentStatus offline = StoreForwardAgent.ReadOffline(harness.Config);
        Assert.Equal(5, offline.Destinations.Single(d => d.Name == "pacs").AwaitingCommitment);
    }

    [Fact]
    public async Task ReportsOnANewAssociation_ReachTheCommitmentListener_AndAnObjectFailedTooOftenIsSetAsideWithTheReason()
    {
        int listenPort = FreePort();
        await using var pacs = new CommitmentPacs(reference => reference.SopInstanceUid.ToString() == "1.2.7.1.2" ? (ushort)0x0119 : (ushort)0,
            CommitmentReportMode.NewAssociation, new MoveDestination(AeTitle.Parse("AGENT"), "127.0.0.1", listenPort));
        await using var harness = new AgentHarness([("pacs", pacs.Port)], topExtra: $"\"commitmentListen\": \"127.0.0.1:{listenPort}\"",
            destinationExtra: "\"storageCommitment\": { \"waitMs\": 0, \"maxFailures\": 1 }");
        harness.Start();
        for (int i = 1; i <= 4; i++)
        {
            TestObjects.Drop(harness.Incoming, $"1.2.7.1.{i}", "1.2.7");
        }

        Assert.True(await Wait.UntilAsync(() => harness.Destination("pacs").Failed == 1 && harness.Destination("pacs").AwaitingCommitment == 0
            && Directory.GetFiles(Path.Combine(harness.Agent.Spool.Root, "objects")).Length == 1
            && harness.LogText.Contains("(reported by PACS)", StringComparison.Ordinal)), harness.LogText);
        var failed = harness.Agent.Spool.ListFailed().Single();
        Assert.Equal("1.2.7.1.2", failed.Object.Description.SopInstanceUid);
        Assert.Equal((ushort)0x0119, failed.Failure.Status);
        Assert.Contains("storage commitment failed", failed.Failure.Reason);
        Assert.True(pacs.ReverseAssociations >= 1);
        Assert.Equal(1, pacs.StoreCount("1.2.7.1.2")); // maxFailures 1: not sent again
    }

    [Fact]
    public async Task AReportArrivingAfterARestart_FindsItsRequestInTheSpool()
    {
        int listenPort = FreePort();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pacs = new CommitmentPacs(_ => 0, CommitmentReportMode.NewAssociation, new MoveDestination(AeTitle.Parse("AGENT"), "127.0.0.1", listenPort),
            beforeReport: release.Task);
        await using var harness = new AgentHarness([("pacs", pacs.Port)], topExtra: $"\"commitmentListen\": \"127.0.0.1:{listenPort}\"",
            destinationExtra: "\"storageCommitment\": { \"waitMs\": 0 }");
        harness.Start();
        for (int i = 1; i <= 3; i++)
        {
            TestObjects.Drop(harness.Incoming, $"1.2.8.1.{i}", "1.2.8");
        }

        Assert.True(await Wait.UntilAsync(() => pacs.Requests == 1 && harness.Destination("pacs").CommitmentRequests == 1), harness.LogText);
        await harness.RestartAsync();
        Assert.Equal(3, harness.Destination("pacs").AwaitingCommitment);
        Assert.Equal(1, harness.Destination("pacs").CommitmentRequests);

        release.SetResult(); // the PACS now reports, to the restarted agent
        Assert.True(await Wait.UntilAsync(() => harness.LogText.Contains("3 committed", StringComparison.Ordinal)
            && Directory.GetFiles(Path.Combine(harness.Agent.Spool.Root, "objects")).Length == 0 && harness.Destination("pacs").AwaitingCommitment == 0), harness.LogText);
        Assert.Equal(1, pacs.Requests); // answered by the report of the request made before the restart
        Assert.Contains("3 committed, 0 failed and queued again", harness.LogText);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A Storage SCP and Storage Commitment SCP on loopback that files what it receives and commits by <c>check</c>.</summary>
    private sealed class CommitmentPacs : IAsyncDisposable
    {
        private readonly DicomServer _server;
        private readonly StorageCommitmentProvider _provider;
        private readonly ConcurrentDictionary<string, int> _stores = new();
        private readonly string _folder = TestObjects.TempDirectory();
        private int _requests;
        private int _lastRequestSize;
        private int _reverse;

        public CommitmentPacs(Func<SopReference, ushort> check, CommitmentReportMode mode = CommitmentReportMode.SameAssociationFirst, MoveDestination? requestor = null,
            Task? beforeReport = null)
        {
            Func<SopReference, ushort> onDisk = StorageCommitmentProvider.ForFolder(_folder);
            _provider = new StorageCommitmentProvider(reference =>
            {
                ushort reason = check(reference);
                return reason != 0 ? reason : onDisk(reference); // committed only when it really is on disk
            })
            {
                Mode = mode,
                AeTitle = AeTitle.Parse("PACS"),
                Requestors = requestor is null ? [] : [requestor],
                ReportAttempts = 3,
                RetryDelay = TimeSpan.FromMilliseconds(100),
                Connect = async (destination, request, ct) =>
                {
                    if (beforeReport is not null)
                    {
                        await beforeReport.WaitAsync(ct);
                    }

                    Interlocked.Increment(ref _reverse);
                    return await DicomClient.ConnectAsync(new DicomClientOptions
                    {
                        Host = destination.Host, Port = destination.Port, CallingAeTitle = AeTitle.Parse("PACS"), CalledAeTitle = destination.AeTitle,
                    }, request, ct);
                },
            };
            var counting = new CountingHandler(_provider, this);
            _server = new DicomServer(new DicomServerOptions
            {
                Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
                Storage = new FileStorageHandler(_folder) { Stored = path => _stores.AddOrUpdate(Path.GetFileNameWithoutExtension(path), 1, (_, n) => n + 1) },
                Normalized = counting,
                Policy = new AcceptorPolicy
                {
                    AeTitle = AeTitle.Parse("PACS"),
                    IsAbstractSyntaxSupported = (in DicomUid uid) => uid.Equals(StorageCommitment.SopClassUid) || uid.Equals(DicomUid.Parse(TestObjects.SecondaryCapture)),
                },
            });
            _server.Start();
        }

        public int Port => _server.LocalEndPoint.Port;

        public int Requests => Volatile.Read(ref _requests);

        public int LastRequestSize => Volatile.Read(ref _lastRequestSize);

        public int ReverseAssociations => Volatile.Read(ref _reverse);

        public int StoreCount(string sopInstanceUid) => _stores.TryGetValue(Path.GetFileNameWithoutExtension(FileStorageHandler.GetFileName(DicomUid.Parse(sopInstanceUid))), out int n) ? n : 0;

        public async ValueTask DisposeAsync()
        {
            await _server.DisposeAsync();
            await _provider.DisposeAsync();
            Directory.Delete(_folder, recursive: true);
        }

        private sealed class CountingHandler(StorageCommitmentProvider provider, CommitmentPacs owner) : INormalizedHandler
        {
            public bool IsSupported(in DicomUid sopClassUid) => provider.IsSupported(sopClassUid);

            public NormalizedReply Handle(in NormalizedRequest request)
            {
                NormalizedReply reply = provider.Handle(request);
                if (request.Operation == NormalizedOperation.Action && reply.Status == 0)
                {
                    var references = new List<SopReference>();
                    StorageCommitment.TryReadActionInformation(request.DataSet, request.TransferSyntax, out _, references, out _);
                    Volatile.Write(ref owner._lastRequestSize, references.Count);
                    Interlocked.Increment(ref owner._requests);
                }

                return reply;
            }
        }
    }
}
