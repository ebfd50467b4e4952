using System;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Dimse;

namespace Embedded.Dicom.Networking.Services;

/// <summary>
/// The SCP side of one accepted association: receives requests until release or abort and answers them —
/// Verification (PS3.4 Annex A), Storage (PS3.4 Annex B) and, given an <see cref="IQueryHandler"/>, C-FIND
/// (PS3.4 Annex C and K); any other request gets its response with 0x0211 Unrecognized Operation, so that the
/// requestor is never left waiting.
/// </summary>
/// <remarks>
/// A C-FIND runs beside the read loop (see <c>DicomServiceProvider.Query.cs</c>): its Pending responses are
/// written while the loop keeps reading, so that a C-CANCEL-RQ is seen while matches are still being produced.
/// </remarks>
public sealed partial class DicomServiceProvider : IDataSetSinkProvider
{
    private readonly DicomAssociation _association;
    private readonly IStorageHandler? _storage;
    private readonly int _id;
    private readonly Action<int, string>? _log;
    private IStorageSink? _pendingSink;

    /// <summary>Serves <paramref name="association"/>.</summary>
    public DicomServiceProvider(DicomAssociation association, IStorageHandler? storage, int id = 0, Action<int, string>? log = null)
    {
        _association = association;
        _storage = storage;
        _id = id;
        _log = log;
    }

    /// <summary>Serves <paramref name="association"/>, answering C-FIND with <paramref name="query"/>.</summary>
    public DicomServiceProvider(DicomAssociation association, IStorageHandler? storage, IQueryHandler? query, int id = 0, Action<int, string>? log = null)
        : this(association, storage, id, log) => _query = query;

    /// <summary>
    /// Runs until the association ends (release, abort, idle timeout or a protocol error); network failures end
    /// the association and are logged, not thrown.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            while (_association.IsEstablished)
            {
                _pendingSink = null;
                if (_find is { IsCompleted: true })
                {
                    await EndFindAsync(cancel: false).ConfigureAwait(false);
                }

                DimseReceiveResult received = _find is null
                    ? await _association.ReceiveAsync(this, _association.Timeouts.Idle, cancellationToken).ConfigureAwait(false)
                    : await ReceiveDuringFindAsync(cancellationToken).ConfigureAwait(false);
                switch (received.Kind)
                {
                    case DimseReceiveKind.ReleaseRequested:
                        // A release with a C-FIND outstanding: stop it; its final response (FE00) may still be
                        // sent in Sta8 (PS3.8 AR-7) before the A-RELEASE-RP.
                        await EndFindAsync(cancel: true).ConfigureAwait(false);
                        await _association.SendReleaseResponseAsync().ConfigureAwait(false);
                        _log?.Invoke(_id, "association released");
                        return;
                    case DimseReceiveKind.Aborted:
                        _log?.Invoke(_id, "association aborted by the peer: " + DicomAssociation.DescribeAbort(received.Abort));
                        return;
                }

                if (TryCompleteEventReport(received))
                {
                    continue;
                }

                if (_find is not null)
                {
                    if (TryCancelFind(received) || TryDeliverStoreResponse(received))
                    {
                        continue;
                    }

                    // One operation at a time (PS3.7 D.3.3.3 without a window): anything else waits until the
                    // C-FIND has sent its final response.
                    await EndFindAsync(cancel: false).ConfigureAwait(false);
                }

                if (TryStartFind(received, cancellationToken) || TryStartRetrieve(received, cancellationToken)
                    || await TryAnswerNormalizedAsync(received, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                await AnswerAsync(received, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (DicomNetworkException e)
        {
            // The association ended badly (protocol error answered with A-ABORT, timeout, peer gone): that
            // ends this association only; the server goes on with the next one.
            _log?.Invoke(_id, "association ended: " + e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The idle timeout that follows a C-FIND (see ReceiveDuringFindAsync) expired: the association was
            // aborted as on any idle timeout.
            _log?.Invoke(_id, $"association ended: idle for {_association.Timeouts.Idle.TotalSeconds:0.###} s after a C-FIND; aborted");
        }
        finally
        {
            _pendingSink?.Abort();
            await EndFindAsync(cancel: true).ConfigureAwait(false);
            await _association.DisposeAsync().ConfigureAwait(false);
            ReleaseQueryBuffers();
            ReleaseNormalizedBuffers();
            FailPendingEventReports();
        }
    }

    private ValueTask AnswerAsync(in DimseReceiveResult received, CancellationToken cancellationToken)
    {
        var answer = new Answer(this, received.PresentationContextId);
        if (!DimseMessageDispatcher.Dispatch(received.CommandSet.Span, ref answer))
        {
            _log?.Invoke(_id, "invalid command set: " + answer.Error);
            return new ValueTask(_association.AbortAsync());
        }

        return _association.SendAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public IDataSetSink OpenDataSet(ReadOnlySpan<byte> commandSet, NegotiatedPresentationContext context)
    {
        if ((OpenIdentifier(commandSet) ?? OpenRetrieveIdentifier(commandSet) ?? OpenNormalizedDataSet(commandSet)) is { } identifier)
        {
            return identifier;
        }

        if (_storage is not null && CStoreRequest.TryDecode(commandSet, out CStoreRequest request, out _))
        {
            var info = new StorageRequest(request.AffectedSOPClassUID, request.AffectedSOPInstanceUID, context.TransferSyntax!,
                _association.Negotiated.CallingAeTitle, _association.Negotiated.CalledAeTitle);
            _pendingSink = _storage.Begin(info);
            return _pendingSink;
        }

        return DiscardingSink.Instance;
    }

    /// <summary>Writes the response to each request; sending happens after dispatch returns.</summary>
    private struct Answer(DicomServiceProvider owner, byte contextId) : IDimseMessageHandler
    {
        public string? Error;

        private readonly void Reply<T>(in T response) where T : struct, IDimseCommand<T>
            => owner._association.WriteCommand(contextId, response);

        public readonly void OnCEchoRequest(in CEchoRequest message) => Reply(CEchoResponse.CreateFor(message, 0x0000));

        public readonly void OnCStoreRequest(in CStoreRequest message)
        {
            IStorageSink? sink = owner._pendingSink;
            owner._pendingSink = null;
            CStoreResponse response;
            if (sink is null)
            {
                response = CStoreResponse.CreateFor(message, DicomStatus.SopClassNotSupported.Code);
            }
            else
            {
                response = CStoreResponse.CreateFor(message, sink.Status);
                if (sink.ErrorComment is { } comment)
                {
                    response.ErrorComment = LongString.Create(comment);
                }

                sink.Release();
            }

            Reply(response);
        }

        public readonly void OnCFindRequest(in CFindRequest message) => Reply(CFindResponse.CreateFor(message, Unrecognized));

        public readonly void OnCGetRequest(in CGetRequest message) => Reply(CGetResponse.CreateFor(message, Unrecognized));

        public readonly void OnCMoveRequest(in CMoveRequest message) => Reply(CMoveResponse.CreateFor(message, Unrecognized));

        public readonly void OnNEventReportRequest(in NEventReportRequest message) => Reply(NEventReportResponse.CreateFor(message, Unrecognized));

        public readonly void OnNGetRequest(in NGetRequest message) => Reply(NGetResponse.CreateFor(message, Unrecognized));

        public readonly void OnNSetRequest(in NSetRequest message) => Reply(NSetResponse.CreateFor(message, Unrecognized));

        public readonly void OnNActionRequest(in NActionRequest message) => Reply(NActionResponse.CreateFor(message, Unrecognized));

        public readonly void OnNCreateRequest(in NCreateRequest message) => Reply(NCreateResponse.CreateFor(message, Unrecognized));

        public readonly void OnNDeleteRequest(in NDeleteRequest message) => Reply(NDeleteResponse.CreateFor(message, Unrecognized));

        // C-CANCEL for an operation we do not run, and responses sent to an SCP: nothing to answer.
        public readonly void OnCCancelRequest(in CCancelRequest message)
        {
        }

        public readonly void OnCStoreResponse(in CStoreResponse message)
        {
        }

        public readonly void OnCFindResponse(in CFindResponse message)
        {
        }

        public readonly void OnCGetResponse(in CGetResponse message)
        {
        }

        public readonly void OnCMoveResponse(in CMoveResponse message)
        {
        }

        public readonly void OnCEchoResponse(in CEchoResponse message)
        {
        }

        public readonly void OnNEventReportResponse(in NEventReportResponse message)
        {
        }

        public readonly void OnNGetResponse(in NGetResponse message)
        {
        }

        public readonly void OnNSetResponse(in NSetResponse message)
        {
        }

        public readonly void OnNActionResponse(in NActionResponse message)
        {
        }

        public readonly void OnNCreateResponse(in NCreateResponse message)
        {
        }

        public readonly void OnNDeleteResponse(in NDeleteResponse message)
        {
        }

        public void OnInvalidCommand(ushort commandField, in CommandSetError error) => Error = error.ToString();

        /// <summary>0x0211 Unrecognized Operation (PS3.7 Annex C).</summary>
        private const ushort Unrecognized = 0x0211;
    }
}
