using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Pdu;

namespace Embedded.Dicom.Networking.Services;

/// <summary>Opens the association on which a Storage Commitment SCP reports back to the requestor (TCP in the server).</summary>
public delegate Task<DicomAssociation> ReportAssociationConnector(MoveDestination requestor, AAssociateRequest request, CancellationToken cancellationToken);

/// <summary>Where a <see cref="StorageCommitmentProvider"/> sends its N-EVENT-REPORT (PS3.4 J.3.3).</summary>
public enum CommitmentReportMode
{
    /// <summary>
    /// On the association that carried the N-ACTION, right after its response; when the requestor released or
    /// aborted before answering, on a new association to it (the usual SCP behaviour, and DCMTK's).
    /// </summary>
    SameAssociationFirst,

    /// <summary>Always on a new association opened to the requestor (as Orthanc does).</summary>
    NewAssociation,
}

/// <summary>
/// The Storage Commitment Push Model SCP (PS3.4 J.3): answers N-ACTION "Request Storage Commitment" at once
/// with Success, decides for each referenced instance whether it is held (<see cref="Check"/>), and reports
/// the outcome with N-EVENT-REPORT (Event Type 1 or 2) as <see cref="Mode"/> says.
/// </summary>
/// <remarks>
/// A report on a new association goes to the requestor's AE title looked up in <see cref="Requestors"/> (the
/// same table as the C-MOVE destinations: an SCP only calls peers it was configured with), proposing the SOP
/// class with SCP/SCU Role Selection for the SCP role (PS3.4 J.3.3, PS3.7 D.3.3.4: the association requestor
/// is then the SCP of the service). Unreachable requestors are retried <see cref="ReportAttempts"/> times.
/// </remarks>
public sealed class StorageCommitmentProvider : INormalizedHandler, IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, Task> _reports = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _nextReport;

    /// <summary>An SCP that commits what <paramref name="check"/> holds.</summary>
    /// <param name="check">0 when the instance is held safely; otherwise the Failure Reason (e.g. 0x0112 no such instance).</param>
    public StorageCommitmentProvider(Func<SopReference, ushort> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        Check = check;
    }

    /// <summary>Decides each instance: 0 committed, otherwise its Failure Reason (PS3.4 J.3.3.1).</summary>
    public Func<SopReference, ushort> Check { get; }

    /// <summary>Where the report goes.</summary>
    public CommitmentReportMode Mode { get; init; } = CommitmentReportMode.SameAssociationFirst;

    /// <summary>The requestors a report may be sent to on a new association, by AE title.</summary>
    public IReadOnlyList<MoveDestination> Requestors { get; init; } = [];

    /// <summary>Opens report associations; null: reports go on the requesting association only.</summary>
    public ReportAssociationConnector? Connect { get; init; }

    /// <summary>Our AE title, the calling AE title of report associations.</summary>
    public AeTitle AeTitle { get; init; } = AeTitle.Parse("EDICOM");

    /// <summary>(0008,0054) Retrieve AE Title put in the reports; null: none.</summary>
    public string? RetrieveAeTitle { get; init; }

    /// <summary>Attempts to deliver a report on a new association before it is dropped (logged).</summary>
    public int ReportAttempts { get; init; } = 5;

    /// <summary>Wait between attempts (doubling each time).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Receives one line per commitment event.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Raised after each report was delivered (true) or given up (false).</summary>
    public event Action<StorageCommitmentResult, bool>? ReportCompleted;

    /// <summary>
    /// A check against the folder an <see cref="FileStorageHandler"/> writes: committed when the file of the
    /// instance exists and its Part 10 header names the same SOP class; 0x0112 when there is no such file,
    /// 0x0119 when the class differs, 0x0110 when the file cannot be read.
    /// </summary>
    public static Func<SopReference, ushort> ForFolder(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return reference =>
        {
            string path = Path.Combine(directory, FileStorageHandler.GetFileName(reference.SopInstanceUid));
            try
            {
                using FileStream stream = File.OpenRead(path);
                if (!Part10.TryReadFileMetaInformation(stream, out Part10FileInfo? info, out _))
                {
                    return 0x0110;
                }

                return info.MediaStorageSopInstanceUid.Equals(reference.SopInstanceUid)
                    ? (info.MediaStorageSopClassUid.Equals(reference.SopClassUid) ? (ushort)0 : (ushort)0x0119)
                    : (ushort)0x0112;
            }
            catch (FileNotFoundException)
            {
                return 0x0112;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return 0x0110;
            }
        };
    }

    /// <inheritdoc/>
    public bool IsSupported(in DicomUid sopClassUid) => sopClassUid.Equals(StorageCommitment.SopClassUid);

    /// <inheritdoc/>
    public NormalizedReply Handle(in NormalizedRequest request)
    {
        if (request.Operation != NormalizedOperation.Action)
        {
            return new NormalizedReply(0x0211, "only N-ACTION is served for Storage Commitment"); // Unrecognized operation
        }

        if (request.TypeId != StorageCommitment.ActionRequestCommitment)
        {
            return new NormalizedReply(0x0123, $"no such action type {request.TypeId}"); // No such action (PS3.7 C.5)
        }

        if (request.SopInstanceUid is not { } instance || !instance.Equals(StorageCommitment.SopInstanceUid))
        {
            return new NormalizedReply(0x0112, "the instance is 1.2.840.10008.1.20.1.1"); // No such SOP instance
        }

        var references = new List<SopReference>();
        DicomUid transactionUid = default;
        string? error = "no action information";
        if (!request.HasDataSet || !StorageCommitment.TryReadActionInformation(request.DataSet, request.TransferSyntax, out transactionUid, references, out error))
        {
            Log?.Invoke("commitment request refused: " + error);
            return new NormalizedReply(0x0120, error); // Missing attribute
        }

        var committed = new List<SopReference>();
        var failed = new List<CommitmentFailure>();
        foreach (SopReference reference in references)
        {
            ushort reason = Check(reference);
            if (reason == 0)
            {
                committed.Add(reference);
            }
            else
            {
                failed.Add(new CommitmentFailure(reference, reason));
            }
        }

        var result = new StorageCommitmentResult(transactionUid, committed, failed) { RetrieveAeTitle = RetrieveAeTitle };
        AeTitle requestor = request.CallingAeTitle;
        Log?.Invoke($"commitment request {transactionUid} from {requestor}: {committed.Count} committed, {failed.Count} failed");
        if (Mode == CommitmentReportMode.NewAssociation)
        {
            StartReport(requestor, result);
            return NormalizedReply.Success;
        }

        return new NormalizedReply(0x0000)
        {
            EventReport = new NormalizedEventReport
            {
                SopClassUid = StorageCommitment.SopClassUid,
                SopInstanceUid = StorageCommitment.SopInstanceUid,
                EventTypeId = result.EventTypeId,
                EventInformation = writer => StorageCommitment.WriteEventInformation(writer, result),
                Completed = (delivered, status) =>
                {
                    if (delivered && new DicomStatus(status).IsSuccessOrWarning)
                    {
                        Log?.Invoke($"commitment report {transactionUid} sent on the requesting association (answered 0x{status:X4})");
                        ReportCompleted?.Invoke(result, true);
                    }
                    else
                    {
                        // A refused report (e.g. 0x0110: the requestor could not record it) is not delivered either:
                        // retried on a new association, as a refusal there is (SendReportAsync).
                        Log?.Invoke(delivered
                            ? $"commitment report {transactionUid}: the requestor answered 0x{status:X4}; reporting on a new association"
                            : $"commitment report {transactionUid}: the requestor left before it; reporting on a new association");
                        StartReport(requestor, result);
                    }
                },
            },
        };
    }

    /// <summary>Starts delivering <paramref name="result"/> on a new association (one task per report, not per message).</summary>
    private void StartReport(AeTitle requestor, StorageCommitmentResult result)
    {
        int id = Interlocked.Increment(ref _nextReport);
        Task task = Task.Run(() => ReportAsync(requestor, result));
        _reports[id] = task;
        _ = task.ContinueWith(_ => _reports.TryRemove(id, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task ReportAsync(AeTitle requestor, StorageCommitmentResult result)
    {
        MoveDestination? destination = null;
        foreach (MoveDestination candidate in Requestors)
        {
            if (candidate.AeTitle.Equals(requestor))
            {
                destination = candidate;
            }
        }

        if (destination is null || Connect is null)
        {
            Log?.Invoke($"commitment report {result.TransactionUid} dropped: {requestor} is not a known peer (AE=HOST:PORT)");
            ReportCompleted?.Invoke(result, false);
            return;
        }

        TimeSpan delay = RetryDelay;
        for (int attempt = 1; attempt <= ReportAttempts; attempt++)
        {
            try
            {
                await SendReportAsync(destination, result, Connect, _stopping.Token).ConfigureAwait(false);
                Log?.Invoke($"commitment report {result.TransactionUid} sent to {destination.AeTitle} at {destination.Host}:{destination.Port}");
                ReportCompleted?.Invoke(result, true);
                return;
            }
            catch (Exception e) when (e is DicomNetworkException or IOException)
            {
                // IOException: the transport failed under the association (e.g. the requestor reset the connection);
                // without this the report task faulted unobserved: no retry, no log, no ReportCompleted.
                Log?.Invoke($"commitment report {result.TransactionUid} to {destination.AeTitle}, attempt {attempt}/{ReportAttempts}: {e.Message}");
            }
            catch (OperationCanceledException)
            {
                break;
            }

            try
            {
                await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay += delay;
        }

        Log?.Invoke($"commitment report {result.TransactionUid} given up");
        ReportCompleted?.Invoke(result, false);
    }

    /// <summary>
    /// Opens an association to <paramref name="destination"/> proposing the Storage Commitment SOP class with
    /// the SCP role for us (PS3.7 D.3.3.4), sends the N-EVENT-REPORT and releases.
    /// </summary>
    public static async Task SendReportAsync(MoveDestination destination, StorageCommitmentResult result, ReportAssociationConnector connect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(connect);
        var request = new AAssociateRequest();
        request.PresentationContexts.Add(new PresentationContextRequest(1, StorageCommitment.SopClassUid, QueryScu.TransferSyntaxes));
        request.UserInformation.RoleSelections.Add(new ScpScuRoleSelectionSubItem(StorageCommitment.SopClassUid, scuRole: false, scpRole: true));
        DicomAssociation association = await connect(destination, request, cancellationToken).ConfigureAwait(false);
        try
        {
            NormalizedResult answer = await NormalizedScu.EventReportAsync(association, StorageCommitment.SopClassUid, StorageCommitment.SopInstanceUid,
                result.EventTypeId, 1, (output, syntax) => StorageCommitment.WriteEventInformation(new DataSetWriter(output, syntax), result), cancellationToken).ConfigureAwait(false);
            if (!answer.Status.IsSuccessOrWarning)
            {
                throw new DicomNetworkException(DicomNetworkFailure.ProtocolError, $"the requestor answered the report {answer.Status}");
            }

            await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await association.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops retrying and waits for the reports under way.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        foreach (Task running in _reports.Values)
        {
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (Exception e) when (e is DicomNetworkException or OperationCanceledException or IOException)
            {
                // Logged by the report itself.
            }
        }

        _stopping.Dispose();
    }
}
