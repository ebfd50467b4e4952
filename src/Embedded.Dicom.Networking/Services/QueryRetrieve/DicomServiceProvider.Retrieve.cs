using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Dimse;
using Microsoft.Win32.SafeHandles;

namespace Embedded.Dicom.Networking.Services;

/// <summary>
/// The C-MOVE SCP (PS3.4 C.4.2.3) of the service provider. It runs like a C-FIND (see
/// <c>DicomServiceProvider.Query.cs</c>): on its own task, tracked as the running operation, so that the read loop
/// keeps reading and a C-CANCEL-RQ (PS3.7 §9.3.4.3) stops the sub-operations. The instances are sent with C-STORE
/// on a separate association to the move destination (PS3.4 C.4.2.2), one at a time, each followed by a Pending
/// C-MOVE-RSP with the sub-operation counters (PS3.4 C.4.2.1.6).
/// </summary>
/// <remarks>
/// C-GET (PS3.4 C.4.3.3) runs the same way, but its C-STOREs travel on this association, only on contexts where
/// the requestor was granted the SCP role (PS3.7 D.3.3.4): the get task writes them, and their C-STORE-RSPs,
/// read by the loop, are handed to it (<see cref="TryDeliverStoreResponse"/>).
/// </remarks>
public sealed partial class DicomServiceProvider
{
    private readonly RetrieveServiceOptions? _retrieve;
    private TaskCompletionSource<(ushort MessageId, ushort Status)>? _getStoreResponse;

    /// <summary>Serves <paramref name="association"/>, answering C-FIND with <paramref name="query"/> and C-MOVE with <paramref name="retrieve"/>.</summary>
    public DicomServiceProvider(DicomAssociation association, IStorageHandler? storage, IQueryHandler? query, RetrieveServiceOptions? retrieve, int id = 0,
        Action<int, string>? log = null)
        : this(association, storage, query, id, log) => _retrieve = retrieve;

    private IDataSetSink? OpenRetrieveIdentifier(ReadOnlySpan<byte> commandSet)
    {
        if (_retrieve is null || !CommandSetPrimitives.TryPeekCommandField(commandSet, out ushort field, out _)
            || field is not ((ushort)CommandField.CMoveRequest or (ushort)CommandField.CGetRequest))
        {
            return null;
        }

        _incomingIdentifier ??= new IdentifierBuffer(MaxIdentifierLength);
        _incomingIdentifier.Reset();
        return _incomingIdentifier;
    }

    /// <summary>Starts a C-MOVE-RQ when retrieval is configured; false for any other message.</summary>
    private bool TryStartRetrieve(in DimseReceiveResult received, CancellationToken cancellationToken)
    {
        ReadOnlySpan<byte> commandSet = received.CommandSet.Span;
        if (_retrieve is null || !CommandSetPrimitives.TryPeekCommandField(commandSet, out ushort field, out _))
        {
            return false;
        }

        CMoveRequest move = default;
        CGetRequest get = default;
        if (!(field == (ushort)CommandField.CMoveRequest && CMoveRequest.TryDecode(commandSet, out move, out _))
            && !(field == (ushort)CommandField.CGetRequest && CGetRequest.TryDecode(commandSet, out get, out _)))
        {
            return false;
        }

        // The same two-buffer swap as a find: the move keeps this identifier, the next request lands in the other.
        IdentifierBuffer identifier = _incomingIdentifier ??= new IdentifierBuffer(MaxIdentifierLength);
        _incomingIdentifier = _findIdentifier;
        _findIdentifier = identifier;
        if (!received.HadDataSet)
        {
            identifier.Reset();
        }

        TransferSyntax syntax = _association.Negotiated.GetContext(received.PresentationContextId)!.TransferSyntax!;
        _findCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (field == (ushort)CommandField.CMoveRequest)
        {
            _findMessageId = move.MessageID;
            _find = RunMoveAsync(received.PresentationContextId, move, syntax, identifier, _findCancellation.Token);
        }
        else
        {
            _findMessageId = get.MessageID;
            _find = RunGetAsync(received.PresentationContextId, get, syntax, identifier, _findCancellation.Token);
        }

        return true;
    }

    /// <summary>While a C-GET runs, a C-STORE-RSP read by the loop answers its current sub-operation.</summary>
    private bool TryDeliverStoreResponse(in DimseReceiveResult received)
    {
        ReadOnlySpan<byte> commandSet = received.CommandSet.Span;
        if (!CommandSetPrimitives.TryPeekCommandField(commandSet, out ushort field, out _) || field != (ushort)CommandField.CStoreResponse)
        {
            return false;
        }

        if (CStoreResponse.TryDecode(commandSet, out CStoreResponse response, out _))
        {
            Volatile.Read(ref _getStoreResponse)?.TrySetResult((response.MessageIDBeingRespondedTo, response.Status));
        }

        return true; // a stray response is dropped
    }

    private async Task RunGetAsync(byte contextId, CGetRequest request, TransferSyntax syntax, IdentifierBuffer identifier, CancellationToken cancellationToken)
    {
        await Task.Yield(); // off the read loop's path
        var get = new MoveProgress();
        try
        {
            (ushort status, string? comment) = await GetAsync(contextId, request, syntax, identifier, get, cancellationToken).ConfigureAwait(false);
            CGetResponse response = get.GetResponse(request, status);
            if (comment is not null)
            {
                response.ErrorComment = LongString.Create(comment);
            }

            _association.WriteCommand(contextId, response);
            await _association.SendAsync(CancellationToken.None).ConfigureAwait(false);
            _log?.Invoke(_id, $"C-GET answered: {get.Completed} completed, {get.Failed} failed, {get.Warning} warning, final status {new DicomStatus(status)}{(comment is null ? "" : " (" + comment + ")")}");
        }
        catch (Exception e) when (e is DicomNetworkException or InvalidOperationException or ObjectDisposedException or TimeoutException)
        {
            _log?.Invoke(_id, "C-GET ended: " + e.Message);
            if (e is TimeoutException)
            {
                await _association.AbortAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            ArmIdleTimeout();
        }
    }

    /// <summary>Runs the C-GET sub-operations on this association; returns the final status (PS3.4 Table C.4-3) and comment.</summary>
    private async Task<(ushort Status, string? Comment)> GetAsync(byte contextId, CGetRequest request, TransferSyntax syntax, IdentifierBuffer identifier,
        MoveProgress get, CancellationToken cancellationToken)
    {
        QueryModel model = RetrieveInformationModel.GetGetModel(request.AffectedSOPClassUID);
        if (model == QueryModel.None)
        {
            return (DicomStatus.SopClassNotSupported.Code, "C-GET not supported for this SOP class");
        }

        (ushort status, string? comment, List<(string Path, Part10FileInfo Info)> files) = await SelectFilesAsync(model, syntax, identifier, get, cancellationToken).ConfigureAwait(false);
        if (status != 0 || files.Count == 0)
        {
            return (status, comment);
        }

        bool cancelled = false;
        ushort messageId = 0;
        foreach ((string path, Part10FileInfo info) in files)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }

            get.Remaining--;
            ushort stored = await StoreOnThisAssociationAsync(path, info, ++messageId).ConfigureAwait(false);
            switch (DicomStatus.Classify(stored))
            {
                case StatusCategory.Success:
                    get.Completed++;
                    break;
                case StatusCategory.Warning:
                    get.Warning++;
                    break;
                default:
                    get.Failed++;
                    break;
            }

            if (get.Remaining > 0)
            {
                _association.WriteCommand(contextId, get.GetResponse(request, 0xFF00));
                await _association.SendAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        return FinalStatus(get, cancelled);
    }

    /// <summary>
    /// One C-STORE sub-operation of a C-GET: on a context of the SOP class where the requestor is SCP, in the
    /// file's transfer syntax or one it converts to; returns the C-STORE-RSP status, or a failure when it cannot
    /// be sent (0x0122: no such context; 0xA702: the file cannot be opened).
    /// </summary>
    private async Task<ushort> StoreOnThisAssociationAsync(string path, Part10FileInfo info, ushort messageId)
    {
        TransferSyntax fileSyntax = TransferSyntax.Lookup(info.TransferSyntaxUid);
        NegotiatedPresentationContext? context = null;
        foreach (NegotiatedPresentationContext candidate in _association.Negotiated.PresentationContexts)
        {
            if (candidate.IsAccepted && candidate.RequestorIsScp && candidate.AbstractSyntax.Equals(info.MediaStorageSopClassUid)
                && (candidate.TransferSyntax!.Equals(fileSyntax) || DataSetTranscoder.CanTranscode(fileSyntax, candidate.TransferSyntax)))
            {
                if (context is null || candidate.TransferSyntax.Equals(fileSyntax))
                {
                    context = candidate;
                }
            }
        }

        if (context is null)
        {
            return DicomStatus.SopClassNotSupported.Code; // no context with the SCP role: a failed sub-operation
        }

        var answered = new TaskCompletionSource<(ushort MessageId, ushort Status)>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _getStoreResponse, answered);
        var store = new CStoreRequest
        {
            MessageID = messageId,
            AffectedSOPClassUID = info.MediaStorageSopClassUid,
            AffectedSOPInstanceUID = info.MediaStorageSopInstanceUid,
            Priority = 0,
        };
        if (!await SendFileAsync(_association, context, path, info, store).ConfigureAwait(false))
        {
            Volatile.Write(ref _getStoreResponse, null);
            return 0xA702;
        }

        // The loop reads the response; no answer within the DIMSE timeout aborts the association.
        (ushort respondedTo, ushort status) = await answered.Task.WaitAsync(_association.Timeouts.Dimse).ConfigureAwait(false);
        Volatile.Write(ref _getStoreResponse, null);
        return respondedTo == messageId ? status : (ushort)0xA702;
    }

    private async Task RunMoveAsync(byte contextId, CMoveRequest request, TransferSyntax syntax, IdentifierBuffer identifier, CancellationToken cancellationToken)
    {
        await Task.Yield(); // off the read loop's path
        var move = new MoveProgress();
        try
        {
            (ushort status, string? comment) = await MoveAsync(contextId, request, syntax, identifier, move, cancellationToken).ConfigureAwait(false);
            CMoveResponse response = move.Response(request, status);
            if (comment is not null)
            {
                response.ErrorComment = LongString.Create(comment);
            }

            _association.WriteCommand(contextId, response);
            await _association.SendAsync(CancellationToken.None).ConfigureAwait(false);
            _log?.Invoke(_id, $"C-MOVE to {request.MoveDestination} answered: {move.Completed} completed, {move.Failed} failed, {move.Warning} warning, final status {new DicomStatus(status)}{(comment is null ? "" : " (" + comment + ")")}");
        }
        catch (Exception e) when (e is DicomNetworkException or InvalidOperationException or ObjectDisposedException)
        {
            // Our association is gone (a Pending or the final response could not be sent): nobody to answer.
            _log?.Invoke(_id, "C-MOVE ended: " + e.Message);
        }
        finally
        {
            ArmIdleTimeout();
        }
    }

    /// <summary>Runs the sub-operations; returns the final status (PS3.4 Table C.4-2) and comment.</summary>
    private async Task<(ushort Status, string? Comment)> MoveAsync(byte contextId, CMoveRequest request, TransferSyntax syntax, IdentifierBuffer identifier,
        MoveProgress move, CancellationToken cancellationToken)
    {
        RetrieveServiceOptions retrieve = _retrieve!;
        QueryModel model = RetrieveInformationModel.GetMoveModel(request.AffectedSOPClassUID);
        if (model == QueryModel.None)
        {
            return (DicomStatus.SopClassNotSupported.Code, "C-MOVE not supported for this SOP class");
        }

        // PS3.4 C.4.2.1.5 / Table C.4-2: A801 Refused: Move Destination unknown.
        if (retrieve.FindDestination(request.MoveDestination) is not { } destination)
        {
            return (0xA801, $"move destination '{request.MoveDestination}' unknown");
        }

        (ushort status, string? comment, List<(string Path, Part10FileInfo Info)> files) = await SelectFilesAsync(model, syntax, identifier, move, cancellationToken).ConfigureAwait(false);
        if (status != 0 || files.Count == 0)
        {
            return (status, comment);
        }

        var contexts = new List<(DicomUid, DicomUid[])>();
        foreach ((_, Part10FileInfo info) in files)
        {
            AddContext(contexts, info);
        }

        DicomAssociation store;
        try
        {
            store = retrieve.Connect is null
                ? throw new DicomNetworkException(DicomNetworkFailure.ConnectFailed, "no connector configured")
                : await retrieve.Connect(destination, contexts, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DicomNetworkException or OperationCanceledException)
        {
            // A702: out of resources, unable to perform sub-operations; nothing was sent.
            move.Failed += move.Remaining;
            move.Remaining = 0;
            return cancellationToken.IsCancellationRequested ? (DicomStatus.Cancel.Code, null) : ((ushort)0xA702, $"cannot associate with {destination.AeTitle}: {e.Message}");
        }

        bool cancelled = false;
        try
        {
            ushort messageId = 0;
            foreach ((string path, Part10FileInfo info) in files)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    cancelled = true;
                    break;
                }

                move.Remaining--;
                try
                {
                    ushort stored = await StoreToDestinationAsync(store, path, info, ++messageId, request.MessageID).ConfigureAwait(false);
                    switch (DicomStatus.Classify(stored))
                    {
                        case StatusCategory.Success:
                            move.Completed++;
                            break;
                        case StatusCategory.Warning:
                            move.Warning++;
                            break;
                        default:
                            move.Failed++;
                            break;
                    }
                }
                catch (DicomNetworkException) when (store.IsEstablished)
                {
                    move.Failed++; // no context for this SOP class / transfer syntax, or the file vanished
                }
                catch (DicomNetworkException e)
                {
                    // The destination's association failed: what is left cannot be sent.
                    move.Failed += 1 + move.Remaining;
                    move.Remaining = 0;
                    return ((ushort)0xA702, $"association with {destination.AeTitle} failed: {e.Message}");
                }

                if (move.Remaining > 0)
                {
                    _association.WriteCommand(contextId, move.Response(request, 0xFF00));
                    await _association.SendAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await CloseAsync(store).ConfigureAwait(false);
        }

        return FinalStatus(move, cancelled);
    }

    /// <summary>
    /// The instances to send: the identifier checked (A701 for one too large, Cxxx invalid), the handler's
    /// selection, each file's meta group read (an unreadable file is a failed sub-operation).
    /// </summary>
    private async Task<(ushort Status, string? Comment, List<(string Path, Part10FileInfo Info)> Files)> SelectFilesAsync(QueryModel model, TransferSyntax syntax,
        IdentifierBuffer identifier, MoveProgress progress, CancellationToken cancellationToken)
    {
        var files = new List<(string Path, Part10FileInfo Info)>();
        if (CheckIdentifier(syntax, identifier) is { } invalid)
        {
            return (invalid.Status == DicomStatus.OutOfResources.Code ? (ushort)0xA701 : invalid.Status, invalid.ErrorComment, files);
        }

        var paths = new List<string>();
        try
        {
            QueryCompletion selected = await _retrieve!.Handler.SelectAsync(model, syntax, identifier.WrittenMemory, paths, cancellationToken).ConfigureAwait(false);
            if (selected.Status != 0)
            {
                return (selected.Status, selected.ErrorComment, files);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (DicomStatus.Cancel.Code, null, files);
        }
        catch (Exception e) when (e is not DicomNetworkException)
        {
            // A701: out of resources, unable to calculate the number of matches.
            return (0xA701, e.Message, files);
        }

        foreach (string path in paths)
        {
            try
            {
                files.Add((path, StorageScu.ReadFileInfo(path)));
            }
            catch (DicomNetworkException)
            {
                progress.Failed++;
            }
        }

        progress.Remaining = files.Count;
        return files.Count == 0 && progress.Failed > 0 ? ((ushort)0xA702, "no matching instance could be read", files) : ((ushort)0, null, files);
    }

    /// <summary>
    /// PS3.4 C.4.2.1.6, C.4.3.1.6 and Tables C.4-2, C.4-3: FE00 after a cancel (Remaining says what was not sent),
    /// B000 when some sub-operations failed or had warnings, A702 when none succeeded, 0000 otherwise.
    /// </summary>
    private static (ushort Status, string? Comment) FinalStatus(MoveProgress progress, bool cancelled)
    {
        if (cancelled)
        {
            return (DicomStatus.Cancel.Code, null);
        }

        if (progress.Failed == 0 && progress.Warning == 0)
        {
            return (0x0000, null);
        }

        return progress.Completed == 0 && progress.Warning == 0 ? ((ushort)0xA702, "every sub-operation failed") : ((ushort)0xB000, null);
    }

    /// <summary>
    /// One C-STORE sub-operation of a C-MOVE on the destination's association, carrying the Move Originator AE
    /// title and Message ID (PS3.7 §9.3.1.1, Table 9.3-1); returns the C-STORE-RSP status.
    /// </summary>
    /// <exception cref="DicomNetworkException">No context for the file (the association stays up), or the association failed.</exception>
    private async Task<ushort> StoreToDestinationAsync(DicomAssociation store, string path, Part10FileInfo info, ushort messageId, ushort originatorMessageId)
    {
        TransferSyntax fileSyntax = TransferSyntax.Lookup(info.TransferSyntaxUid);
        NegotiatedPresentationContext? context = store.Negotiated.FindContext(info.MediaStorageSopClassUid, fileSyntax);
        if (context is null || !(context.TransferSyntax!.Equals(fileSyntax) || DataSetTranscoder.CanTranscode(fileSyntax, context.TransferSyntax)))
        {
            throw new DicomNetworkException(DicomNetworkFailure.NoPresentationContext, $"{path}: the destination accepted no usable context for {info.MediaStorageSopClassUid}");
        }

        var request = new CStoreRequest
        {
            MessageID = messageId,
            AffectedSOPClassUID = info.MediaStorageSopClassUid,
            AffectedSOPInstanceUID = info.MediaStorageSopInstanceUid,
            Priority = 0,
            MoveOriginatorApplicationEntityTitle = _association.Negotiated.CallingAeTitle,
            MoveOriginatorMessageID = originatorMessageId,
        };
        if (!await SendFileAsync(store, context, path, info, request).ConfigureAwait(false))
        {
            return 0xA702; // the file could not be opened
        }

        DimseReceiveResult received = await store.ReceiveAsync(null, store.Timeouts.Dimse, CancellationToken.None).ConfigureAwait(false);
        ScuResponses.ThrowIfNotMessage(received);
        if (!CStoreResponse.TryDecode(received.CommandSet.Span, out CStoreResponse response, out _) || !response.Answers(request))
        {
            await store.AbortAsync().ConfigureAwait(false);
            throw new DicomNetworkException(DicomNetworkFailure.ProtocolError, "invalid C-STORE-RSP from the move destination");
        }

        return response.Status;
    }

    /// <summary>Writes a C-STORE-RQ and streams the file's data set (converted when the context's syntax differs); false when the file cannot be opened.</summary>
    private static async Task<bool> SendFileAsync(DicomAssociation association, NegotiatedPresentationContext context, string path, Part10FileInfo info, CStoreRequest request)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        using (handle)
        {
            TransferSyntax fileSyntax = TransferSyntax.Lookup(info.TransferSyntaxUid);
            TransferSyntax wire = context.TransferSyntax!;
            using var source = new FileDataSetSource(handle, info.DataSetOffset, info.FileLength, wire.Equals(fileSyntax) ? null : new DataSetTranscoder(fileSyntax, wire), path);
            association.WriteCommand(context.Id, request);
            await association.SendDataSetAsync(context.Id, source, CancellationToken.None).ConfigureAwait(false);
        }

        return true;
    }

    private static void AddContext(List<(DicomUid Sop, DicomUid[] Syntaxes)> contexts, Part10FileInfo info)
    {
        DicomUid[] syntaxes = info.TransferSyntaxUid.Equals(TransferSyntax.ExplicitVRLittleEndian.Uid) || info.TransferSyntaxUid.Equals(TransferSyntax.ImplicitVRLittleEndian.Uid)
            ? [TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid]
            : [info.TransferSyntaxUid, TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid];
        foreach ((DicomUid sop, DicomUid[] known) in contexts)
        {
            if (sop.Equals(info.MediaStorageSopClassUid) && known[0].Equals(syntaxes[0]))
            {
                return;
            }
        }

        contexts.Add((info.MediaStorageSopClassUid, syntaxes));
    }

    private async Task CloseAsync(DicomAssociation store)
    {
        try
        {
            if (store.IsEstablished)
            {
                await store.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (DicomNetworkException e)
        {
            _log?.Invoke(_id, "C-MOVE sub-operations' association: release failed: " + e.Message);
        }
        finally
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The sub-operation counters of one C-MOVE (PS3.4 C.4.2.1.6).</summary>
    private sealed class MoveProgress
    {
        public int Remaining;
        public int Completed;
        public int Failed;
        public int Warning;

        public CMoveResponse Response(in CMoveRequest request, ushort status)
        {
            CMoveResponse response = CMoveResponse.CreateFor(request, status);
            response.HasDataSet = false;
            // Remaining is sent with Pending and Cancel only (PS3.4 C.4.2.1.6); the other three always.
            if (status == 0xFF00 || status == DicomStatus.Cancel.Code)
            {
                response.NumberOfRemainingSuboperations = Clamp(Remaining);
            }

            response.NumberOfCompletedSuboperations = Clamp(Completed);
            response.NumberOfFailedSuboperations = Clamp(Failed);
            response.NumberOfWarningSuboperations = Clamp(Warning);
            return response;
        }

        public CGetResponse GetResponse(in CGetRequest request, ushort status)
        {
            CGetResponse response = CGetResponse.CreateFor(request, status);
            response.HasDataSet = false;
            if (status == 0xFF00 || status == DicomStatus.Cancel.Code)
            {
                response.NumberOfRemainingSuboperations = Clamp(Remaining);
            }

            response.NumberOfCompletedSuboperations = Clamp(Completed);
            response.NumberOfFailedSuboperations = Clamp(Failed);
            response.NumberOfWarningSuboperations = Clamp(Warning);
            return response;
        }

        private static ushort Clamp(int value) => (ushort)Math.Min(value, ushort.MaxValue);
    }
}
