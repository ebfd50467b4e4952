using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Agent.Spool;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Agent.Delivery;

/// <summary>
/// Sends one destination's queue, oldest object first (so per-study order holds), on one reused association,
/// in its own loop: a slow or dead destination never delays another. What each answer leads to (PS3.4 B.2.3):
/// <list type="bullet">
/// <item>Success (0x0000) or Warning (0x0001, 0xB000-0xBFFF): delivered; the record is removed.</item>
/// <item>Out of Resources (0xA700-0xA7FF) or Cancel (0xFE00): the destination is busy or full, not the object
/// wrong: the object stays queued and the destination backs off.</item>
/// <item>Any other failure (0xA900 data set does not match, 0xC000-0xCFFF cannot understand, 0x0122 SOP class not
/// supported, 0x0110 processing failure …), or no accepted presentation context for the object: the object moves
/// to the failed records with the status; retrying it unchanged would fail the same way.</item>
/// <item>No answer at all — connection refused, association rejected, A-ABORT, timeout, connection closed — the
/// object stays queued and the destination backs off: min(max, initial × 2^(n-1)) less random jitter.</item>
/// </list>
/// An object is never recorded as sent without a Success or Warning response for it.
/// </summary>
internal sealed class DestinationWorker
{
    private readonly DestinationConfig _config;
    private readonly AgentConfig _agent;
    private readonly ObjectSpool _spool;
    private readonly AgentGate _gate;
    private readonly Action<string> _log;
    private readonly Action<string>? _trace;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly object _statusLock = new();
    private readonly DestinationStatus _status;
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;

    public DestinationWorker(DestinationConfig config, AgentConfig agent, ObjectSpool spool, AgentGate gate, Action<string> log, Action<string>? trace)
    {
        _trace = trace;
        _config = config;
        _agent = agent;
        _spool = spool;
        _gate = gate;
        _log = log;
        _status = new DestinationStatus { Name = config.Name, Peer = $"{config.CalledAe}@{config.Host}:{config.Port}", State = "idle" };
    }

    public string Name => _config.Name;

    /// <summary>Raised when the worker's state changes (for status outputs).</summary>
    public event Action? StateChanged;

    /// <summary>Wakes the loop (objects queued, a rule changed, an operator retried).</summary>
    public void Wake()
    {
        lock (_statusLock)
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
    }

    /// <summary>Ends the current backoff (operator retry, flush).</summary>
    public void RetryNow()
    {
        lock (_statusLock)
        {
            _nextAttempt = DateTimeOffset.MinValue;
            _status.NextAttemptAt = null;
        }

        Wake();
    }

    public DestinationStatus Snapshot()
    {
        lock (_statusLock)
        {
            return new DestinationStatus
            {
                Name = _status.Name,
                Peer = _status.Peer,
                State = _status.State,
                Queued = _spool.QueuedCount(Name),
                Failed = _spool.FailedCount(Name),
                AwaitingCommitment = _spool.AwaitingCommitmentCount(Name),
                CommitmentRequests = _spool.OutstandingCommitments(Name),
                Sent = _status.Sent,
                ConsecutiveFailures = _status.ConsecutiveFailures,
                LastError = _status.LastError,
                LastErrorAt = _status.LastErrorAt,
                NextAttemptAt = _status.NextAttemptAt,
                LastSuccessAt = _status.LastSuccessAt,
            };
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        DicomAssociation? association = null;
        var proposed = new HashSet<(string, string)>();
        ushort messageId = 0;
        long sentSinceDrained = 0;
        DateTimeOffset lastActivity = DateTimeOffset.UtcNow;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                TimeSpan wait = TimeSpan.Zero;
                SpoolObject? item = null;
                DateTimeOffset now = DateTimeOffset.UtcNow;
                if (_gate.Paused)
                {
                    // Service mode: say goodbye properly, then stay quiet.
                    association = await CloseAsync(association, release: true).ConfigureAwait(false);
                    SetState("paused");
                    wait = Timeout.InfiniteTimeSpan;
                }
                else if (_gate.Held)
                {
                    // No traffic at all while held: not even an A-RELEASE (the association, if any, just idles).
                    SetState("held");
                    wait = Timeout.InfiniteTimeSpan;
                }
                else if (now < NextAttempt)
                {
                    SetState("backoff");
                    wait = NextAttempt - now;
                }
                else if (_config.StorageCommitment is { } commitment && CommitmentDue(commitment))
                {
                    (association, messageId) = await RequestCommitmentAsync(commitment, association, proposed, messageId, cancellationToken).ConfigureAwait(false);
                    lastActivity = DateTimeOffset.UtcNow;
                    continue;
                }
                else if (!_spool.TryGetNext(Name, _gate.FlushWatermark, out item))
                {
                    if (sentSinceDrained > 0)
                    {
                        _log($"{Name}: queue drained, {sentSinceDrained} object(s) delivered");
                        sentSinceDrained = 0;
                    }

                    wait = Timeout.InfiniteTimeSpan;
                    if (association is not null)
                    {
                        TimeSpan idle = now - lastActivity;
                        if (idle >= TimeSpan.FromMilliseconds(_agent.IdleReleaseMs))
                        {
                            association = await CloseAsync(association, release: true).ConfigureAwait(false);
                        }
                        else
                        {
                            wait = TimeSpan.FromMilliseconds(_agent.IdleReleaseMs) - idle;
                        }
                    }

                    SetState(_spool.QueuedCount(Name) > 0 ? "waiting-for-flush"
                        : _spool.AwaitingCommitmentCount(Name) > 0 ? "awaiting-commitment"
                        : association is null ? "idle" : "connected");
                    if (_config.StorageCommitment is { } pending && _spool.OldestCommitment(Name) is { } oldest)
                    {
                        // Wake when the oldest request times out, to ask again.
                        TimeSpan expiry = oldest.AddMilliseconds(pending.TimeoutMs) - now;
                        expiry = expiry < TimeSpan.Zero ? TimeSpan.Zero : expiry + TimeSpan.FromMilliseconds(10);
                        wait = wait == Timeout.InfiniteTimeSpan || expiry < wait ? expiry : wait;
                    }
                }

                if (item is null)
                {
                    try
                    {
                        await _wake.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }

                    continue;
                }

                long sentBefore = _status.Sent;
                (association, messageId) = await SendAsync(item, association, proposed, messageId, cancellationToken).ConfigureAwait(false);
                sentSinceDrained += _status.Sent - sentBefore;
                lastActivity = DateTimeOffset.UtcNow;
            }
        }
        finally
        {
            await CloseAsync(association, release: true).ConfigureAwait(false);
            SetState("stopped");
        }
    }

    private DateTimeOffset NextAttempt
    {
        get
        {
            lock (_statusLock)
            {
                return _nextAttempt;
            }
        }
    }

    private async Task<(DicomAssociation?, ushort)> SendAsync(SpoolObject item, DicomAssociation? association, HashSet<(string, string)> proposed, ushort messageId,
        CancellationToken cancellationToken)
    {
        try
        {
            item.FileInfo ??= StorageScu.ReadFileInfo(item.DataPath);
            Part10FileInfo info = item.FileInfo;
            (string, string) key = (info.MediaStorageSopClassUid.ToString(), info.TransferSyntaxUid.ToString());
            if (association is not { IsEstablished: true } || !proposed.Contains(key))
            {
                association = await CloseAsync(association, release: true).ConfigureAwait(false);
                SetState("connecting");
                association = await DicomClient.ConnectAsync(Options(), Contexts(item, proposed), cancellationToken).ConfigureAwait(false);
                messageId = 0;
            }

            SetState("sending");

            StoreResult result = await StorageScu.StoreFileAsync(association, item.DataPath, info, ++messageId, cancellationToken).ConfigureAwait(false);
            if (result.IsStored)
            {
                if (_config.StorageCommitment is null)
                {
                    _spool.Complete(Name, item.Sequence);
                }
                else
                {
                    _spool.MarkStored(Name, item.Sequence); // kept until a commitment report says committed
                }

                if (result.Status.Code != 0)
                {
                    _log($"{Name}: stored with warning {result.Status}{Comment(result.ErrorComment)}: {item.Description.SopInstanceUid}");
                }
                else
                {
                    _trace?.Invoke($"{Name}: sent {item.Description.SopInstanceUid}");
                }

                lock (_statusLock)
                {
                    _status.Sent++;
                    _status.ConsecutiveFailures = 0;
                    _status.LastSuccessAt = DateTimeOffset.UtcNow;
                }
            }
            else if (IsTransient(result.Status.Code))
            {
                Backoff($"{result.Status}{Comment(result.ErrorComment)} for {item.Description.SopInstanceUid}; kept queued");
            }
            else
            {
                _spool.Fail(Name, item.Sequence, new DeliveryFailure(result.Status.Code, result.ErrorComment ?? "", DateTimeOffset.UtcNow));
                Record($"{result.Status}{Comment(result.ErrorComment)}");
                _log($"{Name}: FAILED {result.Status}{Comment(result.ErrorComment)}: {item.Description.SopInstanceUid} -> failed records");
            }
        }
        catch (DicomNetworkException e) when (e.Failure is DicomNetworkFailure.NoPresentationContext or DicomNetworkFailure.LocalError)
        {
            // The peer takes no context for this SOP class / transfer syntax, or the spooled file is unreadable:
            // the same object would fail again, so it is set aside; the association (if still up) goes on.
            _spool.Fail(Name, item.Sequence, new DeliveryFailure(null, e.Message, DateTimeOffset.UtcNow));
            Record(e.Message);
            _log($"{Name}: FAILED {item.Description.SopInstanceUid}: {e.Message} -> failed records");
            if (association is { IsEstablished: false })
            {
                association = await CloseAsync(association, release: false).ConfigureAwait(false);
            }
        }
        catch (DicomNetworkException e)
        {
            association = await CloseAsync(association, release: false).ConfigureAwait(false);
            Backoff($"{e.Failure}: {e.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the object stays queued; the association is aborted in RunAsync's finally.
            association = await CloseAsync(association, release: false).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // The spool could not record the outcome (disk full, I/O error): the record still says queued, so the
            // object will be sent again (a duplicate, never a loss).
            Backoff($"spool: {e.Message}");
        }

        return (association, messageId);
    }

    /// <summary>
    /// A commitment request is due when <see cref="CommitmentConfig.Batch"/> stored objects wait for one, or the
    /// queue (up to the flush point) is empty and some do; requests without a report past their timeout are
    /// dropped first, so that their objects are asked about again.
    /// </summary>
    private bool CommitmentDue(CommitmentConfig commitment)
    {
        int expired = _spool.ExpireCommitments(Name, TimeSpan.FromMilliseconds(commitment.TimeoutMs));
        if (expired > 0)
        {
            _log($"{Name}: {expired} storage commitment request(s) without a report after {commitment.TimeoutMs / 1000.0:0.#} s; asking again");
        }

        int unrequested = _spool.UnrequestedCount(Name);
        return unrequested >= commitment.Batch || (unrequested > 0 && !_spool.TryGetNext(Name, _gate.FlushWatermark, out _));
    }

    /// <summary>
    /// N-ACTION "Request Storage Commitment" for the stored objects no request names yet (PS3.4 J.3.2), recorded
    /// in the spool first; the report is applied when it comes on this association within
    /// <see cref="CommitmentConfig.WaitMs"/>, otherwise when it reaches the agent's commitment listener.
    /// </summary>
    private async Task<(DicomAssociation?, ushort)> RequestCommitmentAsync(CommitmentConfig commitment, DicomAssociation? association, HashSet<(string, string)> proposed,
        ushort messageId, CancellationToken cancellationToken)
    {
        string transaction = DicomUid.NewUid().ToString();
        List<SpoolObject> items = _spool.BeginCommitment(Name, transaction, commitment.Batch);
        if (items.Count == 0)
        {
            return (association, messageId);
        }

        var references = new List<SopReference>(items.Count);
        foreach (SpoolObject item in items)
        {
            references.Add(new SopReference(DicomUid.Parse(item.Description.SopClassUid), DicomUid.Parse(item.Description.SopInstanceUid)));
        }

        try
        {
            if (association is not { IsEstablished: true })
            {
                association = await CloseAsync(association, release: true).ConfigureAwait(false);
                SetState("connecting");
                association = await DicomClient.ConnectAsync(Options(), Contexts(null, proposed), cancellationToken).ConfigureAwait(false);
                messageId = 0;
            }

            SetState("requesting-commitment");
            StorageCommitmentOutcome outcome = await StorageCommitmentScu.RequestAsync(association, DicomUid.Parse(transaction), references, ++messageId,
                TimeSpan.FromMilliseconds(commitment.WaitMs), ApplyReport, cancellationToken).ConfigureAwait(false);
            if (!outcome.ActionStatus.IsSuccessOrWarning)
            {
                _spool.CancelCommitment(transaction);
                Backoff($"storage commitment request refused: {outcome.ActionStatus}{Comment(outcome.ErrorComment)}");
            }
            else
            {
                _log($"{Name}: storage commitment requested for {items.Count} object(s), transaction {transaction}");
                if (outcome.Report is { } report)
                {
                    ApplyReport(report);
                }
            }

            if (!association.IsEstablished)
            {
                association = await CloseAsync(association, release: false).ConfigureAwait(false);
            }
        }
        catch (DicomNetworkException e)
        {
            // The request may not have arrived: forget it and ask again after the backoff. A report that still comes
            // for it finds no request and is ignored; the next request covers the same objects.
            _spool.CancelCommitment(transaction);
            association = await CloseAsync(association, release: false).ConfigureAwait(false);
            Backoff(e.Failure == DicomNetworkFailure.NoPresentationContext
                ? $"storage commitment: {e.Message} (the destination does not offer Storage Commitment; objects stay in the spool)"
                : $"storage commitment: {e.Failure}: {e.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _spool.CancelCommitment(transaction);
            association = await CloseAsync(association, release: false).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            Backoff($"spool: {e.Message}");
        }

        return (association, messageId);
    }

    /// <summary>Applies a commitment report (from the association or the agent's listener) to the spool.</summary>
    public void ApplyReport(StorageCommitmentResult report) => ApplyReport(_spool, _agent, report, _log);

    /// <summary>Applies a commitment report to the spool; false when no outstanding request has its transaction UID.</summary>
    internal static bool ApplyReport(ObjectSpool spool, AgentConfig agent, StorageCommitmentResult report, Action<string> log)
    {
        var committed = new List<string>(report.Committed.Count);
        foreach (SopReference reference in report.Committed)
        {
            committed.Add(reference.SopInstanceUid.ToString());
        }

        var failed = new Dictionary<string, ushort>(StringComparer.Ordinal);
        foreach (CommitmentFailure failure in report.Failed)
        {
            failed[failure.Reference.SopInstanceUid.ToString()] = failure.FailureReason;
        }

        string transaction = report.TransactionUid.ToString();
        if (!spool.ApplyCommitment(transaction, committed, failed, name => MaxFailures(agent, name), out CommitmentOutcome outcome))
        {
            log($"storage commitment report for unknown transaction {transaction} ignored (answered already, expired or cancelled)");
            return false;
        }

        log($"{outcome.Destination}: storage commitment {transaction}: {outcome}");
        foreach (CommitmentFailure failure in report.Failed)
        {
            log($"{outcome.Destination}: not committed: {failure.Reference.SopInstanceUid} {failure.Describe()}");
        }

        return true;
    }

    private static int MaxFailures(AgentConfig agent, string destination)
    {
        foreach (DestinationConfig d in agent.Destinations)
        {
            if (d.Name == destination)
            {
                return d.StorageCommitment?.MaxFailures ?? 1;
            }
        }

        return 1;
    }

    /// <summary>PS3.4 B.2.3: 0xA7xx Refused: Out of Resources; 0xFE00 Cancel. Everything else that is not success is the object's fault.</summary>
    internal static bool IsTransient(ushort status) => (status & 0xFF00) == 0xA700 || status == 0xFE00;

    private void Backoff(string error)
    {
        lock (_statusLock)
        {
            int failures = ++_status.ConsecutiveFailures;
            RetryConfig retry = _agent.Retry;
            double delay = Math.Min(retry.MaxMs, retry.InitialMs * Math.Pow(2, Math.Min(failures - 1, 30)));
            delay *= 1 - (retry.Jitter * Random.Shared.NextDouble());
            _nextAttempt = DateTimeOffset.UtcNow.AddMilliseconds(delay);
            _status.NextAttemptAt = _nextAttempt;
            _status.LastError = error;
            _status.LastErrorAt = DateTimeOffset.UtcNow;
            _log($"{Name}: {error}; retry #{failures} in {delay / 1000:0.0} s");
        }

        SetState("backoff");
    }

    private void Record(string error)
    {
        lock (_statusLock)
        {
            _status.LastError = error;
            _status.LastErrorAt = DateTimeOffset.UtcNow;
        }
    }

    private void SetState(string state)
    {
        bool changed;
        lock (_statusLock)
        {
            changed = _status.State != state;
            _status.State = state;
        }

        if (changed)
        {
            StateChanged?.Invoke();
        }
    }

    private DicomClientOptions Options() => new()
    {
        Host = _config.Host,
        Port = _config.Port,
        CallingAeTitle = AeTitle.Parse(_agent.AeTitle),
        CalledAeTitle = AeTitle.Parse(_config.CalledAe),
        MaximumLength = (uint)_config.MaxPdu,
        Timeouts = new AssociationTimeouts
        {
            Connect = TimeSpan.FromMilliseconds(_config.ConnectTimeoutMs),
            Acse = TimeSpan.FromMilliseconds(_config.AcseTimeoutMs),
            Dimse = TimeSpan.FromMilliseconds(_config.DimseTimeoutMs),
        },
    };

    /// <summary>
    /// Presentation contexts for this object and the next queued ones (up to 64 SOP class / transfer syntax pairs,
    /// so that a mixed queue does not renegotiate per object); each proposes the file's syntax and both uncompressed
    /// little-endian ones, which the SCU converts to on the fly.
    /// </summary>
    private List<(DicomUid, DicomUid[])> Contexts(SpoolObject? first, HashSet<(string, string)> proposed)
    {
        proposed.Clear();
        var contexts = new List<(DicomUid, DicomUid[])>();
        if (_config.StorageCommitment is not null)
        {
            // Every association can carry the commitment request for what it stored (PS3.4 J.3).
            contexts.Add((StorageCommitment.SopClassUid, QueryScu.TransferSyntaxes));
        }

        List<SpoolObject> upcoming = _spool.PeekQueued(Name, 256);
        if (first is not null)
        {
            upcoming.Insert(0, first);
        }

        foreach (SpoolObject next in upcoming)
        {
            if (next.FileInfo is null)
            {
                try
                {
                    next.FileInfo = StorageScu.ReadFileInfo(next.DataPath); // after a restart: read once, kept
                }
                catch (DicomNetworkException)
                {
                    continue; // unreadable: it fails on its own turn
                }
            }

            Part10FileInfo info = next.FileInfo;

            if (contexts.Count >= 64)
            {
                break;
            }

            if (proposed.Add((info.MediaStorageSopClassUid.ToString(), info.TransferSyntaxUid.ToString())))
            {
                var syntaxes = new List<DicomUid> { info.TransferSyntaxUid };
                foreach (TransferSyntax uncompressed in (ReadOnlySpan<TransferSyntax>)[TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian])
                {
                    if (!syntaxes.Contains(uncompressed.Uid))
                    {
                        syntaxes.Add(uncompressed.Uid);
                    }
                }

                contexts.Add((info.MediaStorageSopClassUid, syntaxes.ToArray()));
            }
        }

        return contexts;
    }

    private static string Comment(string? comment) => string.IsNullOrEmpty(comment) ? "" : $" ({comment})";

    private static async Task<DicomAssociation?> CloseAsync(DicomAssociation? association, bool release)
    {
        if (association is null)
        {
            return null;
        }

        try
        {
            if (release && association.IsEstablished)
            {
                await association.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await association.AbortAsync().ConfigureAwait(false);
            }
        }
        catch (DicomNetworkException)
        {
            // Gone already: nothing to release.
        }

        await association.DisposeAsync().ConfigureAwait(false);
        return null;
    }
}
