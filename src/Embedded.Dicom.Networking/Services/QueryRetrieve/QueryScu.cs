using System;
using System.Buffers;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Dimse;

namespace Embedded.Dicom.Networking.Services;

/// <summary>One match of a C-FIND: the identifier of a Pending C-FIND-RSP (PS3.4 C.4.1.3.1), valid during the callback only.</summary>
public readonly struct QueryMatch
{
    internal QueryMatch(ReadOnlyMemory<byte> identifier, TransferSyntax transferSyntax, ushort status, int index)
    {
        Identifier = identifier;
        TransferSyntax = transferSyntax;
        Status = new DicomStatus(status);
        Index = index;
    }

    /// <summary>The identifier's bytes, in <see cref="TransferSyntax"/>; reused for the next match, copy what you keep.</summary>
    public ReadOnlyMemory<byte> Identifier { get; }

    /// <summary>The transfer syntax of the presentation context.</summary>
    public TransferSyntax TransferSyntax { get; }

    /// <summary>FF00, or FF01 when the SCP did not support some optional keys.</summary>
    public DicomStatus Status { get; }

    /// <summary>0 for the first match, 1 for the next …</summary>
    public int Index { get; }

    /// <summary>A reader over the identifier (the whole data set: final block).</summary>
    public DataSetReader CreateReader() => new(new ReadOnlySequence<byte>(Identifier), isFinalBlock: true, new DataSetReaderState(TransferSyntax));
}

/// <summary>Receives each match as it arrives; return false to cancel the query (C-CANCEL-RQ, PS3.7 §9.3.2.3).</summary>
public delegate bool QueryMatchHandler(in QueryMatch match);

/// <summary>How a C-FIND ended.</summary>
public sealed class QueryResult
{
    internal QueryResult(DicomStatus status, string? errorComment, int matchCount, bool cancelRequested)
    {
        Status = status;
        ErrorComment = errorComment;
        MatchCount = matchCount;
        CancelRequested = cancelRequested;
    }

    /// <summary>The final status: 0000 Success, FE00 Cancel, a failure (A700, A900, Cxxx …) or a warning.</summary>
    public DicomStatus Status { get; }

    /// <summary>(0000,0902) of the final response, if any.</summary>
    public string? ErrorComment { get; }

    /// <summary>The matches handed to the callback (those that arrived after a cancel are not counted).</summary>
    public int MatchCount { get; }

    /// <summary>True when C-CANCEL-RQ was sent.</summary>
    public bool CancelRequested { get; }
}

/// <summary>
/// The C-FIND SCU of the Query/Retrieve (PS3.4 Annex C) and Modality Worklist (PS3.4 Annex K) services: sends
/// one C-FIND-RQ and streams each Pending response's identifier to the caller as it arrives.
/// </summary>
public static class QueryScu
{
    /// <summary>The transfer syntaxes to propose for a FIND context: the two the identifier writer encodes.</summary>
    public static DicomUid[] TransferSyntaxes => [TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid];

    /// <summary>Longest identifier accepted in a response; a longer one aborts the association.</summary>
    public const int MaxIdentifierLength = 4 * 1024 * 1024;

    /// <summary>
    /// Sends C-FIND-RQ (PS3.7 §9.1.2) with <paramref name="identifier"/> encoded in the presentation context's
    /// transfer syntax, then calls <paramref name="onMatch"/> for each Pending response (in order, on the
    /// receiving thread) until the final response, whose status is the result.
    /// </summary>
    /// <remarks>
    /// Cancelling: <paramref name="onMatch"/> returning false, or <paramref name="cancellationToken"/>, sends
    /// C-CANCEL-RQ (PS3.7 §9.3.2.3: same Message ID Being Responded To, no data set) once; the query then still
    /// runs to its final response, normally FE00 Cancel (or Success when the SCP had finished), because the
    /// association can only carry the next request after it. Matches still in flight are not delivered.
    /// Per match nothing is allocated: the identifier lands in one reused buffer.
    /// </remarks>
    /// <exception cref="DicomNetworkException">No accepted context for the SOP class in a syntax we can encode, an abort, a timeout or an invalid response.</exception>
    public static async Task<QueryResult> FindAsync(DicomAssociation association, DicomUid sopClassUid, QueryIdentifier identifier, ushort messageId,
        QueryMatchHandler onMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(identifier);
        ArgumentNullException.ThrowIfNull(onMatch);
        cancellationToken.ThrowIfCancellationRequested();
        NegotiatedPresentationContext context = association.Negotiated.FindContext(sopClassUid, TransferSyntax.ExplicitVRLittleEndian)
            ?? throw new DicomNetworkException(DicomNetworkFailure.NoPresentationContext, $"the peer accepted no presentation context for {sopClassUid}");
        TransferSyntax syntax = context.TransferSyntax!;
        if (!syntax.IsLittleEndian || syntax.IsDeflated || syntax.IsEncapsulated)
        {
            throw new DicomNetworkException(DicomNetworkFailure.NoPresentationContext,
                $"the peer accepted {sopClassUid} only in {syntax.Name}; queries are sent in Explicit or Implicit VR Little Endian");
        }

        using var operation = new FindOperation(association, context.Id, syntax, messageId);
        identifier.WriteTo(operation.Buffer, syntax);
        var request = new CFindRequest { MessageID = messageId, AffectedSOPClassUID = sopClassUid, Priority = 0 };
        association.WriteCommand(context.Id, request);
        await association.SendDataSetAsync(context.Id, operation.Buffer, cancellationToken).ConfigureAwait(false);
        return await operation.ReceiveAsync(request, onMatch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The state of one C-FIND on the SCU side; it is also the sink of each response's identifier.</summary>
    private sealed class FindOperation(DicomAssociation association, byte contextId, TransferSyntax syntax, ushort messageId) : IDataSetSinkProvider, IDisposable
    {
        private OperationCancel _cancel;

        public IdentifierBuffer Buffer { get; } = new(MaxIdentifierLength);

        public IDataSetSink OpenDataSet(ReadOnlySpan<byte> commandSet, NegotiatedPresentationContext context)
        {
            Buffer.Reset();
            return Buffer;
        }

        public async Task<QueryResult> ReceiveAsync(CFindRequest request, QueryMatchHandler onMatch, CancellationToken cancellationToken)
        {
            // Registered once the request is on the wire: from here on the writer is free, so the C-CANCEL-RQ may
            // be written from the token's callback while this loop waits in a read.
            CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(static state => ((FindOperation)state!).RequestCancel(), this);
            try
            {
                int matches = 0;
                while (true)
                {
                    // The token is not passed: cancelling the read would abort the association, and a cancelled
                    // query must still be read to its final response (PS3.7 §9.3.2.3).
                    DimseReceiveResult received = await association.ReceiveAsync(this, association.Timeouts.Dimse, CancellationToken.None).ConfigureAwait(false);
                    ScuResponses.ThrowIfNotMessage(received);
                    if (!CFindResponse.TryDecode(received.CommandSet.Span, out CFindResponse response, out CommandSetError error) || !response.Answers(request))
                    {
                        await association.AbortAsync().ConfigureAwait(false);
                        throw new DicomNetworkException(DicomNetworkFailure.ProtocolError,
                            "invalid C-FIND-RSP: " + (error.IsNone ? $"it answers message {response.MessageIDBeingRespondedTo}, not {messageId}" : error.ToString()));
                    }

                    if (DicomStatus.Classify(response.Status) != StatusCategory.Pending)
                    {
                        await registration.DisposeAsync().ConfigureAwait(false);
                        await _cancel.WhenSent().ConfigureAwait(false);

                        return new QueryResult(new DicomStatus(response.Status), response.ErrorComment?.ToString(), matches, _cancel.IsRequested);
                    }

                    if (Buffer.Overflowed)
                    {
                        await association.AbortAsync().ConfigureAwait(false);
                        throw new DicomNetworkException(DicomNetworkFailure.ProtocolError, $"a C-FIND-RSP identifier is longer than {MaxIdentifierLength} bytes");
                    }

                    if (_cancel.IsRequested)
                    {
                        continue; // in flight when we cancelled: not delivered
                    }

                    var match = new QueryMatch(received.HadDataSet ? Buffer.WrittenMemory : default, syntax, response.Status, matches++);
                    if (!onMatch(in match))
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
                // PS3.7 §9.3.2.3 / Table 9.3-5: C-CANCEL-RQ carries only the Message ID being cancelled, on the
                // request's presentation context (as DCMTK and pynetdicom send it).
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
