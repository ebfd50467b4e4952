using System;
using System.Buffers;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.Networking.Services;

namespace Embedded.Dicom.Networking.FunctionalTests;

/// <summary>C-FIND between <see cref="QueryScu"/> and <see cref="DicomServiceProvider"/> over in-memory pipes (PS3.4 C.4.1, PS3.7 §9.1.2).</summary>
public class QueryTests
{
    private static readonly DicomUid StudyRoot = QueryInformationModel.StudyRootFind;

    private static void WritePatient(DataSetWriter writer, int i)
    {
        writer.WriteString(QueryInformationModel.QueryRetrieveLevel, "STUDY");
        writer.WriteString(QueryHarness.PatientName, "PATIENT^" + i);
        writer.WriteString(QueryHarness.PatientId, "ID" + i);
    }

    [Fact]
    public async Task Find_FiveMatches_EachPendingReachesTheCallerBeforeTheHandlerProducesTheNext()
    {
        // The handler waits, after each match, until the requestor's callback has seen it: a provider that
        // collected matches before sending would deadlock here, so passing proves they are streamed.
        var seen = new SemaphoreSlim(0);
        var handler = new ScriptedQueryHandler(async (request, responder, token) =>
        {
            for (int i = 0; i < 5; i++)
            {
                WritePatient(responder.BeginMatch(), i);
                await responder.SendMatchAsync();
                Assert.True(await seen.WaitAsync(TimeSpan.FromSeconds(10), token), $"match {i} did not reach the requestor while the handler waited");
            }

            return QueryCompletion.Success;
        });
        var (association, server) = await QueryHarness.ConnectAsync(handler);

        var names = new List<string>();
        QueryResult result = await Harness.WithTimeout(QueryScu.FindAsync(association, StudyRoot, new QueryIdentifier(QueryLevel.Study).Set(QueryHarness.PatientName), 7,
            (in QueryMatch match) =>
            {
                Assert.Equal(names.Count, match.Index);
                Assert.Equal(0xFF00, match.Status.Code);
                names.Add(QueryHarness.Values(match)[QueryHarness.PatientName.Value]);
                seen.Release();
                return true;
            }));

        Assert.Equal(["PATIENT^0", "PATIENT^1", "PATIENT^2", "PATIENT^3", "PATIENT^4"], names);
        Assert.Equal(DicomStatus.Success, result.Status);
        Assert.Equal(5, result.MatchCount);
        Assert.False(result.CancelRequested);
        await association.ReleaseAsync();
        await Harness.WithTimeout(server);
    }

    [Fact]
    public async Task Find_TheHandlerSeesTheIdentifierAsSent()
    {
        string? seenName = null;
        string? seenLevel = null;
        TransferSyntax? seenSyntax = null;
        var handler = new ScriptedQueryHandler((request, responder, token) =>
        {
            seenSyntax = request.TransferSyntax;
            DataSetReader reader = request.CreateReader();
            while (reader.Read())
            {
                if (reader.Tag == QueryHarness.PatientName)
                {
                    seenName = reader.GetString();
                }
                else if (reader.Tag == QueryInformationModel.QueryRetrieveLevel)
                {
                    seenLevel = reader.GetString();
                }
            }

            return ValueTask.FromResult(QueryCompletion.Success);
        });
        var (association, _) = await QueryHarness.ConnectAsync(handler);

        var (matches, result) = await QueryHarness.FindAsync(association, StudyRoot,
            new QueryIdentifier(QueryLevel.Study).Set(QueryHarness.PatientName, "DOE*^J?HN").Set(QueryHarness.StudyDate, "20240101-"));

        Assert.Empty(matches);
        Assert.Equal(DicomStatus.Success, result.Status);
        Assert.Equal("DOE*^J?HN", seenName);
        Assert.Equal("STUDY", seenLevel);
        Assert.Equal(TransferSyntax.ExplicitVRLittleEndian, seenSyntax);
        await association.ReleaseAsync();
    }

    [Fact]
    public async Task Find_CallbackCancelsWhileTheHandlerBlocks_CancelRequestStopsTheHandlerAndFinalIsFE00()
    {
        var handlerCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedQueryHandler(async (request, responder, token) =>
        {
            for (int i = 0; i < 2; i++)
            {
                WritePatient(responder.BeginMatch(), i);
                await responder.SendMatchAsync();
            }

            try
            {
                await Task.Delay(Timeout.Infinite, token); // still "producing": only a C-CANCEL-RQ ends this
            }
            catch (OperationCanceledException)
            {
                handlerCancelled.SetResult();
                throw;
            }

            return QueryCompletion.Success;
        });
        var (association, server) = await QueryHarness.ConnectAsync(handler);

        int delivered = 0;
        QueryResult result = await Harness.WithTimeout(QueryScu.FindAsync(association, StudyRoot, new QueryIdentifier(QueryLevel.Study), 3,
            (in QueryMatch match) => ++delivered < 2));

        Assert.Equal(DicomStatus.Cancel, result.Status);
        Assert.True(result.CancelRequested);
        Assert.Equal(2, result.MatchCount);
        await Harness.WithTimeout(handlerCancelled.Task);
        await association.ReleaseAsync();
        await Harness.WithTimeout(server);
    }

    [Fact]
    public async Task Find_TokenCancelledWhileNoResponseComes_SendsCancelAndReturnsFE00()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedQueryHandler(async (request, responder, token) =>
        {
            if (started.TrySetResult())
            {
                await Task.Delay(Timeout.Infinite, token); // the first query blocks until cancelled
            }

            return QueryCompletion.Success;
        });
        var (association, _) = await QueryHarness.ConnectAsync(handler);
        using var cancel = new CancellationTokenSource();

        Task<QueryResult> find = QueryScu.FindAsync(association, StudyRoot, new QueryIdentifier(QueryLevel.Study), 1, (in QueryMatch match) => true, cancel.Token);
        await Harness.WithTimeout(started.Task);
        cancel.Cancel();
        QueryResult result = await Harness.WithTimeout(find);

        Assert.Equal(DicomStatus.Cancel, result.Status);
        Assert.True(result.CancelRequested);
        Assert.Equal(0, result.MatchCount);

        // The association carries the next query after a cancelled one.
        var (_, next) = await QueryHarness.FindAsync(association, StudyRoot, new QueryIdentifier(QueryLevel.Study), 2);
        Assert.Equal(DicomStatus.Success, next.Status);
        await association.ReleaseAsync();
    }

    [Fact]
    public async Task Find_RawRequestor_CancelledFindEndsWithFE00WithoutDataSet_AndIgnoresCancelForOtherId()
    {
        // A scripted requestor that sees the wire: PS3.4 C.4.1.3.1 wants the Cancel response without identifier.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedQueryHandler(async (request, responder, token) =>
        {
            WritePatient(responder.BeginMatch(), 1);
            await responder.SendMatchAsync();
            await release.Task.WaitAsync(token);
            WritePatient(responder.BeginMatch(), 2); // after the cancel: must not leave
            await responder.SendMatchAsync();
            return QueryCompletion.Success;
        });
        var (association, _) = await QueryHarness.ConnectAsync(handler);
        byte context = association.Negotiated.FindContext(StudyRoot)!.Id;
        await SendFindAsync(association, context, 11, Identifier(w => WritePatient(w, 0)));

        DimseReceiveResult first = await association.ReceiveAsync(null, TimeSpan.FromSeconds(5));
        Assert.True(CFindResponse.TryDecode(first.CommandSet.Span, out CFindResponse pending, out _));
        Assert.Equal(0xFF00, pending.Status);
        Assert.True(first.HadDataSet);

        // A C-CANCEL for a message that is not running changes nothing; the one for 11 stops the handler.
        association.WriteCommand(context, new CCancelRequest { MessageIDBeingRespondedTo = 12 });
        await association.SendAsync();
        association.WriteCommand(context, new CCancelRequest { MessageIDBeingRespondedTo = 11 });
        await association.SendAsync();

        DimseReceiveResult final = await association.ReceiveAsync(null, TimeSpan.FromSeconds(5));
        Assert.True(CFindResponse.TryDecode(final.CommandSet.Span, out CFindResponse done, out _));
        Assert.Equal(0xFE00, done.Status);
        Assert.Equal(11, done.MessageIDBeingRespondedTo);
        Assert.False(final.HadDataSet);
        Assert.False(done.HasDataSet);
        release.SetResult();
        await association.ReleaseAsync();
    }

    [Fact]
    public async Task Find_HandlerThrows_FinalC001WithTheMessageAsErrorComment()
    {
        var handler = new ScriptedQueryHandler(async (request, responder, token) =>
        {
            WritePatient(responder.BeginMatch(), 1);
            await responder.SendMatchAsync();
            throw new InvalidOperationException("index is corrupt");
        });
        var (association, _) = await QueryHarness.ConnectAsync(handler);

        var (matches, result) = await QueryHarness.FindAsync(association, StudyRoot, new QueryIdentifier(QueryLevel.Study));

        Assert.Single(matches);
        Assert.Equal(0xC001, result.Status.Code);
        Assert.Equal(StatusCategory.Failure, result.Status.Category);
        Assert.Equal("index is corrupt", result.ErrorComment);

        // The association survives a failed query.
        (matches, result) = await QueryHarness.FindAsync(association, StudyRoot, new QueryIdentifier(QueryLevel.Study), 2);
        Assert.Equal(0xC001, result.Status.Code);
        Assert.Equal(2, handler.Calls);
        await association.ReleaseAsync();
    }

    [Fact]
    public async Task Find_MalformedIdentifier_C000WithoutCallingTheHandler()
    {
        var handler = new ScriptedQueryHandler((request, responder, token) => ValueTask.FromResult(QueryCompletion.Success));
        var (association, _) = await QueryHarness.ConnectAsync(handler);
        byte context = association.Negotiated.FindContext(StudyRoot)!.Id;

        // (0010,0010) PN claiming 200 bytes with 4 present: the identifier ends inside the element.
        byte[] identifier = [0x10, 0x00, 0x10, 0x00, (byte)'P', (byte)'N', 200, 0, (byte)'D', (byte)'O', (byte)'E', (byte)' '];
        await SendFindAsync(association, context, 5, identifier);
        DimseReceiveResult received = await association.ReceiveAsync(null, TimeSpan.FromSeconds(5));

        Assert.True(CFindResponse.TryDecode(received.CommandSet.Span, out CFindResponse response, out _));
        Assert.Equal(0xC000, response.Status);
        Assert.False(received.HadDataSet);
        Assert.Contains("invalid identifier", response.ErrorComment?.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, handler.Calls);
        await association.ReleaseAsync();
    }

    [Fact]
    public async Task Find_IdentifierOverTheLimit_A700WithoutCallingTheHandler_AndTheAssociationGoesOn()
    {
        var handler = new ScriptedQueryHandler((request, responder, token) => ValueTask.FromResult(QueryCompletion.Success));
        var (association, _) = await QueryHarness.ConnectAsync(handler);
        byte context = association.Negotiated.FindContext(StudyRoot)!.Id;

        // The limit is enforced as the fragments arrive (conventions C8): the bytes are dropped, not buffered.
        byte[] identifier = Identifier(w => w.WriteString(new DicomTag(0x0040A160), new string('x', DicomServiceProvider.MaxIdentifierLength + 2)));
        await SendFindAsync(association, context, 4, identifier);
        DimseReceiveResult received = await association.ReceiveAsync(null, TimeSpan.FromSeconds(5));

        Assert.True(CFindResponse.TryDecode(received.CommandSet.Span, out CFindResponse response, out _));
        Assert.Equal(0xA700, response.Status);
        Assert.Equal(0, handler.Calls);
        var (_, next) = await QueryHarness.FindAsync(association, StudyRoot, new QueryIdentifier(QueryLevel.Study), 5);
        Assert.Equal(DicomStatus.Success, next.Status);
        await association.ReleaseAsync();
    }

    [Fact]
    public async Task Find_SopClassTheScpDidNotAccept_FailsLocallyWithNoPresentationContext()
    {
        var handler = new ScriptedQueryHandler((request, responder, token) => ValueTask.FromResult(QueryCompletion.Success));
        var (association, _) = await QueryHarness.ConnectAsync(handler, accepted: [QueryInformationModel.PatientRootFind],
            proposed: [QueryInformationModel.PatientRootFind, QueryInformationModel.StudyRootFind]);

        var error = await Assert.ThrowsAsync<DicomNetworkException>(() => QueryScu.FindAsync(association, StudyRoot, new QueryIdentifier(QueryLevel.Study), 1, (in QueryMatch m) => true));

        Assert.Equal(DicomNetworkFailure.NoPresentationContext, error.Failure);
        Assert.True(association.IsEstablished);
        await association.ReleaseAsync();
    }

    [Fact]
    public async Task Find_ScpWithoutQueryHandler_Answers0211()
    {
        var (client, server) = DuplexPipe.CreatePair();
        Task serving = Task.Run(async () =>
        {
            DicomAssociation? acceptor = await DicomAssociation.AcceptAsync(server, null, QueryHarness.Policy(StudyRoot), Harness.ShortTimeouts);
            await new DicomServiceProvider(acceptor!, null).RunAsync();
        });
        DicomAssociation association = await DicomAssociation.RequestAsync(client, null, QueryHarness.Request(StudyRoot), Harness.ShortTimeouts);

        var (matches, result) = await QueryHarness.FindAsync(association, StudyRoot, new QueryIdentifier(QueryLevel.Study));

        Assert.Empty(matches);
        Assert.Equal(0x0211, result.Status.Code);
        await association.ReleaseAsync();
        await Harness.WithTimeout(serving);
    }

    [Fact]
    public async Task Find_ReleaseWhileAFindRuns_TheFindIsCancelledAndTheReleaseCompletes()
    {
        var handlerCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedQueryHandler(async (request, responder, token) =>
        {
            await using (token.Register(() => handlerCancelled.TrySetResult()))
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            return QueryCompletion.Success;
        });
        var (association, server) = await QueryHarness.ConnectAsync(handler);
        byte context = association.Negotiated.FindContext(StudyRoot)!.Id;
        await SendFindAsync(association, context, 1, Identifier(w => WritePatient(w, 0)));

        // A misbehaving requestor releases with the C-FIND outstanding (PS3.8 Sta7 still takes P-DATA, AR-6).
        await Harness.WithTimeout(association.ReleaseAsync());

        await Harness.WithTimeout(handlerCancelled.Task);
        await Harness.WithTimeout(server);
    }

    [Fact]
    public async Task Find_IdleTimeoutStartsWhenTheFindEnds_NotWhileItRuns()
    {
        // Idle 1 s, a find that takes 2.5 s: the association survives the find, then dies of idleness.
        var timeouts = Harness.ShortTimeouts with { Idle = TimeSpan.FromSeconds(1) };
        var handler = new ScriptedQueryHandler(async (request, responder, token) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(2500), token);
            WritePatient(responder.BeginMatch(), 1);
            await responder.SendMatchAsync();
            return QueryCompletion.Success;
        });
        var (association, server) = await QueryHarness.ConnectAsync(handler, timeouts: timeouts);

        var (matches, result) = await QueryHarness.FindAsync(association, StudyRoot, new QueryIdentifier(QueryLevel.Study));

        Assert.Single(matches);
        Assert.Equal(DicomStatus.Success, result.Status);
        await Harness.WithTimeout(server, 10); // the SCP aborts about 1 s after the final response
        DimseReceiveResult after = await association.ReceiveAsync(null, TimeSpan.FromSeconds(5));
        Assert.Equal(DimseReceiveKind.Aborted, after.Kind);
    }

    internal static byte[] Identifier(Action<DataSetWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new DataSetWriter(buffer, TransferSyntax.ExplicitVRLittleEndian));
        return buffer.WrittenSpan.ToArray();
    }

    internal static async Task SendFindAsync(DicomAssociation association, byte context, ushort messageId, byte[] identifier)
    {
        association.WriteCommand(context, new CFindRequest { MessageID = messageId, AffectedSOPClassUID = StudyRoot, Priority = 0 });
        await association.SendDataSetAsync(context, new MemorySource(identifier));
    }
}
