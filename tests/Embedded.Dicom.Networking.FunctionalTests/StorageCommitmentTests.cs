using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Networking.FunctionalTests;

/// <summary>
/// Storage Commitment Push Model (PS3.4 J.3): the Action / Event Information codec, and
/// <see cref="StorageCommitmentScu"/> against a <see cref="StorageCommitmentProvider"/> over loopback TCP
/// (<see cref="DicomServer"/> / <see cref="DicomClient"/>), with the report on the requesting association or on
/// a new association to a <see cref="StorageCommitmentReportReceiver"/>.
/// </summary>
public class StorageCommitmentTests
{
    private static readonly DicomUid Ct = DicomUid.Parse("1.2.840.10008.5.1.4.1.1.2");
    private static readonly DicomUid Mr = DicomUid.Parse("1.2.840.10008.5.1.4.1.1.4");
    private static readonly AeTitle Modality = AeTitle.Parse("MODALITY");
    private static readonly AeTitle Archive = AeTitle.Parse("ARCHIVE");
    private static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(15);

    private static readonly AssociationTimeouts Timeouts = new()
    {
        Connect = TimeSpan.FromSeconds(5), Acse = TimeSpan.FromSeconds(5), Dimse = TimeSpan.FromSeconds(5), Idle = TimeSpan.FromSeconds(10), Artim = TimeSpan.FromSeconds(2),
    };

    private static SopReference Ref(string instance, DicomUid? sopClass = null) => new(sopClass ?? Harness.SecondaryCapture, DicomUid.Parse(instance));

    private static byte[] Encode(TransferSyntax syntax, Action<DataSetWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new DataSetWriter(buffer, syntax));
        return buffer.WrittenSpan.ToArray();
    }

    private static List<uint> TopLevelTags(byte[] dataSet, TransferSyntax syntax)
    {
        var tags = new List<uint>();
        var reader = new DataSetReader(new ReadOnlySequence<byte>(dataSet), true, new DataSetReaderState(syntax));
        while (reader.Read())
        {
            if (reader.CurrentDepth == 0 && reader.TokenType is DataSetTokenType.Element or DataSetTokenType.SequenceStart)
            {
                tags.Add(reader.Tag.Value);
            }
        }

        Assert.Null(reader.Error);
        return tags;
    }

    public static TheoryData<bool> Syntaxes => new() { true, false };

    private static TransferSyntax Syntax(bool implicitVr) => implicitVr ? TransferSyntax.ImplicitVRLittleEndian : TransferSyntax.ExplicitVRLittleEndian;

    // ---------------------------------------------------------------- codec

    [Theory]
    [MemberData(nameof(Syntaxes))]
    public void ActionInformation_RoundTrips(bool implicitVr)
    {
        TransferSyntax syntax = Syntax(implicitVr);
        DicomUid transaction = DicomUid.NewUid();
        SopReference[] references = [Ref("1.2.826.0.1.3680043.2.1125.9.1"), Ref("1.2.826.0.1.3680043.2.1125.9.2", Ct), Ref("1.2.826.0.1.3680043.2.1125.9.33", Mr)];
        byte[] bytes = Encode(syntax, writer => StorageCommitment.WriteActionInformation(writer, transaction, references));

        var read = new List<SopReference>();
        Assert.True(StorageCommitment.TryReadActionInformation(bytes, syntax, out DicomUid readTransaction, read, out string? error), error);
        Assert.Null(error);
        Assert.Equal(transaction, readTransaction);
        Assert.Equal(references, read);
        Assert.Equal([0x00081195u, 0x00081199u], TopLevelTags(bytes, syntax));
    }

    [Theory]
    [MemberData(nameof(Syntaxes))]
    public void EventInformation_WithFailures_RoundTripsReasonsAndRetrieveAe(bool implicitVr)
    {
        TransferSyntax syntax = Syntax(implicitVr);
        DicomUid transaction = DicomUid.NewUid();
        var committed = new[] { Ref("1.2.826.0.1.3680043.2.1125.9.1"), Ref("1.2.826.0.1.3680043.2.1125.9.4", Ct) };
        var failed = new[]
        {
            new CommitmentFailure(Ref("1.2.826.0.1.3680043.2.1125.9.2"), 0x0112),
            new CommitmentFailure(Ref("1.2.826.0.1.3680043.2.1125.9.3", Mr), 0x0119),
        };
        var result = new StorageCommitmentResult(transaction, committed, failed) { RetrieveAeTitle = "ARCHIVE" };
        Assert.Equal(StorageCommitment.EventFailuresExist, result.EventTypeId);
        byte[] bytes = Encode(syntax, writer => StorageCommitment.WriteEventInformation(writer, result));

        Assert.True(StorageCommitment.TryReadEventInformation(bytes, syntax, out StorageCommitmentResult? read, out string? error), error);
        Assert.Equal(transaction, read!.TransactionUid);
        Assert.Equal(committed, read.Committed);
        Assert.Equal(failed, read.Failed);
        Assert.Equal("ARCHIVE", read.RetrieveAeTitle);
        Assert.Equal(StorageCommitment.EventFailuresExist, read.EventTypeId);
        Assert.Equal(["0x0112 No such object instance", "0x0119 Class / Instance conflict"], read.Failed.Select(f => f.Describe()));
        Assert.Equal([0x00080054u, 0x00081195u, 0x00081198u, 0x00081199u], TopLevelTags(bytes, syntax));
    }

    [Theory]
    [MemberData(nameof(Syntaxes))]
    public void EventInformation_AllCommitted_HasNoFailedSequence_AndEventType1(bool implicitVr)
    {
        TransferSyntax syntax = Syntax(implicitVr);
        var result = new StorageCommitmentResult(DicomUid.NewUid(), [Ref("1.2.826.0.1.3680043.2.1125.9.1")], []);
        byte[] bytes = Encode(syntax, writer => StorageCommitment.WriteEventInformation(writer, result));

        Assert.Equal([0x00081195u, 0x00081199u], TopLevelTags(bytes, syntax));
        Assert.True(StorageCommitment.TryReadEventInformation(bytes, syntax, out StorageCommitmentResult? read, out string? error), error);
        Assert.Empty(read!.Failed);
        Assert.Null(read.RetrieveAeTitle);
        Assert.Equal(StorageCommitment.EventAllCommitted, read.EventTypeId);
    }

    [Theory]
    [MemberData(nameof(Syntaxes))]
    public void ActionInformation_WithoutTransactionUid_IsRejected(bool implicitVr)
    {
        TransferSyntax syntax = Syntax(implicitVr);
        byte[] bytes = Encode(syntax, writer =>
        {
            writer.WriteStartSequence(new DicomTag(0x00081199));
            writer.WriteStartItem();
            writer.WriteUid(new DicomTag(0x00081150), Harness.SecondaryCapture);
            writer.WriteUid(new DicomTag(0x00081155), DicomUid.Parse("1.2.3.4"));
            writer.WriteEndItem();
            writer.WriteEndSequence();
        });

        Assert.False(StorageCommitment.TryReadActionInformation(bytes, syntax, out _, [], out string? error));
        Assert.Contains("Transaction UID", error, StringComparison.Ordinal);
        Assert.False(StorageCommitment.TryReadEventInformation(bytes, syntax, out StorageCommitmentResult? result, out error));
        Assert.Null(result);
        Assert.Contains("Transaction UID", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Syntaxes))]
    public void ActionInformation_ItemWithoutInstanceUid_IsRejected(bool implicitVr)
    {
        TransferSyntax syntax = Syntax(implicitVr);
        byte[] bytes = Encode(syntax, writer =>
        {
            writer.WriteUid(new DicomTag(0x00081195), DicomUid.NewUid());
            writer.WriteStartSequence(new DicomTag(0x00081199));
            writer.WriteStartItem();
            writer.WriteUid(new DicomTag(0x00081150), Harness.SecondaryCapture);
            writer.WriteUid(new DicomTag(0x00081155), DicomUid.Parse("1.2.3.4"));
            writer.WriteEndItem();
            writer.WriteStartItem();
            writer.WriteUid(new DicomTag(0x00081150), Harness.SecondaryCapture);
            writer.WriteEndItem();
            writer.WriteEndSequence();
        });

        var references = new List<SopReference>();
        Assert.False(StorageCommitment.TryReadActionInformation(bytes, syntax, out _, references, out string? error));
        Assert.Contains("(0008,1199)", error, StringComparison.Ordinal);
        Assert.Contains("Instance UID", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EventInformation_FailedItemWithoutReason_IsRejected()
    {
        TransferSyntax syntax = TransferSyntax.ExplicitVRLittleEndian;
        byte[] bytes = Encode(syntax, writer =>
        {
            writer.WriteUid(new DicomTag(0x00081195), DicomUid.NewUid());
            writer.WriteStartSequence(new DicomTag(0x00081198));
            writer.WriteStartItem();
            writer.WriteUid(new DicomTag(0x00081150), Harness.SecondaryCapture);
            writer.WriteUid(new DicomTag(0x00081155), DicomUid.Parse("1.2.3.4"));
            writer.WriteEndItem();
            writer.WriteEndSequence();
        });

        Assert.False(StorageCommitment.TryReadEventInformation(bytes, syntax, out _, out string? error));
        Assert.Contains("(0008,1198)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ActionInformation_WithFailedSequence_IsNotARequest()
    {
        TransferSyntax syntax = TransferSyntax.ExplicitVRLittleEndian;
        var result = new StorageCommitmentResult(DicomUid.NewUid(), [Ref("1.2.3.4.1")], [new CommitmentFailure(Ref("1.2.3.4.2"), 0x0112)]);
        byte[] bytes = Encode(syntax, writer => StorageCommitment.WriteEventInformation(writer, result));

        Assert.False(StorageCommitment.TryReadActionInformation(bytes, syntax, out _, [], out string? error));
        Assert.Contains("Failed SOP Sequence", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StorageCommitment.MaxReferences, true)]
    [InlineData(StorageCommitment.MaxReferences + 1, false)]
    public void ActionInformation_MoreThanMaxReferences_IsRejected(int count, bool accepted)
    {
        TransferSyntax syntax = TransferSyntax.ExplicitVRLittleEndian;
        byte[] bytes = Encode(syntax, writer =>
        {
            writer.WriteUid(new DicomTag(0x00081195), DicomUid.NewUid());
            writer.WriteStartSequence(new DicomTag(0x00081199));
            for (int i = 1; i <= count; i++)
            {
                writer.WriteStartItem();
                writer.WriteUid(new DicomTag(0x00081150), Harness.SecondaryCapture);
                writer.WriteUid(new DicomTag(0x00081155), DicomUid.Parse("1.2.3.4." + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                writer.WriteEndItem();
            }

            writer.WriteEndSequence();
        });

        var references = new List<SopReference>();
        bool ok = StorageCommitment.TryReadActionInformation(bytes, syntax, out _, references, out string? error);
        Assert.Equal(accepted, ok);
        if (accepted)
        {
            Assert.Equal(count, references.Count);
        }
        else
        {
            Assert.Contains($"more than {StorageCommitment.MaxReferences}", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WriteActionInformation_RefusesNoneAndTooMany()
    {
        var writer = new DataSetWriter(new ArrayBufferWriter<byte>(), TransferSyntax.ExplicitVRLittleEndian);
        Assert.Throws<ArgumentException>(() => StorageCommitment.WriteActionInformation(writer, DicomUid.NewUid(), []));
        SopReference[] tooMany = Enumerable.Range(1, StorageCommitment.MaxReferences + 1).Select(i => Ref("1.2.3." + i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        Assert.Throws<ArgumentException>(() => StorageCommitment.WriteActionInformation(writer, DicomUid.NewUid(), tooMany));
    }

    // ---------------------------------------------------------------- over loopback TCP

    private static DicomServer StartServer(INormalizedHandler handler, AeTitle ourAe, Func<AAssociateRequest, IPEndPoint?, bool>? accept = null)
    {
        var server = new DicomServer(new DicomServerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
            Timeouts = Timeouts,
            Normalized = handler,
            Accept = accept,
            Policy = new AcceptorPolicy { AeTitle = ourAe, IsAbstractSyntaxSupported = (in DicomUid uid) => uid.Equals(StorageCommitment.SopClassUid) },
        });
        server.Start();
        return server;
    }

    private static Task<DicomAssociation> ConnectAsync(DicomServer server, AeTitle calling)
        => DicomClient.ConnectAsync(new DicomClientOptions
        {
            Host = "127.0.0.1", Port = server.LocalEndPoint.Port, CallingAeTitle = calling, CalledAeTitle = Archive, Timeouts = Timeouts,
        }, [(StorageCommitment.SopClassUid, QueryScu.TransferSyntaxes)]);

    /// <summary>Opens report associations from the provider with TCP, counting the attempts and keeping what was requested and negotiated.</summary>
    private sealed class RecordingConnector
    {
        public int Attempts;
        public readonly ConcurrentQueue<(MoveDestination Destination, AAssociateRequest Request, NegotiatedAssociation Negotiated)> Opened = new();

        public async Task<DicomAssociation> ConnectAsync(MoveDestination destination, AAssociateRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Attempts);
            DicomAssociation association = await DicomClient.ConnectAsync(new DicomClientOptions
            {
                Host = destination.Host, Port = destination.Port, CallingAeTitle = Archive, CalledAeTitle = destination.AeTitle, Timeouts = Timeouts,
            }, request, cancellationToken).ConfigureAwait(false);
            Opened.Enqueue((destination, request, association.Negotiated));
            return association;
        }
    }

    /// <summary>The first <see cref="StorageCommitmentProvider.ReportCompleted"/> of <paramref name="provider"/>.</summary>
    private static Task<(StorageCommitmentResult Result, bool Delivered)> Observe(StorageCommitmentProvider provider)
    {
        var completed = new TaskCompletionSource<(StorageCommitmentResult, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.ReportCompleted += (result, delivered) => completed.TrySetResult((result, delivered));
        return completed.Task;
    }

    /// <summary>Fails instances whose UID ends in ".2" (0x0112) or ".3" (0x0119), and records what it was asked.</summary>
    private static Func<SopReference, ushort> PartialCheck(ConcurrentQueue<SopReference> asked) => reference =>
    {
        asked.Enqueue(reference);
        string uid = reference.SopInstanceUid.ToString();
        return uid.EndsWith(".2", StringComparison.Ordinal) ? (ushort)0x0112 : uid.EndsWith(".3", StringComparison.Ordinal) ? (ushort)0x0119 : (ushort)0;
    };

    private static readonly SopReference[] s_four =
    [
        Ref("1.2.826.0.1.3680043.2.1125.20.1"),
        Ref("1.2.826.0.1.3680043.2.1125.20.2"),
        Ref("1.2.826.0.1.3680043.2.1125.20.3", Ct),
        Ref("1.2.826.0.1.3680043.2.1125.20.4", Mr),
    ];

    private static void AssertPartial(StorageCommitmentResult report, DicomUid transaction)
    {
        Assert.Equal(transaction, report.TransactionUid);
        Assert.Equal([s_four[0], s_four[3]], report.Committed);
        Assert.Equal([new CommitmentFailure(s_four[1], 0x0112), new CommitmentFailure(s_four[2], 0x0119)], report.Failed);
        Assert.Equal(StorageCommitment.EventFailuresExist, report.EventTypeId);
    }

    [Fact]
    public async Task SameAssociation_PartialFailures_ReportComesOnTheRequestingAssociation()
    {
        var asked = new ConcurrentQueue<SopReference>();
        var log = new ConcurrentQueue<string>();
        var connector = new RecordingConnector();
        await using var provider = new StorageCommitmentProvider(PartialCheck(asked))
        {
            Connect = connector.ConnectAsync, Requestors = [new MoveDestination(Modality, "127.0.0.1", 1)], Log = log.Enqueue, RetrieveAeTitle = "ARCHIVE",
        };
        Task<(StorageCommitmentResult Result, bool Delivered)> completed = Observe(provider);
        await using DicomServer server = StartServer(provider, Archive);
        DicomAssociation association = await Harness.WithTimeout(ConnectAsync(server, Modality));
        DicomUid transaction = DicomUid.NewUid();

        StorageCommitmentOutcome outcome = await Harness.WithTimeout(StorageCommitmentScu.RequestAsync(association, transaction, s_four, 7, ReportTimeout));

        Assert.Equal(0x0000, outcome.ActionStatus.Code);
        Assert.False(outcome.PeerReleased);
        Assert.NotNull(outcome.Report);
        AssertPartial(outcome.Report!, transaction);
        Assert.Equal("ARCHIVE", outcome.Report!.RetrieveAeTitle);
        Assert.Equal(s_four, asked);

        // The provider learns the report was answered (the SCU sent the N-EVENT-REPORT-RSP) before we release.
        (StorageCommitmentResult sent, bool delivered) = await Harness.WithTimeout(completed);
        Assert.True(delivered);
        Assert.Equal(transaction, sent.TransactionUid);
        await Harness.WithTimeout(association.ReleaseAsync());
        Assert.Equal(0, connector.Attempts);
        Assert.Equal(1, server.AssociationCount);
        Assert.Contains(log, line => line.Contains("sent on the requesting association", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NewAssociationMode_ReportGoesToTheReceiver_WithScpRoleSelection()
    {
        var receiver = new StorageCommitmentReportReceiver();
        var reporters = new ConcurrentQueue<AeTitle>();
        receiver.ReportReceived += (_, calling) => reporters.Enqueue(calling);
        var requests = new ConcurrentQueue<AAssociateRequest>();
        await using DicomServer listener = StartServer(receiver, Modality, (request, _) =>
        {
            requests.Enqueue(request);
            return true;
        });
        var connector = new RecordingConnector();
        var log = new ConcurrentQueue<string>();
        await using var provider = new StorageCommitmentProvider(PartialCheck(new()))
        {
            Mode = CommitmentReportMode.NewAssociation, Connect = connector.ConnectAsync, Log = log.Enqueue,
            Requestors = [new MoveDestination(AeTitle.Parse("OTHER"), "127.0.0.1", 1), new MoveDestination(Modality, "127.0.0.1", listener.LocalEndPoint.Port)],
        };
        Task<(StorageCommitmentResult Result, bool Delivered)> completed = Observe(provider);
        await using DicomServer server = StartServer(provider, Archive);
        DicomAssociation association = await Harness.WithTimeout(ConnectAsync(server, Modality));
        DicomUid transaction = DicomUid.NewUid();

        StorageCommitmentOutcome outcome = await Harness.WithTimeout(StorageCommitmentScu.RequestAsync(association, transaction, s_four, 1, TimeSpan.Zero));
        Assert.Equal(0x0000, outcome.ActionStatus.Code);
        Assert.Null(outcome.Report);
        await Harness.WithTimeout(association.ReleaseAsync());

        StorageCommitmentResult? report = await Harness.WithTimeout(receiver.WaitAsync(transaction, ReportTimeout));
        Assert.NotNull(report);
        AssertPartial(report!, transaction);
        (_, bool delivered) = await Harness.WithTimeout(completed);
        Assert.True(delivered);
        Assert.Equal([Archive], reporters);

        // One reverse association to the requestor's entry, proposing SCU=0/SCP=1 for the SOP class, granted.
        Assert.Equal(1, connector.Attempts);
        (MoveDestination destination, AAssociateRequest sentRequest, NegotiatedAssociation negotiated) = Assert.Single(connector.Opened);
        Assert.Equal(listener.LocalEndPoint.Port, destination.Port);
        ScpScuRoleSelectionSubItem role = Assert.Single(sentRequest.UserInformation.RoleSelections);
        Assert.Equal(StorageCommitment.SopClassUid, role.SopClassUid);
        Assert.False(role.ScuRole);
        Assert.True(role.ScpRole);
        NegotiatedPresentationContext? context = negotiated.FindContext(StorageCommitment.SopClassUid);
        Assert.NotNull(context);
        Assert.True(context!.RequestorIsScp);
        Assert.False(context.RequestorIsScu);

        AAssociateRequest received = Assert.Single(requests);
        Assert.Equal(Archive, received.CallingAeTitle);
        Assert.Equal(Modality, received.CalledAeTitle);
        ScpScuRoleSelectionSubItem receivedRole = Assert.Single(received.UserInformation.RoleSelections);
        Assert.Equal((false, true), (receivedRole.ScuRole, receivedRole.ScpRole));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SameAssociationFirst_RequestorReleasesOrAbortsAtOnce_ProviderFallsBackToANewAssociation(bool abort)
    {
        var receiver = new StorageCommitmentReportReceiver();
        await using DicomServer listener = StartServer(receiver, Modality);
        var connector = new RecordingConnector();
        var log = new ConcurrentQueue<string>();
        await using var provider = new StorageCommitmentProvider(PartialCheck(new()))
        {
            Mode = CommitmentReportMode.SameAssociationFirst, Connect = connector.ConnectAsync, Log = log.Enqueue,
            Requestors = [new MoveDestination(Modality, "127.0.0.1", listener.LocalEndPoint.Port)],
        };
        Task<(StorageCommitmentResult Result, bool Delivered)> completed = Observe(provider);
        await using DicomServer server = StartServer(provider, Archive);
        DicomAssociation association = await Harness.WithTimeout(ConnectAsync(server, Modality));
        DicomUid transaction = DicomUid.NewUid();

        StorageCommitmentOutcome outcome = await Harness.WithTimeout(StorageCommitmentScu.RequestAsync(association, transaction, s_four, 1, TimeSpan.Zero));
        Assert.Equal(0x0000, outcome.ActionStatus.Code);
        Assert.Null(outcome.Report);
        await Harness.WithTimeout(abort ? association.AbortAsync() : association.ReleaseAsync()); // a release drops the report that followed the response

        StorageCommitmentResult? report = await Harness.WithTimeout(receiver.WaitAsync(transaction, ReportTimeout));
        Assert.NotNull(report);
        AssertPartial(report!, transaction);
        (_, bool delivered) = await Harness.WithTimeout(completed);
        Assert.True(delivered);
        Assert.Equal(1, connector.Attempts);
        Assert.Contains(log, line => line.Contains("left before it", StringComparison.Ordinal));
        Assert.DoesNotContain(log, line => line.Contains("sent on the requesting association", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SameAssociationFirst_RequestorRefusesTheReport0110_ProviderReportsOnANewAssociation()
    {
        var receiver = new StorageCommitmentReportReceiver();
        await using DicomServer listener = StartServer(receiver, Modality);
        var connector = new RecordingConnector();
        var log = new ConcurrentQueue<string>();
        await using var provider = new StorageCommitmentProvider(PartialCheck(new()))
        {
            Connect = connector.ConnectAsync, Log = log.Enqueue, Requestors = [new MoveDestination(Modality, "127.0.0.1", listener.LocalEndPoint.Port)],
        };
        Task<(StorageCommitmentResult Result, bool Delivered)> completed = Observe(provider);
        await using DicomServer server = StartServer(provider, Archive);
        DicomAssociation association = await Harness.WithTimeout(ConnectAsync(server, Modality));
        DicomUid transaction = DicomUid.NewUid();

        // A hand-driven requestor: N-ACTION, then it answers the N-EVENT-REPORT that follows with 0x0110.
        NormalizedResult action = await Harness.WithTimeout(NormalizedScu.ActionAsync(association, StorageCommitment.SopClassUid, StorageCommitment.SopInstanceUid, 1, 1,
            (output, syntax) => StorageCommitment.WriteActionInformation(new DataSetWriter(output, syntax), transaction, s_four)));
        Assert.Equal(0x0000, action.Status.Code);
        DimseReceiveResult received = await association.ReceiveAsync(null, TimeSpan.FromSeconds(10));
        Assert.Equal(DimseReceiveKind.Message, received.Kind);
        Assert.True(NEventReportRequest.TryDecode(received.CommandSet.Span, out NEventReportRequest eventRequest, out _));
        Assert.Equal(StorageCommitment.EventFailuresExist, eventRequest.EventTypeID);
        association.WriteCommand(received.PresentationContextId, new NEventReportResponse
        {
            MessageIDBeingRespondedTo = eventRequest.MessageID, AffectedSOPClassUID = StorageCommitment.SopClassUid,
            AffectedSOPInstanceUID = StorageCommitment.SopInstanceUid, EventTypeID = eventRequest.EventTypeID, Status = 0x0110,
        });
        await association.SendAsync();

        StorageCommitmentResult? report = await Harness.WithTimeout(receiver.WaitAsync(transaction, ReportTimeout));
        Assert.NotNull(report);
        AssertPartial(report!, transaction);
        (_, bool delivered) = await Harness.WithTimeout(completed);
        Assert.True(delivered);
        Assert.Equal(1, connector.Attempts);
        Assert.Contains(log, line => line.Contains("answered 0x0110; reporting on a new association", StringComparison.Ordinal));
        await Harness.WithTimeout(association.ReleaseAsync());
    }

    [Fact]
    public async Task ReverseAssociation_AcceptorSideSeesRequestorAsScp_AndTheReceiverGetsTheReport()
    {
        // A hand-run acceptor, to look at the acceptor's negotiated context before serving the receiver on it.
        using var socketListener = new TcpListener(IPAddress.Loopback, 0);
        socketListener.Start();
        int port = ((IPEndPoint)socketListener.LocalEndpoint).Port;
        var receiver = new StorageCommitmentReportReceiver();
        Task<NegotiatedAssociation?> acceptor = Task.Run(async () =>
        {
            Socket socket = await socketListener.AcceptSocketAsync();
            var connection = new SocketConnection(socket);
            var policy = new AcceptorPolicy { AeTitle = Modality, IsAbstractSyntaxSupported = (in DicomUid uid) => uid.Equals(StorageCommitment.SopClassUid) };
            DicomAssociation? association = await DicomAssociation.AcceptAsync(connection, connection, policy, Timeouts);
            if (association is null)
            {
                return null;
            }

            NegotiatedAssociation negotiated = association.Negotiated;
            await new DicomServiceProvider(association, null) { Normalized = receiver }.RunAsync();
            return negotiated;
        });

        var result = new StorageCommitmentResult(DicomUid.NewUid(), [s_four[0]], [new CommitmentFailure(s_four[1], 0x0112)]);
        var connector = new RecordingConnector();
        await Harness.WithTimeout(StorageCommitmentProvider.SendReportAsync(new MoveDestination(Modality, "127.0.0.1", port), result, connector.ConnectAsync, CancellationToken.None));

        NegotiatedAssociation? accepted = await Harness.WithTimeout(acceptor);
        Assert.NotNull(accepted);
        NegotiatedPresentationContext? context = accepted!.FindContext(StorageCommitment.SopClassUid);
        Assert.NotNull(context);
        Assert.True(context!.IsAccepted);
        Assert.True(context.RequestorIsScp);
        Assert.False(context.RequestorIsScu);
        StorageCommitmentResult? report = await Harness.WithTimeout(receiver.WaitAsync(result.TransactionUid, ReportTimeout));
        Assert.Equal(result.Committed, report!.Committed);
        Assert.Equal(result.Failed, report.Failed);
    }

    [Fact]
    public async Task UnknownRequestor_ReportIsGivenUp_WithoutAnyAssociationAttempt()
    {
        var connector = new RecordingConnector();
        var log = new ConcurrentQueue<string>();
        await using var provider = new StorageCommitmentProvider(PartialCheck(new()))
        {
            Mode = CommitmentReportMode.NewAssociation, Connect = connector.ConnectAsync, Log = log.Enqueue,
            Requestors = [new MoveDestination(AeTitle.Parse("SOMEONE"), "127.0.0.1", 1)],
        };
        Task<(StorageCommitmentResult Result, bool Delivered)> completed = Observe(provider);
        await using DicomServer server = StartServer(provider, Archive);
        DicomAssociation association = await Harness.WithTimeout(ConnectAsync(server, Modality));
        DicomUid transaction = DicomUid.NewUid();

        StorageCommitmentOutcome outcome = await Harness.WithTimeout(StorageCommitmentScu.RequestAsync(association, transaction, s_four, 1, TimeSpan.Zero));
        Assert.Equal(0x0000, outcome.ActionStatus.Code);
        await Harness.WithTimeout(association.ReleaseAsync());

        (StorageCommitmentResult result, bool delivered) = await Harness.WithTimeout(completed);
        Assert.False(delivered);
        Assert.Equal(transaction, result.TransactionUid);
        Assert.Equal(0, connector.Attempts);
        Assert.Contains(log, line => line.Contains("not a known peer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnreachableRequestor_IsRetriedReportAttemptsTimes_ThenGivenUp()
    {
        int closedPort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var connector = new RecordingConnector();
        var log = new ConcurrentQueue<string>();
        await using var provider = new StorageCommitmentProvider(PartialCheck(new()))
        {
            Mode = CommitmentReportMode.NewAssociation, Connect = connector.ConnectAsync, Log = log.Enqueue, ReportAttempts = 3, RetryDelay = TimeSpan.FromMilliseconds(20),
            Requestors = [new MoveDestination(Modality, "127.0.0.1", closedPort)],
        };
        Task<(StorageCommitmentResult Result, bool Delivered)> completed = Observe(provider);
        await using DicomServer server = StartServer(provider, Archive);
        DicomAssociation association = await Harness.WithTimeout(ConnectAsync(server, Modality));

        StorageCommitmentOutcome outcome = await Harness.WithTimeout(StorageCommitmentScu.RequestAsync(association, DicomUid.NewUid(), s_four, 1, TimeSpan.Zero));
        Assert.Equal(0x0000, outcome.ActionStatus.Code);
        await Harness.WithTimeout(association.ReleaseAsync());

        (_, bool delivered) = await Harness.WithTimeout(completed);
        Assert.False(delivered);
        Assert.Equal(3, connector.Attempts);
        Assert.Empty(connector.Opened);
        Assert.Contains(log, line => line.Contains("attempt 3/3", StringComparison.Ordinal));
        Assert.Contains(log, line => line.Contains("given up", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReceiverWhoseRecordingFails_Answers0110_AndTheProviderRetriesOnANewAssociation()
    {
        var receiver = new StorageCommitmentReportReceiver();
        int calls = 0;
        receiver.ReportReceived += (_, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new IOException("disk full");
            }
        };
        await using DicomServer listener = StartServer(receiver, Modality);
        var connector = new RecordingConnector();
        var log = new ConcurrentQueue<string>();
        await using var provider = new StorageCommitmentProvider(PartialCheck(new()))
        {
            Mode = CommitmentReportMode.NewAssociation, Connect = connector.ConnectAsync, Log = log.Enqueue, ReportAttempts = 3, RetryDelay = TimeSpan.FromMilliseconds(20),
            Requestors = [new MoveDestination(Modality, "127.0.0.1", listener.LocalEndPoint.Port)],
        };
        Task<(StorageCommitmentResult Result, bool Delivered)> completed = Observe(provider);
        await using DicomServer server = StartServer(provider, Archive);
        DicomAssociation association = await Harness.WithTimeout(ConnectAsync(server, Modality));
        DicomUid transaction = DicomUid.NewUid();

        Assert.Equal(0x0000, (await Harness.WithTimeout(StorageCommitmentScu.RequestAsync(association, transaction, s_four, 1, TimeSpan.Zero))).ActionStatus.Code);
        await Harness.WithTimeout(association.ReleaseAsync());

        (_, bool delivered) = await Harness.WithTimeout(completed);
        Assert.True(delivered);
        Assert.Equal(2, connector.Attempts);
        Assert.Equal(2, calls);
        Assert.Contains(log, line => line.Contains("attempt 1/3", StringComparison.Ordinal) && line.Contains("0x0110", StringComparison.Ordinal));
        AssertPartial((await Harness.WithTimeout(receiver.WaitAsync(transaction, ReportTimeout)))!, transaction);
    }

    [Fact]
    public async Task RequestorThatResetsTheConnection_IsRetried_ThenGivenUp()
    {
        // A peer that reads the A-ASSOCIATE-RQ and answers with a TCP reset (SO_LINGER 0), each time.
        using var resetting = new TcpListener(IPAddress.Loopback, 0);
        resetting.Start();
        int port = ((IPEndPoint)resetting.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        Task peer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using Socket socket = await resetting.AcceptSocketAsync(stop.Token);
                byte[] buffer = new byte[64];
                await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
        });
        var connector = new RecordingConnector();
        var log = new ConcurrentQueue<string>();
        await using var provider = new StorageCommitmentProvider(PartialCheck(new()))
        {
            Mode = CommitmentReportMode.NewAssociation, Connect = connector.ConnectAsync, Log = log.Enqueue, ReportAttempts = 2, RetryDelay = TimeSpan.FromMilliseconds(20),
            Requestors = [new MoveDestination(Modality, "127.0.0.1", port)],
        };
        Task<(StorageCommitmentResult Result, bool Delivered)> completed = Observe(provider);
        await using DicomServer server = StartServer(provider, Archive);
        DicomAssociation association = await Harness.WithTimeout(ConnectAsync(server, Modality));

        Assert.Equal(0x0000, (await Harness.WithTimeout(StorageCommitmentScu.RequestAsync(association, DicomUid.NewUid(), s_four, 1, TimeSpan.Zero))).ActionStatus.Code);
        await Harness.WithTimeout(association.ReleaseAsync());

        (_, bool delivered) = await Harness.WithTimeout(completed);
        stop.Cancel();
        Assert.False(delivered);
        Assert.Equal(2, connector.Attempts);
        Assert.Contains(log, line => line.Contains("given up", StringComparison.Ordinal));
        _ = peer.ContinueWith(t => t.Exception, TaskScheduler.Default);
    }

    [Fact]
    public async Task NAction_WrongActionType_Is0123_AndWithoutDataSet_Is0120()
    {
        var asked = new ConcurrentQueue<SopReference>();
        var log = new ConcurrentQueue<string>();
        await using var provider = new StorageCommitmentProvider(PartialCheck(asked)) { Log = log.Enqueue };
        bool reported = false;
        provider.ReportCompleted += (_, _) => reported = true;
        await using DicomServer server = StartServer(provider, Archive);
        DicomAssociation association = await Harness.WithTimeout(ConnectAsync(server, Modality));
        DicomUid transaction = DicomUid.NewUid();
        Action<IBufferWriter<byte>, TransferSyntax> information = (output, syntax) => StorageCommitment.WriteActionInformation(new DataSetWriter(output, syntax), transaction, s_four);

        NormalizedResult wrongType = await Harness.WithTimeout(NormalizedScu.ActionAsync(association, StorageCommitment.SopClassUid, StorageCommitment.SopInstanceUid, 2, 1, information));
        Assert.Equal(0x0123, wrongType.Status.Code);

        NormalizedResult noDataSet = await Harness.WithTimeout(NormalizedScu.ActionAsync(association, StorageCommitment.SopClassUid, StorageCommitment.SopInstanceUid, 1, 2, null));
        Assert.Equal(0x0120, noDataSet.Status.Code);

        NormalizedResult wrongInstance = await Harness.WithTimeout(NormalizedScu.ActionAsync(association, StorageCommitment.SopClassUid, DicomUid.Parse("1.2.840.10008.1.20.1.2"), 1, 3, information));
        Assert.Equal(0x0112, wrongInstance.Status.Code);

        // The association still works: a proper request after the refusals is served and reported.
        StorageCommitmentOutcome outcome = await Harness.WithTimeout(StorageCommitmentScu.RequestAsync(association, transaction, s_four, 4, ReportTimeout));
        Assert.Equal(0x0000, outcome.ActionStatus.Code);
        AssertPartial(outcome.Report!, transaction);
        await Harness.WithTimeout(association.ReleaseAsync());
        Assert.Equal(s_four, asked); // only the accepted request was checked
        Assert.Contains(log, line => line.Contains("commitment request refused", StringComparison.Ordinal));
        Assert.True(reported);
    }

    private static void WritePart10(string directory, DicomUid sopClass, string instance)
    {
        byte[] dataSet = Harness.SmallDataSet(instance, 16);
        DicomUid sopInstance = DicomUid.Parse(instance);
        DicomUid syntax = TransferSyntax.ExplicitVRLittleEndian.Uid;
        int metaLength = Part10.GetFileMetaInformationLength(sopClass, sopInstance, syntax, Implementation.ClassUid, "TEST"u8, []);
        byte[] file = new byte[metaLength + dataSet.Length];
        Part10.WriteFileMetaInformation(file, sopClass, sopInstance, syntax, Implementation.ClassUid, "TEST"u8, []);
        dataSet.CopyTo(file, metaLength);
        File.WriteAllBytes(Path.Combine(directory, FileStorageHandler.GetFileName(sopInstance)), file);
    }

    [Fact]
    public async Task ForFolder_PresentIsCommitted_AbsentIs0112_OtherClassIs0119()
    {
        string directory = Harness.TempDirectory();
        try
        {
            WritePart10(directory, Harness.SecondaryCapture, "1.2.826.0.1.3680043.2.1125.30.1");
            WritePart10(directory, Ct, "1.2.826.0.1.3680043.2.1125.30.2");
            File.WriteAllText(Path.Combine(directory, "1.2.826.0.1.3680043.2.1125.30.4.dcm"), "not DICOM");
            SopReference present = Ref("1.2.826.0.1.3680043.2.1125.30.1");
            SopReference presentCt = Ref("1.2.826.0.1.3680043.2.1125.30.2", Ct);
            SopReference otherClass = Ref("1.2.826.0.1.3680043.2.1125.30.2", Mr);
            SopReference absent = Ref("1.2.826.0.1.3680043.2.1125.30.3");
            SopReference unreadable = Ref("1.2.826.0.1.3680043.2.1125.30.4");

            Func<SopReference, ushort> check = StorageCommitmentProvider.ForFolder(directory);
            Assert.Equal(0, check(present));
            Assert.Equal(0x0112, check(absent));
            Assert.Equal(0x0119, check(otherClass));
            Assert.Equal(0x0110, check(unreadable));

            await using var provider = new StorageCommitmentProvider(check);
            await using DicomServer server = StartServer(provider, Archive);
            DicomAssociation association = await Harness.WithTimeout(ConnectAsync(server, Modality));
            DicomUid transaction = DicomUid.NewUid();
            StorageCommitmentOutcome outcome = await Harness.WithTimeout(StorageCommitmentScu.RequestAsync(association, transaction,
                [present, absent, otherClass, presentCt], 1, ReportTimeout));
            await Harness.WithTimeout(association.ReleaseAsync());

            StorageCommitmentResult report = outcome.Report!;
            Assert.NotNull(report);
            Assert.Equal([present, presentCt], report.Committed);
            Assert.Equal([new CommitmentFailure(absent, 0x0112), new CommitmentFailure(otherClass, 0x0119)], report.Failed);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
