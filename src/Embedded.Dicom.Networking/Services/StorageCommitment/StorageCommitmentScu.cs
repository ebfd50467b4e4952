using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Dimse;

namespace Embedded.Dicom.Networking.Services;

/// <summary>What a commitment request brought back on its own association.</summary>
public sealed class StorageCommitmentOutcome
{
    internal StorageCommitmentOutcome(DicomStatus actionStatus, string? errorComment, StorageCommitmentResult? report, bool peerReleased)
    {
        ActionStatus = actionStatus;
        ErrorComment = errorComment;
        Report = report;
        PeerReleased = peerReleased;
    }

    /// <summary>The N-ACTION response status: Success means the SCP took the request, not that anything is committed.</summary>
    public DicomStatus ActionStatus { get; }

    /// <summary>(0000,0902) Error Comment of the N-ACTION response.</summary>
    public string? ErrorComment { get; }

    /// <summary>The report, when it came on this association within the wait; null: it will come on a new association (or not at all).</summary>
    public StorageCommitmentResult? Report { get; }

    /// <summary>True when the SCP released the association while we waited for the report (it then reports on a new one).</summary>
    public bool PeerReleased { get; }
}

/// <summary>
/// The Storage Commitment Push Model SCU (PS3.4 J.3): N-ACTION "Request Storage Commitment" with a Transaction
/// UID and the instances, then the N-EVENT-REPORT — on the same association (<see cref="RequestAsync"/> with a
/// wait), or on an association the SCP opens back, accepted by a server that serves a
/// <see cref="StorageCommitmentReportReceiver"/>.
/// </summary>
public static class StorageCommitmentScu
{
    /// <summary>
    /// Sends the request and reads its response; then, when <paramref name="reportWait"/> is positive, waits
    /// that long for the N-EVENT-REPORT on this association and answers it. A report that arrives before the
    /// N-ACTION response is taken too. Reports of other transactions that arrive meanwhile go to
    /// <paramref name="otherReport"/> (an earlier request's, answered late).
    /// </summary>
    /// <remarks>
    /// When no report comes within the wait the association is aborted (a read cannot be withdrawn without it);
    /// use a zero wait and a <see cref="StorageCommitmentReportReceiver"/> for SCPs that report on a new
    /// association. A Success N-ACTION response only means the request was taken: nothing is committed until
    /// a report says so.
    /// </remarks>
    /// <exception cref="DicomNetworkException">No context for the SOP class, an abort or a timeout before the response, or an invalid message.</exception>
    public static async Task<StorageCommitmentOutcome> RequestAsync(DicomAssociation association, DicomUid transactionUid, IReadOnlyList<SopReference> references,
        ushort messageId, TimeSpan reportWait, Action<StorageCommitmentResult>? otherReport = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(references);
        NegotiatedPresentationContext context = association.Negotiated.FindContext(StorageCommitment.SopClassUid, TransferSyntax.ExplicitVRLittleEndian)
            ?? throw new DicomNetworkException(DicomNetworkFailure.NoPresentationContext, $"the peer accepted no presentation context for Storage Commitment ({StorageCommitment.SopClassUid})");
        TransferSyntax syntax = context.TransferSyntax!;
        if (!syntax.IsLittleEndian || syntax.IsDeflated || syntax.IsEncapsulated)
        {
            throw new DicomNetworkException(DicomNetworkFailure.NoPresentationContext, $"the peer accepted Storage Commitment only in {syntax.Name}");
        }

        using var buffer = new IdentifierBuffer(NormalizedScu.MaxResponseDataSetLength);
        StorageCommitment.WriteActionInformation(new DataSetWriter(buffer, syntax), transactionUid, references);
        association.WriteCommand(context.Id, new NActionRequest
        {
            MessageID = messageId, RequestedSOPClassUID = StorageCommitment.SopClassUid, RequestedSOPInstanceUID = StorageCommitment.SopInstanceUid,
            ActionTypeID = StorageCommitment.ActionRequestCommitment, HasDataSet = true,
        });
        await association.SendDataSetAsync(context.Id, buffer, cancellationToken).ConfigureAwait(false);

        var sink = new Sink(buffer);
        DicomStatus? status = null;
        string? comment = null;
        StorageCommitmentResult? report = null;
        while (true)
        {
            if (status is { } answered && (report is not null || reportWait <= TimeSpan.Zero || !answered.IsSuccessOrWarning))
            {
                return new StorageCommitmentOutcome(answered, comment, report, peerReleased: false);
            }

            buffer.Reset();
            DimseReceiveResult received;
            try
            {
                received = await association.ReceiveAsync(sink, status is null ? association.Timeouts.Dimse : reportWait, cancellationToken).ConfigureAwait(false);
            }
            catch (DicomNetworkException e) when (status is not null && e.Failure == DicomNetworkFailure.Timeout)
            {
                return new StorageCommitmentOutcome(status.Value, comment, null, peerReleased: false);
            }

            if (received.Kind == DimseReceiveKind.ReleaseRequested && status is not null)
            {
                await association.SendReleaseResponseAsync().ConfigureAwait(false);
                return new StorageCommitmentOutcome(status.Value, comment, null, peerReleased: true);
            }

            ScuResponses.ThrowIfNotMessage(received);
            ReadOnlySpan<byte> commandSet = received.CommandSet.Span;
            if (NActionResponse.TryDecode(commandSet, out NActionResponse response, out _) && response.MessageIDBeingRespondedTo == messageId)
            {
                status = new DicomStatus(response.Status);
                comment = response.ErrorComment?.ToString();
                continue;
            }

            if (NEventReportRequest.TryDecode(commandSet, out NEventReportRequest eventRequest, out _) && eventRequest.AffectedSOPClassUID.Equals(StorageCommitment.SopClassUid))
            {
                StorageCommitmentResult? parsed = null;
                string? error = "no event information";
                bool ok = received.HadDataSet && !buffer.Overflowed
                    && StorageCommitment.TryReadEventInformation(buffer.WrittenMemory, syntax, out parsed, out error);
                association.WriteCommand(received.PresentationContextId, new NEventReportResponse
                {
                    MessageIDBeingRespondedTo = eventRequest.MessageID, AffectedSOPClassUID = StorageCommitment.SopClassUid,
                    AffectedSOPInstanceUID = eventRequest.AffectedSOPInstanceUID, EventTypeID = eventRequest.EventTypeID,
                    Status = ok ? (ushort)0x0000 : (ushort)0x0110,
                    ErrorComment = ok ? (LongString?)null : LongString.Create(error!.Length > 64 ? error[..64] : error),
                });
                await association.SendAsync(cancellationToken).ConfigureAwait(false);
                if (!ok)
                {
                    throw new DicomNetworkException(DicomNetworkFailure.ProtocolError, "invalid Storage Commitment report: " + error);
                }

                if (parsed!.TransactionUid.Equals(transactionUid))
                {
                    report = parsed;
                }
                else
                {
                    otherReport?.Invoke(parsed);
                }

                continue;
            }

            await association.AbortAsync().ConfigureAwait(false);
            throw new DicomNetworkException(DicomNetworkFailure.ProtocolError, $"unexpected message while waiting for the Storage Commitment response/report of message {messageId}");
        }
    }

    private sealed class Sink(IdentifierBuffer buffer) : IDataSetSinkProvider
    {
        public IDataSetSink OpenDataSet(ReadOnlySpan<byte> commandSet, NegotiatedPresentationContext context) => buffer;
    }
}

/// <summary>
/// Receives Storage Commitment reports on associations the SCP opens back (PS3.4 J.3.3; the peer proposes the
/// SCP role, which our acceptor grants): serve it from a server whose policy accepts
/// <see cref="StorageCommitment.SopClassUid"/>. Each valid report is answered Success and handed to
/// <see cref="ReportReceived"/> and to whoever waits for its transaction.
/// </summary>
public sealed class StorageCommitmentReportReceiver : INormalizedHandler
{
    /// <summary>Reports kept for a later <see cref="WaitAsync"/> (oldest dropped first).</summary>
    public const int MaxUnclaimedReports = 1024;

    private readonly ConcurrentDictionary<DicomUid, TaskCompletionSource<StorageCommitmentResult>> _waiting = new();
    private readonly ConcurrentQueue<DicomUid> _order = new();

    /// <summary>
    /// Called on the association's read loop for each valid report, with the reporting AE title, before it is
    /// answered: a handler that throws <see cref="System.IO.IOException"/> gets the report answered 0x0110
    /// (Processing failure), so that a report is acknowledged only once it was recorded.
    /// </summary>
    public event Action<StorageCommitmentResult, AeTitle>? ReportReceived;

    /// <inheritdoc/>
    public bool IsSupported(in DicomUid sopClassUid) => sopClassUid.Equals(StorageCommitment.SopClassUid);

    /// <inheritdoc/>
    public NormalizedReply Handle(in NormalizedRequest request)
    {
        if (request.Operation != NormalizedOperation.EventReport)
        {
            return new NormalizedReply(0x0211, "only N-EVENT-REPORT is accepted here");
        }

        if (request.TypeId is not (StorageCommitment.EventAllCommitted or StorageCommitment.EventFailuresExist))
        {
            return new NormalizedReply(0x0113, $"no such event type {request.TypeId}"); // No such event type (PS3.7 C.5)
        }

        StorageCommitmentResult? result = null;
        string? error = "no event information";
        if (!request.HasDataSet || !StorageCommitment.TryReadEventInformation(request.DataSet, request.TransferSyntax, out result, out error))
        {
            return new NormalizedReply(0x0110, error);
        }

        ReportReceived?.Invoke(result!, request.CallingAeTitle);
        TaskCompletionSource<StorageCommitmentResult> waiter = _waiting.GetOrAdd(result!.TransactionUid, NewWaiter);
        if (waiter.TrySetResult(result))
        {
            _order.Enqueue(result.TransactionUid);
            while (_order.Count > MaxUnclaimedReports && _order.TryDequeue(out DicomUid old))
            {
                if (_waiting.TryGetValue(old, out TaskCompletionSource<StorageCommitmentResult>? done) && done.Task.IsCompleted)
                {
                    _waiting.TryRemove(old, out _);
                }
            }
        }

        return NormalizedReply.Success;
    }

    /// <summary>The report of <paramref name="transactionUid"/>, already received or still to come; null when none comes within <paramref name="timeout"/>.</summary>
    public async Task<StorageCommitmentResult?> WaitAsync(DicomUid transactionUid, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<StorageCommitmentResult> waiter = _waiting.GetOrAdd(transactionUid, NewWaiter);
        try
        {
            return await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            if (waiter.Task.IsCompleted)
            {
                _waiting.TryRemove(transactionUid, out _);
            }
        }
    }

    private static TaskCompletionSource<StorageCommitmentResult> NewWaiter(DicomUid _) => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
