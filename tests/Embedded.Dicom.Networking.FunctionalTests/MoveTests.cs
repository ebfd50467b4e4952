using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.Networking.Services;

namespace Embedded.Dicom.Networking.FunctionalTests;

/// <summary>
/// C-MOVE (PS3.4 C.4.2) over in-memory associations: <see cref="RetrieveScu"/> against the service provider
/// serving a <see cref="StoredObjectIndex"/>, whose C-STORE sub-operations go to an in-memory storage SCP.
/// </summary>
public sealed class MoveTests : IDisposable
{
    private static readonly AeTitle Destination = AeTitle.Parse("DEST");
    private readonly string _folder = Harness.TempDirectory();

    public MoveTests()
    {
        // Study 1.2.3.1: series 1.2.3.1.1 (three images) and 1.2.3.1.2 (two); study 1.2.3.2: one image.
        foreach (string instance in new[] { "1.2.3.1.1.1", "1.2.3.1.1.2", "1.2.3.1.1.3" })
        {
            QueryHarness.WriteImage(_folder, "DOE^JOHN", "PA", "1.2.3.1", "20240105", "ACC1", "1.2.3.1.1", "CT", instance);
        }

        QueryHarness.WriteImage(_folder, "DOE^JOHN", "PA", "1.2.3.1", "20240105", "ACC1", "1.2.3.1.2", "CT", "1.2.3.1.2.1");
        QueryHarness.WriteImage(_folder, "DOE^JOHN", "PA", "1.2.3.1", "20240105", "ACC1", "1.2.3.1.2", "CT", "1.2.3.1.2.2");
        QueryHarness.WriteImage(_folder, "ROE^RICHARD", "PB", "1.2.3.2", "20240301", "ACC2", "1.2.3.2.1", "US", "1.2.3.2.1.1");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static QueryIdentifier Study(string uid) => new QueryIdentifier(QueryLevel.Study).Set(QueryHarness.StudyInstanceUid, uid);

    /// <summary>The move SCP (index of the folder, destination DEST served by <paramref name="destination"/>) and the requestor's association.</summary>
    private async Task<DicomAssociation> ConnectAsync(RecordingStorage? destination, MoveDestinationConnector? connect = null)
    {
        var retrieve = new RetrieveServiceOptions
        {
            Handler = destination?.Gate is { } gate ? new OpenGateOnCancel(StoredObjectIndex.Build(_folder), gate) : StoredObjectIndex.Build(_folder),
            Destinations = [new MoveDestination(Destination, "in-memory", 104)],
            Connect = connect ?? ((_, contexts, _) => ConnectDestinationAsync(destination!, contexts)),
        };
        var (client, server) = DuplexPipe.CreatePair();
        DicomUid[] accepted = [RetrieveInformationModel.PatientRootMove, RetrieveInformationModel.StudyRootMove];
        AcceptorPolicy policy = QueryHarness.Policy(accepted);
        _ = Task.Run(async () =>
        {
            DicomAssociation? acceptor = await DicomAssociation.AcceptAsync(server, null, policy, Harness.ShortTimeouts);
            if (acceptor is not null)
            {
                await new DicomServiceProvider(acceptor, null, null, retrieve).RunAsync();
            }
        });
        return await Harness.WithTimeout(DicomAssociation.RequestAsync(client, null, QueryHarness.Request(accepted), Harness.ShortTimeouts));
    }

    private static async Task<DicomAssociation> ConnectDestinationAsync(RecordingStorage storage, IReadOnlyList<(DicomUid AbstractSyntax, DicomUid[] TransferSyntaxes)> contexts)
    {
        var (client, server) = DuplexPipe.CreatePair();
        _ = Task.Run(() => Harness.ServeAsync(server, Harness.Policy(), storage));
        var request = new AAssociateRequest { CalledAeTitle = AeTitle.Parse("STORE-SCP"), CallingAeTitle = AeTitle.Parse("QR-SCP") };
        byte id = 1;
        foreach ((DicomUid sopClass, DicomUid[] syntaxes) in contexts)
        {
            request.PresentationContexts.Add(new PresentationContextRequest(id, sopClass, syntaxes));
            id += 2;
        }

        request.UserInformation.MaximumLength = 16_384;
        request.UserInformation.ImplementationClassUid = Implementation.ClassUid;
        return await DicomAssociation.RequestAsync(client, null, request, Harness.ShortTimeouts);
    }

    [Fact]
    public async Task MoveStudy_SendsEveryInstance_WithPendingCountersThenSuccess()
    {
        var destination = new RecordingStorage();
        DicomAssociation association = await ConnectAsync(destination);
        var progress = new List<SubOperationCounts>();

        RetrieveResult result = await Harness.WithTimeout(RetrieveScu.MoveAsync(association, RetrieveInformationModel.StudyRootMove, Study("1.2.3.1"), Destination, 1,
            (in SubOperationCounts counts) =>
            {
                progress.Add(counts);
                return true;
            }));
        await association.ReleaseAsync();

        Assert.Equal(DicomStatus.Success, result.Status);
        Assert.Equal(new SubOperationCounts(null, 5, 0, 0), result.Counts);
        // PS3.4 C.4.2.1.6: a Pending response after each sub-operation but the last, Remaining counting down.
        Assert.Equal([4, 3, 2, 1], progress.ConvertAll(p => (int)p.Remaining!.Value));
        Assert.Equal([1, 2, 3, 4], progress.ConvertAll(p => (int)p.Completed!.Value));
        Assert.Equal(["1.2.3.1.1.1", "1.2.3.1.1.2", "1.2.3.1.1.3", "1.2.3.1.2.1", "1.2.3.1.2.2"], destination.Sorted());
    }

    [Fact]
    public async Task MoveSeries_PatientRoot_SendsOnlyThatSeries()
    {
        var destination = new RecordingStorage();
        DicomAssociation association = await ConnectAsync(destination);
        QueryIdentifier identifier = new QueryIdentifier(QueryLevel.Series).Set(QueryHarness.PatientId, "PA").Set(QueryHarness.StudyInstanceUid, "1.2.3.1")
            .Set(QueryHarness.SeriesInstanceUid, "1.2.3.1.2");

        RetrieveResult result = await Harness.WithTimeout(RetrieveScu.MoveAsync(association, RetrieveInformationModel.PatientRootMove, identifier, Destination, 1));
        await association.ReleaseAsync();

        Assert.Equal(DicomStatus.Success, result.Status);
        Assert.Equal(["1.2.3.1.2.1", "1.2.3.1.2.2"], destination.Sorted());
    }

    [Fact]
    public async Task MoveImages_UidList_SendsTheListedInstances()
    {
        var destination = new RecordingStorage();
        DicomAssociation association = await ConnectAsync(destination);
        QueryIdentifier identifier = new QueryIdentifier(QueryLevel.Image).Set(QueryHarness.StudyInstanceUid, "1.2.3.1").Set(QueryHarness.SeriesInstanceUid, "1.2.3.1.1")
            .Set(QueryHarness.SopInstanceUid, @"1.2.3.1.1.1\1.2.3.1.1.3");

        RetrieveResult result = await Harness.WithTimeout(RetrieveScu.MoveAsync(association, RetrieveInformationModel.StudyRootMove, identifier, Destination, 1));
        await association.ReleaseAsync();

        Assert.Equal(DicomStatus.Success, result.Status);
        Assert.Equal(["1.2.3.1.1.1", "1.2.3.1.1.3"], destination.Sorted());
    }

    [Fact]
    public async Task MoveToUnknownDestination_IsA801_AndNothingIsSent()
    {
        var destination = new RecordingStorage();
        DicomAssociation association = await ConnectAsync(destination);

        RetrieveResult result = await Harness.WithTimeout(RetrieveScu.MoveAsync(association, RetrieveInformationModel.StudyRootMove, Study("1.2.3.1"), AeTitle.Parse("NOBODY"), 1));
        await association.ReleaseAsync();

        Assert.Equal(0xA801, result.Status.Code);
        Assert.Empty(destination.Sorted());
    }

    [Fact]
    public async Task MoveWithoutLevel_IsA900()
    {
        DicomAssociation association = await ConnectAsync(new RecordingStorage());

        RetrieveResult result = await Harness.WithTimeout(RetrieveScu.MoveAsync(association, RetrieveInformationModel.StudyRootMove,
            new QueryIdentifier().Set(QueryHarness.StudyInstanceUid, "1.2.3.1"), Destination, 1));
        await association.ReleaseAsync();

        Assert.Equal(0xA900, result.Status.Code);
    }

    [Fact]
    public async Task MoveMatchingNothing_IsSuccessWithZeroCounters()
    {
        DicomAssociation association = await ConnectAsync(new RecordingStorage());

        RetrieveResult result = await Harness.WithTimeout(RetrieveScu.MoveAsync(association, RetrieveInformationModel.StudyRootMove, Study("9.9.9"), Destination, 1));
        await association.ReleaseAsync();

        Assert.Equal(DicomStatus.Success, result.Status);
        Assert.Equal(new SubOperationCounts(null, 0, 0, 0), result.Counts);
    }

    [Fact]
    public async Task DestinationRefusingSome_IsB000_WithFailedCounted()
    {
        var destination = new RecordingStorage { Refuse = uid => uid.EndsWith(".2", StringComparison.Ordinal) };
        DicomAssociation association = await ConnectAsync(destination);

        RetrieveResult result = await Harness.WithTimeout(RetrieveScu.MoveAsync(association, RetrieveInformationModel.StudyRootMove, Study("1.2.3.1"), Destination, 1));
        await association.ReleaseAsync();

        // PS3.4 Table C.4-2: B000, sub-operations complete, one or more failures.
        Assert.Equal(0xB000, result.Status.Code);
        Assert.Equal(new SubOperationCounts(null, 3, 2, 0), result.Counts);
    }

    [Fact]
    public async Task DestinationRefusingAll_IsA702()
    {
        var destination = new RecordingStorage { Refuse = _ => true };
        DicomAssociation association = await ConnectAsync(destination);

        RetrieveResult result = await Harness.WithTimeout(RetrieveScu.MoveAsync(association, RetrieveInformationModel.StudyRootMove, Study("1.2.3.2"), Destination, 1));
        await association.ReleaseAsync();

        Assert.Equal(0xA702, result.Status.Code);
        Assert.Equal(new SubOperationCounts(null, 0, 1, 0), result.Counts);
    }

    [Fact]
    public async Task DestinationUnreachable_IsA702_WithEveryInstanceFailed()
    {
        DicomAssociation association = await ConnectAsync(null,
            (_, _, _) => Task.FromException<DicomAssociation>(new DicomNetworkException(DicomNetworkFailure.ConnectFailed, "connection refused")));

        RetrieveResult result = await Harness.WithTimeout(RetrieveScu.MoveAsync(association, RetrieveInformationModel.StudyRootMove, Study("1.2.3.1"), Destination, 1));
        await association.ReleaseAsync();

        Assert.Equal(0xA702, result.Status.Code);
        Assert.Equal(new SubOperationCounts(null, 0, 5, 0), result.Counts);
        Assert.Contains("connection refused", result.ErrorComment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelAfterFirstPending_StopsTheSubOperations_FE00WithRemaining()
    {
        // Every store after the first waits until the SCP has taken the C-CANCEL-RQ (the gate opens on its
        // cancellation), so the cancel is seen while sub-operations remain (PS3.7 §9.3.4.3).
        using var gate = new ManualResetEventSlim();
        var destination = new RecordingStorage { Gate = gate };
        DicomAssociation association = await ConnectAsync(destination);
        int pendings = 0;

        Task<RetrieveResult> moving = RetrieveScu.MoveAsync(association, RetrieveInformationModel.StudyRootMove, Study("1.2.3.1"), Destination, 7,
            (in SubOperationCounts counts) =>
            {
                pendings++;
                return false;
            });
        RetrieveResult result = await Harness.WithTimeout(moving);
        await association.ReleaseAsync();

        Assert.Equal(DicomStatus.Cancel, result.Status);
        Assert.True(result.CancelRequested);
        Assert.Equal(1, pendings);
        Assert.True(result.Counts.Remaining > 0, result.Counts.ToString());
        Assert.Equal(5, result.Counts.Remaining + result.Counts.Completed + result.Counts.Failed);
        Assert.Equal((int)result.Counts.Completed!, destination.Sorted().Count);
    }

    [Fact]
    public async Task CancelledToken_SendsCCancel_AndTheMoveEndsWithFE00()
    {
        using var gate = new ManualResetEventSlim();
        var destination = new RecordingStorage { Gate = gate };
        DicomAssociation association = await ConnectAsync(destination);
        using var cancellation = new CancellationTokenSource();

        Task<RetrieveResult> moving = RetrieveScu.MoveAsync(association, RetrieveInformationModel.StudyRootMove, Study("1.2.3.1"), Destination, 1,
            (in SubOperationCounts counts) =>
            {
                cancellation.Cancel();
                return true;
            }, cancellation.Token);
        RetrieveResult result = await Harness.WithTimeout(moving);
        await association.ReleaseAsync();

        Assert.Equal(DicomStatus.Cancel, result.Status);
        Assert.True(result.CancelRequested);
    }

    [Fact]
    public async Task NoMoveContext_Throws()
    {
        var (association, _) = await QueryHarness.ConnectAsync(new ScriptedQueryHandler((_, _, _) => ValueTask.FromResult(QueryCompletion.Success)));

        DicomNetworkException e = await Assert.ThrowsAsync<DicomNetworkException>(() =>
            RetrieveScu.MoveAsync(association, RetrieveInformationModel.StudyRootMove, Study("1.2.3.1"), Destination, 1));
        await association.ReleaseAsync();

        Assert.Equal(DicomNetworkFailure.NoPresentationContext, e.Failure);
    }

    /// <summary>A destination that records the SOP instances it received; it may refuse some, or hold stores after the first.</summary>
    private sealed class RecordingStorage : IStorageHandler
    {
        private readonly ConcurrentQueue<string> _received = new();
        private int _count;

        public Func<string, bool>? Refuse { get; init; }

        public ManualResetEventSlim? Gate { get; init; }

        public IStorageSink Begin(in StorageRequest request)
        {
            string uid = request.SopInstanceUid.ToString();
            if (Interlocked.Increment(ref _count) > 1)
            {
                Gate?.Wait(TimeSpan.FromSeconds(10));
            }

            bool refused = Refuse?.Invoke(uid) ?? false;
            if (!refused)
            {
                _received.Enqueue(uid);
            }

            return new Sink(refused ? (ushort)0xA700 : (ushort)0x0000);
        }

        public List<string> Sorted()
        {
            var all = new List<string>(_received);
            all.Sort(StringComparer.Ordinal);
            return all;
        }

        private sealed class Sink(ushort status) : IStorageSink
        {
            public ushort Status { get; } = status;

            public string? ErrorComment => null;

            public void Write(in System.Buffers.ReadOnlySequence<byte> fragment)
            {
            }

            public void Complete()
            {
            }

            public void Abort()
            {
            }
        }
    }
}
