using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.Networking.Services;

namespace Embedded.Dicom.Networking.FunctionalTests;

/// <summary>
/// MPPS (PS3.4 Annex F.7) and the DIMSE-N SCU/SCP (PS3.7 §10) between <see cref="MppsScu"/>/<see cref="NormalizedScu"/>
/// and a <see cref="DicomServiceProvider"/> with an <see cref="MppsStore"/>, over in-memory pipes.
/// </summary>
public class MppsTests
{
    private static readonly DicomTag PatientName = new(0x00100010);
    private static readonly DicomTag PerformedStationAeTitle = new(0x00400241);
    private static readonly DicomTag PerformedProcedureStepEndDate = new(0x00400250);

    private static async Task<(DicomAssociation Association, Task Server)> ConnectAsync(INormalizedHandler? handler)
    {
        var (client, server) = DuplexPipe.CreatePair();
        var policy = new AcceptorPolicy
        {
            AeTitle = AeTitle.Parse("MPPS-SCP"),
            IsAbstractSyntaxSupported = (in DicomUid uid) => uid.Equals(MppsScu.SopClassUid) || uid.Equals(Harness.SecondaryCapture),
        };
        Task serving = Task.Run(async () =>
        {
            DicomAssociation? acceptor = await DicomAssociation.AcceptAsync(server, null, policy, Harness.ShortTimeouts);
            if (acceptor is not null)
            {
                await new DicomServiceProvider(acceptor, null) { Normalized = handler }.RunAsync();
            }
        });
        var request = new AAssociateRequest { CalledAeTitle = AeTitle.Parse("MPPS-SCP"), CallingAeTitle = AeTitle.Parse("MODALITY") };
        request.PresentationContexts.Add(new PresentationContextRequest(1, MppsScu.SopClassUid, QueryScu.TransferSyntaxes));
        request.PresentationContexts.Add(new PresentationContextRequest(3, Harness.SecondaryCapture, QueryScu.TransferSyntaxes));
        request.UserInformation.MaximumLength = 16_384;
        request.UserInformation.ImplementationClassUid = Implementation.ClassUid;
        DicomAssociation association = await Harness.WithTimeout(DicomAssociation.RequestAsync(client, null, request, Harness.ShortTimeouts));
        return (association, serving);
    }

    private static async Task ReleaseAsync(DicomAssociation association, Task server)
    {
        await Harness.WithTimeout(association.ReleaseAsync());
        await Harness.WithTimeout(server);
    }

    private static Dictionary<uint, string> ReadFile(string path, out Part10FileInfo info)
    {
        byte[] bytes = File.ReadAllBytes(path);
        using (var stream = new MemoryStream(bytes))
        {
            Assert.True(Part10.TryReadFileMetaInformation(stream, out Part10FileInfo? meta, out string? error), error);
            info = meta;
        }

        var values = new Dictionary<uint, string>();
        TransferSyntax syntax = info.TransferSyntaxUid.Equals(TransferSyntax.ImplicitVRLittleEndian.Uid) ? TransferSyntax.ImplicitVRLittleEndian : TransferSyntax.ExplicitVRLittleEndian;
        var reader = new DataSetReader(new ReadOnlySequence<byte>(bytes, (int)info.DataSetOffset, bytes.Length - (int)info.DataSetOffset), true, new DataSetReaderState(syntax));
        while (reader.Read())
        {
            if (reader.TokenType == DataSetTokenType.Element && reader.CurrentDepth == 0)
            {
                values[reader.Tag.Value] = reader.GetString();
            }
        }

        Assert.Null(reader.Error);
        return values;
    }

    [Fact]
    public async Task CreateThenSetCompleted_FileHoldsMergedAttributes_AndAFurtherSetIsRefused0110()
    {
        string directory = Harness.TempDirectory();
        var store = new MppsStore(directory);
        var (association, server) = await ConnectAsync(store);
        DicomUid uid = DicomUid.Parse("1.2.826.0.1.3680043.2.1125.1.1");

        NormalizedResult created = await Harness.WithTimeout(MppsScu.CreateAsync(association, uid,
            new QueryIdentifier().Set(PatientName, "DOE^JOHN").Set(PerformedStationAeTitle, "MODALITY"), messageId: 1));
        Assert.Equal(0x0000, created.Status.Code);
        Dictionary<uint, string> inProgress = ReadFile(store.GetPath(uid.ToString()), out _);
        Assert.Equal("IN PROGRESS", inProgress[MppsScu.PerformedProcedureStepStatus.Value]);

        NormalizedResult completed = await Harness.WithTimeout(MppsScu.SetAsync(association, uid, "COMPLETED",
            new QueryIdentifier().Set(PerformedProcedureStepEndDate, "20261126"), messageId: 2));
        Assert.Equal(0x0000, completed.Status.Code);

        NormalizedResult again = await Harness.WithTimeout(MppsScu.SetAsync(association, uid, "DISCONTINUED", null, messageId: 3));
        Assert.Equal(0x0110, again.Status.Code);
        Assert.Contains("may no longer be updated", again.ErrorComment, StringComparison.Ordinal);
        await ReleaseAsync(association, server);

        Dictionary<uint, string> values = ReadFile(store.GetPath(uid.ToString()), out Part10FileInfo info);
        Assert.Equal(MppsScu.SopClassUid, info.MediaStorageSopClassUid);
        Assert.Equal(uid, info.MediaStorageSopInstanceUid);
        Assert.Equal("COMPLETED", values[MppsScu.PerformedProcedureStepStatus.Value]);
        Assert.Equal("DOE^JOHN", values[PatientName.Value]);
        Assert.Equal("MODALITY", values[PerformedStationAeTitle.Value]);
        Assert.Equal("20261126", values[PerformedProcedureStepEndDate.Value]);
        Assert.Empty(Directory.GetFiles(directory, "*.tmp"));
        Assert.Single(Directory.GetFiles(directory));
    }

    [Fact]
    public async Task RestartedStore_LoadsTheFolder_AndStillRefusesUpdatesOfAFinishedStep()
    {
        string directory = Harness.TempDirectory();
        DicomUid finished = DicomUid.Parse("1.2.826.0.1.3680043.2.1125.1.7");
        DicomUid running = DicomUid.Parse("1.2.826.0.1.3680043.2.1125.1.8");
        var (association, server) = await ConnectAsync(new MppsStore(directory));
        Assert.Equal(0x0000, (await Harness.WithTimeout(MppsScu.CreateAsync(association, finished, null, 1))).Status.Code);
        Assert.Equal(0x0000, (await Harness.WithTimeout(MppsScu.SetAsync(association, finished, "DISCONTINUED", null, 2))).Status.Code);
        Assert.Equal(0x0000, (await Harness.WithTimeout(MppsScu.CreateAsync(association, running, null, 3))).Status.Code);
        await ReleaseAsync(association, server);

        var restarted = new MppsStore(directory);
        Assert.Equal(2, restarted.Count);
        (association, server) = await ConnectAsync(restarted);
        Assert.Equal(0x0110, (await Harness.WithTimeout(MppsScu.SetAsync(association, finished, "COMPLETED", null, 1))).Status.Code);
        Assert.Equal(0x0111, (await Harness.WithTimeout(MppsScu.CreateAsync(association, running, null, 2))).Status.Code);
        Assert.Equal(0x0000, (await Harness.WithTimeout(MppsScu.SetAsync(association, running, "COMPLETED", null, 3))).Status.Code);
        await ReleaseAsync(association, server);
        Assert.Equal("COMPLETED", ReadFile(restarted.GetPath(running.ToString()), out _)[MppsScu.PerformedProcedureStepStatus.Value]);
    }

    [Fact]
    public async Task DuplicateCreate_IsRefused0111_AndUnknownInstanceSet0112()
    {
        var store = new MppsStore(Harness.TempDirectory());
        var (association, server) = await ConnectAsync(store);
        DicomUid uid = DicomUid.Parse("1.2.826.0.1.3680043.2.1125.1.2");

        Assert.Equal(0x0000, (await Harness.WithTimeout(MppsScu.CreateAsync(association, uid, null, 1))).Status.Code);
        NormalizedResult duplicate = await Harness.WithTimeout(MppsScu.CreateAsync(association, uid, null, 2));
        Assert.Equal(0x0111, duplicate.Status.Code);

        NormalizedResult unknown = await Harness.WithTimeout(MppsScu.SetAsync(association, DicomUid.Parse("1.2.3.4.999"), "COMPLETED", null, 3));
        Assert.Equal(0x0112, unknown.Status.Code);
        Assert.Equal(DicomUid.Parse("1.2.3.4.999"), unknown.SopInstanceUid);
        await ReleaseAsync(association, server);
    }

    [Fact]
    public async Task CreateWithStatusOtherThanInProgress_IsRefused()
    {
        var store = new MppsStore(Harness.TempDirectory());
        var (association, server) = await ConnectAsync(store);
        DicomUid uid = DicomUid.Parse("1.2.826.0.1.3680043.2.1125.1.3");
        var attributes = new QueryIdentifier().Set(MppsScu.PerformedProcedureStepStatus, ValueRepresentation.CS, "COMPLETED");

        // MppsScu always sends IN PROGRESS; the raw N-CREATE lets the test send COMPLETED (PS3.4 F.7.2.1 forbids it).
        NormalizedResult result = await Harness.WithTimeout(NormalizedScu.CreateAsync(association, MppsScu.SopClassUid, uid, 1,
            (output, syntax) => attributes.WriteTo(output, syntax)));
        Assert.Equal(0x0106, result.Status.Code);
        Assert.False(File.Exists(store.GetPath(uid.ToString())));
        await ReleaseAsync(association, server);
    }

    [Fact]
    public async Task UnsupportedSopClass_IsRefused0122_AndMppsOperationsOtherThanCreateSet0211()
    {
        var store = new MppsStore(Harness.TempDirectory());
        var (association, server) = await ConnectAsync(store);
        DicomUid uid = DicomUid.Parse("1.2.826.0.1.3680043.2.1125.1.4");

        NormalizedResult wrongClass = await Harness.WithTimeout(NormalizedScu.CreateAsync(association, Harness.SecondaryCapture, uid, 1, null));
        Assert.Equal(0x0122, wrongClass.Status.Code);

        NormalizedResult get = await Harness.WithTimeout(NormalizedScu.GetAsync(association, MppsScu.SopClassUid, uid, 2, [PatientName.Value]));
        Assert.Equal(0x0211, get.Status.Code);
        NormalizedResult delete = await Harness.WithTimeout(NormalizedScu.DeleteAsync(association, MppsScu.SopClassUid, uid, 3));
        Assert.Equal(0x0211, delete.Status.Code);
        await ReleaseAsync(association, server);
    }

    [Fact]
    public async Task WithoutHandler_EveryNRequestIsAnswered0211()
    {
        var (association, server) = await ConnectAsync(null);
        DicomUid uid = DicomUid.Parse("1.2.826.0.1.3680043.2.1125.1.5");

        Assert.Equal(0x0211, (await Harness.WithTimeout(MppsScu.CreateAsync(association, uid, null, 1))).Status.Code);
        Assert.Equal(0x0211, (await Harness.WithTimeout(NormalizedScu.ActionAsync(association, MppsScu.SopClassUid, uid, 1, 2, null))).Status.Code);
        Assert.Equal(0x0211, (await Harness.WithTimeout(NormalizedScu.EventReportAsync(association, MppsScu.SopClassUid, uid, 1, 3, null))).Status.Code);
        await ReleaseAsync(association, server);
    }

    [Fact]
    public async Task GenericHandler_SeesEachOperation_AndItsReplyDataSetReachesTheScu()
    {
        var handler = new EchoHandler();
        var (association, server) = await ConnectAsync(handler);
        DicomUid uid = DicomUid.Parse("1.2.826.0.1.3680043.2.1125.1.6");

        NormalizedResult get = await Harness.WithTimeout(NormalizedScu.GetAsync(association, MppsScu.SopClassUid, uid, 1, [PatientName.Value]));
        Assert.Equal(0x0000, get.Status.Code);
        Assert.NotNull(get.DataSet);
        DataSetReader reader = get.CreateReader();
        Assert.True(reader.Read());
        Assert.Equal(PatientName, reader.Tag);
        Assert.Equal("GET^1", reader.GetString());

        NormalizedResult action = await Harness.WithTimeout(NormalizedScu.ActionAsync(association, MppsScu.SopClassUid, uid, 7, 2,
            (output, syntax) => new DataSetWriter(output, syntax).WriteString(PatientName, "X")));
        Assert.Equal(0x0123, action.Status.Code);
        Assert.Equal("no such action 7", action.ErrorComment);
        await ReleaseAsync(association, server);

        Assert.Equal([NormalizedOperation.Get, NormalizedOperation.Action], handler.Seen);
        Assert.Equal(1, handler.AttributeCount);
        Assert.True(handler.ActionHadDataSet);
    }

    private sealed class EchoHandler : INormalizedHandler
    {
        public List<NormalizedOperation> Seen { get; } = [];

        public int AttributeCount { get; private set; }

        public bool ActionHadDataSet { get; private set; }

        public bool IsSupported(in DicomUid sopClassUid) => true;

        public NormalizedReply Handle(in NormalizedRequest request)
        {
            Seen.Add(request.Operation);
            switch (request.Operation)
            {
                case NormalizedOperation.Get:
                    AttributeCount = request.AttributeIdentifiers?.Count ?? 0;
                    return new NormalizedReply(0x0000) { DataSet = writer => writer.WriteString(PatientName, "GET^1") };
                case NormalizedOperation.Action:
                    ActionHadDataSet = request.HasDataSet && request.DataSet.Length > 0;
                    return new NormalizedReply(0x0123, $"no such action {request.TypeId}");
                default:
                    return new NormalizedReply(0x0211);
            }
        }
    }
}
