using System;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.Networking.Pdu;

namespace Embedded.Dicom.Networking.Services;

/// <summary>The C-GET SCU (PS3.4 C.4.3): the instances come back as C-STOREs on the same association.</summary>
public static partial class RetrieveScu
{
    /// <summary>
    /// Adds a presentation context per storage SOP class in <paramref name="storageSopClasses"/> (Explicit and
    /// Implicit VR LE) with an SCP/SCU Role Selection sub-item asking for the SCP role (PS3.7 D.3.3.4): a C-GET
    /// SCP may send a C-STORE only on a context where that role was granted (PS3.4 C.4.3.2).
    /// </summary>
    public static void ProposeStorageAsScp(AAssociateRequest request, params DicomUid[] storageSopClasses)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte id = 1;
        foreach (PresentationContextRequest context in request.PresentationContexts)
        {
            id = Math.Max(id, (byte)(context.Id + 2));
        }

        foreach (DicomUid sopClass in storageSopClasses)
        {
            request.PresentationContexts.Add(new PresentationContextRequest(id, sopClass, QueryScu.TransferSyntaxes));
            request.UserInformation.RoleSelections.Add(new ScpScuRoleSelectionSubItem(sopClass, scuRole: false, scpRole: true));
            id += 2;
        }
    }

    /// <summary>
    /// Sends C-GET-RQ (PS3.7 §9.3.3.1) with <paramref name="identifier"/>, answers each C-STORE-RQ that arrives
    /// meanwhile with the status of the sink <paramref name="storage"/> opened for it (PS3.4 C.4.3.3: the C-STORE
    /// sub-operations use this association), calls <paramref name="onProgress"/> per Pending C-GET-RSP, and
    /// returns the final status and counters.
    /// </summary>
    /// <remarks>
    /// A C-STORE-RQ on a context where we were not granted the SCP role is answered 0x0124 (Refused: not
    /// authorized). Cancelling sends C-CANCEL-RQ (PS3.7 §9.3.3.3) and reads on to the final response, as
    /// <see cref="MoveAsync"/> does.
    /// </remarks>
    /// <exception cref="DicomNetworkException">No accepted context for the SOP class, an abort, a timeout or an invalid message.</exception>
    public static async Task<RetrieveResult> GetAsync(DicomAssociation association, DicomUid sopClassUid, QueryIdentifier identifier, ushort messageId,
        IStorageHandler storage, RetrieveProgressHandler? onProgress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(identifier);
        ArgumentNullException.ThrowIfNull(storage);
        cancellationToken.ThrowIfCancellationRequested();
        NegotiatedPresentationContext context = association.Negotiated.FindContext(sopClassUid, TransferSyntax.ExplicitVRLittleEndian)
            ?? throw new DicomNetworkException(DicomNetworkFailure.NoPresentationContext, $"the peer accepted no presentation context for {sopClassUid}");
        TransferSyntax syntax = context.TransferSyntax!;
        if (!syntax.IsLittleEndian || syntax.IsDeflated || syntax.IsEncapsulated)
        {
            throw new DicomNetworkException(DicomNetworkFailure.NoPresentationContext,
                $"the peer accepted {sopClassUid} only in {syntax.Name}; identifiers are sent in Explicit or Implicit VR Little Endian");
        }

        using var operation = new GetOperation(association, context.Id, messageId, storage);
        identifier.WriteTo(operation.Buffer, syntax);
        var request = new CGetRequest { MessageID = messageId, AffectedSOPClassUID = sopClassUid, Priority = 0 };
        association.WriteCommand(context.Id, request);
        await association.SendDataSetAsync(context.Id, operation.Buffer, cancellationToken).ConfigureAwait(false);
        return await operation.ReceiveAsync(request, onProgress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The SCU side of one C-GET. Two writers share the association here (the loop answering C-STOREs, and a
    /// cancel from the token's callback), so writes are serialized by a lock.
    /// </summary>
    private sealed class GetOperation(DicomAssociation association, byte contextId, ushort messageId, IStorageHandler storage) : IDataSetSinkProvider, IDisposable
    {
        private readonly SemaphoreSlim _writer = new(1, 1);
        private IStorageSink? _sink;
        private OperationCancel _cancel;

        public IdentifierBuffer Buffer { get; } = new(QueryScu.MaxIdentifierLength);

        public IDataSetSink OpenDataSet(ReadOnlySpan<byte> commandSet, NegotiatedPresentationContext context)
        {
            if (IsStoreRequest(commandSet) && CStoreRequest.TryDecode(commandSet, out CStoreRequest store, out _))
            {
                if (!context.RequestorIsScp)
                {
                    return DiscardingSink.Instance; // answered 0x0124 below
                }

                _sink = storage.Begin(new StorageRequest(store.AffectedSOPClassUID, store.AffectedSOPInstanceUID, context.TransferSyntax!,
                    association.Negotiated.CalledAeTitle, association.Negotiated.CallingAeTitle));
                return _sink;
            }

            Buffer.Reset(); // a final C-GET-RSP may carry a Failed SOP Instance UID List: read and dropped
            return Buffer;
        }

        public async Task<RetrieveResult> ReceiveAsync(CGetRequest request, RetrieveProgressHandler? onProgress, CancellationToken cancellationToken)
        {
            CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(static state => ((GetOperation)state!).RequestCancel(), this);
            try
            {
                int pending = 0;
                int received = 0;
                while (true)
                {
                    _sink = null;
                    DimseReceiveResult message = await association.ReceiveAsync(this, association.Timeouts.Dimse, CancellationToken.None).ConfigureAwait(false);
                    ScuResponses.ThrowIfNotMessage(message);
                    ReadOnlySpan<byte> commandSet = message.CommandSet.Span;
                    if (IsStoreRequest(commandSet))
                    {
                        if (!CStoreRequest.TryDecode(commandSet, out CStoreRequest store, out CommandSetError invalid))
                        {
                            await association.AbortAsync().ConfigureAwait(false);
                            throw new DicomNetworkException(DicomNetworkFailure.ProtocolError, "invalid C-STORE-RQ: " + invalid);
                        }

                        received++;
                        ushort status = _sink?.Status ?? 0x0124; // Refused: Not Authorized (no SCP role on that context)
                        CStoreResponse answer = CStoreResponse.CreateFor(store, status);
                        if (_sink?.ErrorComment is { } comment)
                        {
                            answer.ErrorComment = LongString.Create(comment);
                        }

                        await WriteAsync(message.PresentationContextId, answer).ConfigureAwait(false);
                        continue;
                    }

                    if (!CGetResponse.TryDecode(commandSet, out CGetResponse response, out CommandSetError error) || !response.Answers(request))
                    {
                        await association.AbortAsync().ConfigureAwait(false);
                        throw new DicomNetworkException(DicomNetworkFailure.ProtocolError,
                            "expected C-GET-RSP or C-STORE-RQ: " + (error.IsNone ? $"a response to message {response.MessageIDBeingRespondedTo}, not {messageId}" : error.ToString()));
                    }

                    var counts = new SubOperationCounts(response.NumberOfRemainingSuboperations, response.NumberOfCompletedSuboperations,
                        response.NumberOfFailedSuboperations, response.NumberOfWarningSuboperations);
                    if (DicomStatus.Classify(response.Status) != StatusCategory.Pending)
                    {
                        await registration.DisposeAsync().ConfigureAwait(false);
                        await _cancel.WhenSent().ConfigureAwait(false);

                        return new RetrieveResult(new DicomStatus(response.Status), response.ErrorComment?.ToString(), counts, pending,
                            _cancel.IsRequested, received);
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

        private static bool IsStoreRequest(ReadOnlySpan<byte> commandSet)
            => CommandSetPrimitives.TryPeekCommandField(commandSet, out ushort field, out _) && field == (ushort)CommandField.CStoreRequest;

        private async Task WriteAsync<T>(byte context, T command) where T : struct, IDimseCommand<T>
        {
            await _writer.WaitAsync().ConfigureAwait(false);
            try
            {
                association.WriteCommand(context, command);
                await association.SendAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _writer.Release();
            }
        }

        private void RequestCancel() => _cancel.Request(SendCancelAsync);

        private async Task SendCancelAsync()
        {
            try
            {
                // PS3.7 §9.3.3.3: C-CANCEL-GET-RQ carries only the Message ID being cancelled.
                await WriteAsync(contextId, new CCancelRequest { MessageIDBeingRespondedTo = messageId }).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DicomNetworkException or InvalidOperationException or ObjectDisposedException)
            {
                // The association failed; the receive loop reports it.
            }
        }

        public void Dispose()
        {
            Buffer.Dispose();
            _writer.Dispose();
        }
    }
}
