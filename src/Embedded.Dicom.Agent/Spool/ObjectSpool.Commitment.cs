using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace Embedded.Dicom.Agent.Spool;

/// <summary>
/// The "keep until committed" policy (PS3.4 J.3): with it, a destination's Success moves the object's record from
/// queue/ to stored/, and the object stays in the spool until a Storage Commitment report says the destination
/// committed it. Requests are recorded in commitments/DEST/TXUID (the SEQs they name), so that a report that
/// arrives after a restart still finds its objects.
/// </summary>
/// <remarks>
/// Which steps are synced follows one rule: a lost step may only cause a resend or a repeated request, never a
/// loss. Queue → stored and the removal of committed records are not synced (lost, the object is sent or asked
/// about again); a commitment request is written durably before it is sent (a report must find it); a
/// commitment failure that ends in failed/ is written as <see cref="Fail"/> writes it.
/// </remarks>
public sealed partial class ObjectSpool
{
    /// <summary>The state marker of an object stored at a destination and waiting for its commitment.</summary>
    internal static readonly DeliveryFailure AwaitingCommitment = new(null, "stored, awaiting storage commitment", DateTimeOffset.MinValue);

    private readonly Dictionary<string, SortedSet<long>> _stored = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CommitmentRequest> _requests = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, long), int> _commitFailures = new();

    /// <summary>Objects stored at <paramref name="destination"/> and not committed yet.</summary>
    public int AwaitingCommitmentCount(string destination)
    {
        lock (_gate)
        {
            return _stored.TryGetValue(destination, out SortedSet<long>? set) ? set.Count : 0;
        }
    }

    /// <summary>Outstanding commitment requests to <paramref name="destination"/>.</summary>
    public int OutstandingCommitments(string destination)
    {
        lock (_gate)
        {
            int count = 0;
            foreach (CommitmentRequest request in _requests.Values)
            {
                count += request.Destination == destination ? 1 : 0;
            }

            return count;
        }
    }

    /// <summary>The destination answered Success or Warning and keeps the object only once it commits it: queued → stored.</summary>
    public void MarkStored(string destination, long sequence)
    {
        lock (_gate)
        {
            if (!_queued.TryGetValue(destination, out SortedSet<long>? queue) || !queue.Remove(sequence))
            {
                return;
            }

            Directory.CreateDirectory(Path.Combine(Root, "stored", destination));
            File.Move(RecordPath("queue", destination, sequence), RecordPath("stored", destination, sequence), overwrite: true);
            Set(_stored, destination).Add(sequence);
            _entries[sequence].States[destination] = AwaitingCommitment;
        }
    }

    /// <summary>
    /// Records a commitment request for up to <paramref name="max"/> stored objects not named by an outstanding
    /// request, durably, and returns them (empty: nothing to ask about).
    /// </summary>
    public List<SpoolObject> BeginCommitment(string destination, string transactionUid, int max)
    {
        lock (_gate)
        {
            var asked = new HashSet<long>();
            foreach (CommitmentRequest request in _requests.Values)
            {
                if (request.Destination == destination)
                {
                    asked.UnionWith(request.Sequences);
                }
            }

            var chosen = new List<SpoolObject>();
            if (_stored.TryGetValue(destination, out SortedSet<long>? stored))
            {
                foreach (long sequence in stored)
                {
                    if (chosen.Count == max)
                    {
                        break;
                    }

                    if (!asked.Contains(sequence))
                    {
                        chosen.Add(_entries[sequence].Object);
                    }
                }
            }

            if (chosen.Count == 0)
            {
                return chosen;
            }

            var text = new StringBuilder();
            var sequences = new List<long>(chosen.Count);
            foreach (SpoolObject item in chosen)
            {
                text.Append(Name(item.Sequence)).Append('\n');
                sequences.Add(item.Sequence);
            }

            string folder = Path.Combine(Root, "commitments", destination);
            Directory.CreateDirectory(folder);
            Durable.WriteAllText(Path.Combine(folder, transactionUid), text.ToString(), TempDirectory);
            Durable.SyncDirectory(folder);
            _requests[transactionUid] = new CommitmentRequest(destination, sequences, DateTimeOffset.UtcNow);
            return chosen;
        }
    }

    /// <summary>
    /// Applies a commitment report: committed objects are done for that destination (removed once no destination
    /// needs them); failed ones are queued to be sent again, or — after <paramref name="maxFailuresOf"/>(destination) reports
    /// that failed them — moved to the failed records with the reason. Objects the report does not mention stay
    /// stored and are asked about again. Returns false for an unknown transaction (already applied, or expired).
    /// </summary>
    public bool ApplyCommitment(string transactionUid, IReadOnlyCollection<string> committed, IReadOnlyDictionary<string, ushort> failed, Func<string, int> maxFailuresOf,
        out CommitmentOutcome outcome)
    {
        outcome = default;
        var requeued = new List<string>();
        lock (_gate)
        {
            if (!_requests.Remove(transactionUid, out CommitmentRequest? request))
            {
                return false;
            }

            string destination = request.Destination;
            int maxFailures = maxFailuresOf(destination);
            var committedSet = new HashSet<string>(committed, StringComparer.Ordinal);
            int done = 0, again = 0, gaveUp = 0, unanswered = 0;
            foreach (long sequence in request.Sequences)
            {
                if (!_entries.TryGetValue(sequence, out Entry? entry) || !_stored.TryGetValue(destination, out SortedSet<long>? stored) || !stored.Contains(sequence))
                {
                    continue; // purged or already settled meanwhile
                }

                string uid = entry.Object.Description.SopInstanceUid;
                if (committedSet.Contains(uid))
                {
                    stored.Remove(sequence);
                    _commitFailures.Remove((destination, sequence));
                    _janitor.Add(RecordPath("stored", destination, sequence));
                    entry.States.Remove(destination);
                    DropIfUnreferenced(entry, deferred: true);
                    done++;
                }
                else if (failed.TryGetValue(uid, out ushort reason))
                {
                    int failures = _commitFailures.TryGetValue((destination, sequence), out int n) ? n + 1 : 1;
                    stored.Remove(sequence);
                    if (failures >= maxFailures)
                    {
                        _commitFailures.Remove((destination, sequence));
                        var failure = new DeliveryFailure(reason, $"storage commitment failed {failures} time(s)", DateTimeOffset.UtcNow);
                        Directory.CreateDirectory(Path.Combine(Root, "failed", destination));
                        Durable.WriteAllText(RecordPath("failed", destination, sequence), SpoolRecord.Format(entry.Object.Description, entry.Object.Received, failure), TempDirectory);
                        Durable.SyncDirectory(Path.Combine(Root, "failed", destination));
                        File.Delete(RecordPath("stored", destination, sequence));
                        Set(_failed, destination).Add(sequence);
                        entry.States[destination] = failure;
                        gaveUp++;
                    }
                    else
                    {
                        _commitFailures[(destination, sequence)] = failures;
                        File.Move(RecordPath("stored", destination, sequence), RecordPath("queue", destination, sequence), overwrite: true);
                        Set(_queued, destination).Add(sequence);
                        entry.States[destination] = null;
                        again++;
                    }
                }
                else
                {
                    unanswered++;
                }
            }

            File.Delete(Path.Combine(Root, "commitments", destination, transactionUid));
            outcome = new CommitmentOutcome(destination, done, again, gaveUp, unanswered);
            if (again > 0)
            {
                requeued.Add(destination);
            }
        }

        RaiseQueued(requeued);
        return true;
    }

    /// <summary>Stored objects at <paramref name="destination"/> that no outstanding request names.</summary>
    public int UnrequestedCount(string destination)
    {
        lock (_gate)
        {
            if (!_stored.TryGetValue(destination, out SortedSet<long>? stored))
            {
                return 0;
            }

            int asked = 0;
            foreach (CommitmentRequest request in _requests.Values)
            {
                if (request.Destination == destination)
                {
                    foreach (long sequence in request.Sequences)
                    {
                        asked += stored.Contains(sequence) ? 1 : 0;
                    }
                }
            }

            return stored.Count - asked;
        }
    }

    /// <summary>Forgets a request whose N-ACTION did not go through (its objects are asked about again).</summary>
    public void CancelCommitment(string transactionUid)
    {
        lock (_gate)
        {
            if (_requests.Remove(transactionUid, out CommitmentRequest? request))
            {
                File.Delete(Path.Combine(Root, "commitments", request.Destination, transactionUid));
            }
        }
    }

    /// <summary>Forgets requests to <paramref name="destination"/> older than <paramref name="timeout"/> (no report came): their objects are asked about again. Returns how many.</summary>
    public int ExpireCommitments(string destination, TimeSpan timeout)
    {
        lock (_gate)
        {
            DateTimeOffset limit = DateTimeOffset.UtcNow - timeout;
            var expired = new List<string>();
            foreach ((string uid, CommitmentRequest request) in _requests)
            {
                if (request.Destination == destination && request.Sent < limit)
                {
                    expired.Add(uid);
                }
            }

            foreach (string uid in expired)
            {
                _requests.Remove(uid);
                File.Delete(Path.Combine(Root, "commitments", destination, uid));
            }

            return expired.Count;
        }
    }

    /// <summary>When the oldest outstanding request to <paramref name="destination"/> was sent; null when none is.</summary>
    public DateTimeOffset? OldestCommitment(string destination)
    {
        lock (_gate)
        {
            DateTimeOffset? oldest = null;
            foreach (CommitmentRequest request in _requests.Values)
            {
                if (request.Destination == destination && (oldest is null || request.Sent < oldest))
                {
                    oldest = request.Sent;
                }
            }

            return oldest;
        }
    }

    /// <summary>Reads the outstanding requests back (the time sent is the file's time).</summary>
    private void RecoverCommitments()
    {
        foreach (string folder in Directory.EnumerateDirectories(Path.Combine(Root, "commitments")))
        {
            string destination = Path.GetFileName(folder);
            foreach (string file in Directory.EnumerateFiles(folder))
            {
                var sequences = new List<long>();
                foreach (string line in File.ReadAllLines(file))
                {
                    if (TryParseName(line.Trim(), out long sequence))
                    {
                        sequences.Add(sequence);
                    }
                }

                _requests[Path.GetFileName(file)] = new CommitmentRequest(destination, sequences, new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero));
            }
        }
    }

    private sealed record CommitmentRequest(string Destination, List<long> Sequences, DateTimeOffset Sent);
}

/// <summary>What one commitment report did to a destination's objects.</summary>
/// <param name="Destination">The destination the request went to.</param>
/// <param name="Committed">Objects now done for it.</param>
/// <param name="Requeued">Objects it failed, queued to be sent again.</param>
/// <param name="Failed">Objects it failed too often, now in the failed records.</param>
/// <param name="Unanswered">Objects the report did not mention, to be asked about again.</param>
public readonly record struct CommitmentOutcome(string Destination, int Committed, int Requeued, int Failed, int Unanswered)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Committed} committed, {Requeued} failed and queued again, {Failed} failed for good, {Unanswered} not answered");
}
