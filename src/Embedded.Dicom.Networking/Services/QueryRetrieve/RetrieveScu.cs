using System;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Dimse;

namespace Embedded.Dicom.Networking.Services;

/// <summary>The C-MOVE SOP classes of the Query/Retrieve service (PS3.4 C.6.1.1.4, C.6.2.1.4).</summary>
public static class RetrieveInformationModel
{
    /// <summary>Patient Root Query/Retrieve Information Model – MOVE, 1.2.840.10008.5.1.4.1.2.1.2.</summary>
    public static DicomUid PatientRootMove { get; } = DicomUid.Parse("1.2.840.10008.5.1.4.1.2.1.2");

    /// <summary>Study Root Query/Retrieve Information Model – MOVE, 1.2.840.10008.5.1.4.1.2.2.2.</summary>
    public static DicomUid StudyRootMove { get; } = DicomUid.Parse("1.2.840.10008.5.1.4.1.2.2.2");

    /// <summary>Patient Root Query/Retrieve Information Model – GET, 1.2.840.10008.5.1.4.1.2.1.3.</summary>
    public static DicomUid PatientRootGet { get; } = DicomUid.Parse("1.2.840.10008.5.1.4.1.2.1.3");

    /// <summary>Study Root Query/Retrieve Information Model – GET, 1.2.840.10008.5.1.4.1.2.2.3.</summary>
    public static DicomUid StudyRootGet { get; } = DicomUid.Parse("1.2.840.10008.5.1.4.1.2.2.3");

    /// <summary>The GET SOP class of a model (Patient or Study Root).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a Query/Retrieve root model.</exception>
    public static DicomUid GetGetSopClassUid(QueryModel model) => model switch
    {
        QueryModel.PatientRoot => PatientRootGet,
        QueryModel.StudyRoot => StudyRootGet,
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };

    /// <summary>The model of a GET SOP class UID, or <see cref="QueryModel.None"/>.</summary>
    public static QueryModel GetGetModel(in DicomUid sopClassUid)
        => sopClassUid.Equals(PatientRootGet) ? QueryModel.PatientRoot : sopClassUid.Equals(StudyRootGet) ? QueryModel.StudyRoot : QueryModel.None;

    /// <summary>The MOVE SOP class of a model (Patient or Study Root).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a Query/Retrieve root model.</exception>
    public static DicomUid GetMoveSopClassUid(QueryModel model) => model switch
    {
        QueryModel.PatientRoot => PatientRootMove,
        QueryModel.StudyRoot => StudyRootMove,
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };

    /// <summary>The model of a MOVE SOP class UID, or <see cref="QueryModel.None"/>.</summary>
    public static QueryModel GetMoveModel(in DicomUid sopClassUid)
        => sopClassUid.Equals(PatientRootMove) ? QueryModel.PatientRoot : sopClassUid.Equals(StudyRootMove) ? QueryModel.StudyRoot : QueryModel.None;
}

/// <summary>
/// The sub-operation counters of a C-MOVE / C-GET response, (0000,1020)-(0000,1023) (PS3.7 §9.3.4.2, PS3.4
/// C.4.2.1.6); null where the response did not carry the element (the final response may omit Remaining).
/// </summary>
public readonly record struct SubOperationCounts(ushort? Remaining, ushort? Completed, ushort? Failed, ushort? Warning)
{
    /// <inheritdoc/>
    public override string ToString()
        => $"remaining {Show(Remaining)}, completed {Show(Completed)}, failed {Show(Failed)}, warning {Show(Warning)}";

    private static string Show(ushort? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
}

/// <summary>Receives the counters of each Pending C-MOVE-RSP / C-GET-RSP (PS3.4 C.4.2.1.6, C.4.3.1.6); return false to cancel (C-CANCEL-RQ).</summary>
public delegate bool RetrieveProgressHandler(in SubOperationCounts progress);

/// <summary>How a C-MOVE or C-GET ended.</summary>
public sealed class RetrieveResult
{
    internal RetrieveResult(DicomStatus status, string? errorComment, SubOperationCounts counts, int pendingCount, bool cancelRequested, int received = 0)
    {
        Status = status;
        ErrorComment = errorComment;
        Counts = counts;
        PendingCount = pendingCount;
        CancelRequested = cancelRequested;
        ReceivedCount = received;
    }

    /// <summary>C-GET: the C-STORE sub-operations received on the association (whatever status we answered).</summary>
    public int ReceivedCount { get; }

    /// <summary>The final status: 0000, B000 (some sub-operations failed), FE00 Cancel, A701/A702, A801, A900, Cxxx …</summary>
    public DicomStatus Status { get; }

    /// <summary>(0000,0902) of the final response, if any.</summary>
    public string? ErrorComment { get; }

    /// <summary>The counters of the final response (PS3.4 C.4.2.1.6: completed, failed and warning are final there).</summary>
    public SubOperationCounts Counts { get; }

    /// <summary>How many Pending responses arrived.</summary>
    public int PendingCount { get; }

    /// <summary>True when C-CANCEL-RQ was sent.</summary>
    public bool CancelRequested { get; }
}

/// <summary>
/// The C-MOVE SCU of the Query/Retrieve service (PS3.4 C.4.2): asks the peer to send the matching instances to
/// another AE with C-STOREs on associations of its own, and reports the sub-operation counters as they come.
/// </summary>
public static partial class RetrieveScu
{
    /// <summary>
    /// Sends C-MOVE-RQ (PS3.7 §9.3.4.1) with <paramref name="identifier"/> (its (0008,0052) Query/Retrieve Level
    /// and the unique keys of the instances to move, PS3.4 C.4.2.2.1) and <paramref name="moveDestination"/>, then
    /// calls <paramref name="onProgress"/> for each Pending response until the final one, whose status and
    /// counters are the result.
    /// </summary>
    /// <remarks>
    /// Cancelling works as for C-FIND (PS3.7 §9.3.4.3): <paramref name="onProgress"/> returning false or
    /// <paramref name="cancellationToken"/> sends C-CANCEL-RQ once; the move then runs to its final response,
    /// normally FE00 with the counters of what was done (PS3.4 C.4.2.1.6).
    /// </remarks>
    /// <exception cref="DicomNetworkException">No accepted context for the SOP class, an abort, a timeout or an invalid response.</exception>
    public static async Task<RetrieveResult> MoveAsync(DicomAssociation association, DicomUid sopClassUid, QueryIdentifier identifier, AeTitle moveDestination,
        ushort messageId, RetrieveProgressHandler? onProgress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(identifier);
        cancellationToken.ThrowIfCancellationRequested();
        NegotiatedPresentationContext context = association.Negotiated.FindContext(sopClassUid, TransferSyntax.ExplicitVRLittleEndian)
            ?? throw new DicomNetworkException(DicomNetworkFailure.NoPresentationContext, $"the peer accepted no presentation context for {sopClassUid}");
        TransferSyntax syntax = context.TransferSyntax!;
        if (!syntax.IsLittleEndian || syntax.IsDeflated || syntax.IsEncapsulated)
        {
            throw new DicomNetworkException(DicomNetworkFailure.NoPresentationContext,
                $"the peer accepted {sopClassUid} only in {syntax.Name}; identifiers are sent in Explicit or Implicit VR Little Endian");
        }

        using var operation = new MoveOperation(association, context.Id, messageId);
        identifier.WriteTo(operation.Buffer, syntax);
        var request = new CMoveRequest { MessageID = messageId, AffectedSOPClassUID = sopClassUid, Priority = 0, MoveDestination = moveDestination };
        association.WriteCommand(context.Id, request);
        await association.SendDataSetAsync(context.Id, operation.Buffer, cancellationToken).ConfigureAwait(false);
        return await operation.ReceiveAsync(request, onProgress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The SCU side of one C-MOVE; its buffer takes the request identifier and any response data set (ignored).</summary>
    private sealed class MoveOperation(DicomAssociation association, byte contextId, ushort messageId) : IDataSetSinkProvider, IDisposable
    {
        private OperationCancel _cancel;

        public IdentifierBuffer Buffer { get; } = new(QueryScu.MaxIdentifierLength);

        public IDataSetSink OpenDataSet(ReadOnlySpan<byte> commandSet, NegotiatedPresentationContext context)
        {
            // A final response may carry an identifier with (0008,0058) Failed SOP Instance UID List (PS3.4
            // C.4.2.1.4.2); it is read and dropped.
            Buffer.Reset();
            return Buffer;
        }

        public async Task<RetrieveResult> ReceiveAsync(CMoveRequest request, RetrieveProgressHandler? onProgress, CancellationToken cancellationToken)
        {
            CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(static state => ((MoveOperation)state!).RequestCancel(), this);
            try
            {
                int pending = 0;
                while (true)
                {
                    // Not cancellable: a cancelled move must still be read to its final response (PS3.7 §9.3.4.3).
                    DimseReceiveResult received = await association.ReceiveAsync(this, association.Timeouts.Dimse, CancellationToken.None).ConfigureAwait(false);
                    ScuResponses.ThrowIfNotMessage(received);
                    if (!CMoveResponse.TryDecode(received.CommandSet.Span, out CMoveResponse response, out CommandSetError error) || !response.Answers(request))
                    {
                        await association.AbortAsync().ConfigureAwait(false);
                        throw new DicomNetworkException(DicomNetworkFailure.ProtocolError,
                            "invalid C-MOVE-RSP: " + (error.IsNone ? $"it answers message {response.MessageIDBeingRespondedTo}, not {messageId}" : error.ToString()));
                    }

                    var counts = new SubOperationCounts(response.NumberOfRemainingSuboperations, response.NumberOfCompletedSuboperations,
                        response.NumberOfFailedSuboperations, response.NumberOfWarningSuboperations);
                    if (DicomStatus.Classify(response.Status) != StatusCategory.Pending)
                    {
                        await registration.DisposeAsync().ConfigureAwait(false);
                        await _cancel.WhenSent().ConfigureAwait(false);

                        return new RetrieveResult(new DicomStatus(response.Status), response.ErrorComment?.ToString(), counts, pending, _cancel.IsRequested);
                    }

                    pending++;
                    if (!_cancel.IsRequested && onProgress is not null && !onProgress(in counts))
                    {
                        RequestCancel();
                    }
                }
            }
            finally
            {
                await registration.DisposeAsync().ConfigureAwait(false);
            }
        }

        private void RequestCancel() => _cancel.Request(SendCancelAsync);

        private async Task SendCancelAsync()
        {
            try
            {
                // PS3.7 §9.3.4.3 / Table 9.3-13: C-CANCEL-MOVE-RQ carries only the Message ID being cancelled.
                association.WriteCommand(contextId, new CCancelRequest { MessageIDBeingRespondedTo = messageId });
                await association.SendAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DicomNetworkException or InvalidOperationException or ObjectDisposedException)
            {
                // The association failed; the receive loop reports it.
            }
        }

        public void Dispose() => Buffer.Dispose();
    }
}
