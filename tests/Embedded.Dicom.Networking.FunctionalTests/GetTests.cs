using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.Networking.Services;

namespace Embedded.Dicom.Networking.FunctionalTests;

/// <summary>
/// C-GET (PS3.4 C.4.3) over in-memory associations: <see cref="RetrieveScu.GetAsync"/> against the service
/// provider serving a <see cref="StoredObjectIndex"/>; the C-STOREs come back on the same association, only on
/// contexts where the requestor was granted the SCP role (PS3.7 D.3.3.4).
/// </summary>
public sealed class GetTests : IDisposable
{
    private readonly string _folder = Harness.TempDirectory();

    public GetTests()
    {
        foreach (string instance in new[] { "1.2.3.1.1.1", "1.2.3.1.1.2", "1.2.3.1.1.3" })
        {
            QueryHarness.WriteImage(_folder, "DOE^JOHN", "PA", "1.2.3.1", "20240105", "ACC1", "1.2.3.1.1", "CT", instance);
        }

        QueryHarness.WriteImage(_folder, "DOE^JOHN", "PA", "1.2.3.1", "20240105", "ACC1", "1.2.3.1.2", "CT", "1.2.3.1.2.1");
        QueryHarness.WriteImage(_folder, "ROE^RICHARD", "PB", "1.2.3.2", "20240301", "ACC2", "1.2.3.2.1", "US", "1.2.3.2.1.1");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static QueryIdentifier Study(string uid) => new QueryIdentifier(QueryLevel.Study).Set(QueryHarness.StudyInstanceUid, uid);

    private async Task<DicomAssociation> ConnectAsync(bool askScpRole = true, ManualResetEventSlim? openOnCancel = null)
    {
        IRetrieveHandler handler = StoredObjectIndex.Build(_folder);
        var retrieve = new RetrieveServiceOptions { Handler = openOnCancel is null ? handler : new OpenGateOnCancel(handler, openOnCancel) };
        var (client, server) = DuplexPipe.CreatePair();
        DicomUid[] accepted = [RetrieveInformationModel.PatientRootGet, RetrieveInformationModel.StudyRootGet];
        AcceptorPolicy policy = QueryHarness.Policy(accepted);
        _ = Task.Run(async () =>
        {
            DicomAssociation? acceptor = await DicomAssociation.AcceptAsync(server, null, policy, Harness.ShortTimeouts);
            if (acceptor is not null)
            {
                await new DicomServiceProvider(acceptor, null, null, retrieve).RunAsync();
            }
        });
        AAssociateRequest request = QueryHarness.Request(accepted);
        if (askScpRole)
        {
            RetrieveScu.ProposeStorageAsScp(request, Harness.SecondaryCapture);
        }
        else
        {
            request.PresentationContexts.Add(new PresentationContextRequest(5, Harness.SecondaryCapture, QueryScu.TransferSyntaxes));
        }

        return await Harness.WithTimeout(DicomAssociation.RequestAsync(client, null, request, Harness.ShortTimeouts));
    }

    [Fact]
    public async Task GetStudy_StoresEveryInstanceOnTheSameAssociation_WithCounters()
    {
        DicomAssociation association = await ConnectAsync();
        var storage = new Receiver();
        var progress = new List<SubOperationCounts>();

        RetrieveResult result = await Harness.WithTimeout(RetrieveScu.GetAsync(association, RetrieveInformationModel.StudyRootGet, Study("1.2.3.1"), 1, storage,
            (in SubOperationCounts counts) =>
            {
                progress.Add(counts);
                return true;
            }));
        await association.ReleaseAsync();

        Assert.Equal(DicomStatus.Success, result.Status);
        Assert.Equal(new SubOperationCounts(null, 4, 0, 0), result.Counts);
        Assert.Equal(4, result.ReceivedCount);
        Assert.Equal([3, 2, 1], progress.ConvertAll(p => (int)p.Remaining!.Value));
        Assert.Equal(["1.2.3.1.1.1", "1.2.3.1.1.2", "1.2.3.1.1.3", "1.2.3.1.2.1"], storage.Sorted());
    }

    [Fact]
    public async Task GetWithoutScpRole_SendsNothing_A702WithEveryInstanceFailed()
    {
        DicomAssociation association = await ConnectAsync(askScpRole: false);
        var storage = new Receiver();

        RetrieveResult result = await Harness.WithTimeout(RetrieveScu.GetAsync(association, RetrieveInformationModel.StudyRootGet, Study("1.2.3.1"), 1, storage));
        await association.ReleaseAsync();

        Assert.Equal(0xA702, result.Status.Code);
        Assert.Equal(new SubOperationCounts(null, 0, 4, 0), result.Counts);
        Assert.Equal(0, result.ReceivedCount);
    }

    [Fact]
    public async Task StoresRefusedBySomeInstances_B000()
    {
        DicomAssociation association = await ConnectAsync();
        var storage = new Receiver { Refuse = uid => uid.EndsWith(".2", StringComparison.Ordinal) };

        RetrieveResult result = await Harness.WithTimeout(RetrieveScu.GetAsync(association, RetrieveInformationModel.StudyRootGet, Study("1.2.3.1"), 1, storage));
        await association.ReleaseAsync();

        Assert.Equal(0xB000, result.Status.Code);
        Assert.Equal(new SubOperationCounts(null, 3, 1, 0), result.Counts);
    }

    [Fact]
    public async Task CancelAfterFirstPending_FE00WithRemaining_AndTheAssociationStaysUsable()
    {
        using var gate = new ManualResetEventSlim();
        DicomAssociation association = await ConnectAsync(openOnCancel: gate);
        var storage = new Receiver { Gate = gate };

        RetrieveResult result = await Harness.WithTimeout(RetrieveScu.GetAsync(association, RetrieveInformationModel.StudyRootGet, Study("1.2.3.1"), 9, storage,
            (in SubOperationCounts counts) =>
            {
                return false;
            }));

        Assert.Equal(DicomStatus.Cancel, result.Status);
        Assert.True(result.CancelRequested);
        Assert.True(result.Counts.Remaining > 0, result.Counts.ToString());
        Assert.Equal(4, result.Counts.Remaining + result.Counts.Completed + result.Counts.Failed);

        // The next operation on the association is answered normally.
        RetrieveResult again = await Harness.WithTimeout(RetrieveScu.GetAsync(association, RetrieveInformationModel.StudyRootGet, Study("1.2.3.2"), 10, storage));
        await association.ReleaseAsync();
        Assert.Equal(DicomStatus.Success, again.Status);
        Assert.Equal(1, again.ReceivedCount);
    }

    /// <summary>The SCU's storage: records the instances, may refuse some, may hold every store after the first.</summary>
    private sealed class Receiver : IStorageHandler
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
