using System;
using System.Buffers;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Dimse;

namespace Embedded.Dicom.Networking.Services;

/// <summary>
/// The C-FIND SCP (PS3.4 C.4.1.3, K.4.1.3) of the service provider. A C-FIND-RQ starts a task that runs the
/// <see cref="IQueryHandler"/> and writes its responses, while the read loop goes on reading: the only message a
/// requestor may send meanwhile (without an asynchronous-operations window) is the C-CANCEL-RQ of PS3.7
/// §9.3.2.3, which cancels the handler's token. The read loop never writes while a find runs, and the find task
/// never reads: one writer and one reader, as <see cref="DicomAssociation"/> allows.
/// </summary>
public sealed partial class DicomServiceProvider
{
    /// <summary>Longest C-FIND identifier accepted (larger: 0xA700 Out of Resources, PS3.4 Table C.4-1).</summary>
    public const int MaxIdentifierLength = 1024 * 1024;

    private readonly IQueryHandler? _query;

    // Two identifier buffers: the running find reads one while a request arriving meanwhile lands in the other.
    private IdentifierBuffer? _incomingIdentifier;
    private IdentifierBuffer? _findIdentifier;
    private QueryResponder? _responder;
    private Task? _find;
    private ushort _findMessageId;
    private CancellationTokenSource? _findCancellation;
    private CancellationTokenSource? _afterFind;

    private IDataSetSink? OpenIdentifier(ReadOnlySpan<byte> commandSet)
    {
        if (_query is null || !CommandSetPrimitives.TryPeekCommandField(commandSet, out ushort field, out _) || field != (ushort)CommandField.CFindRequest)
        {
            return null;
        }

        _incomingIdentifier ??= new IdentifierBuffer(MaxIdentifierLength);
        _incomingIdentifier.Reset();
        return _incomingIdentifier;
    }

    /// <summary>Starts answering a C-FIND-RQ when there is a handler; false for any other message.</summary>
    private bool TryStartFind(in DimseReceiveResult received, CancellationToken cancellationToken)
    {
        ReadOnlySpan<byte> commandSet = received.CommandSet.Span;
        if (_query is null || !CommandSetPrimitives.TryPeekCommandField(commandSet, out ushort field, out _) || field != (ushort)CommandField.CFindRequest
            || !CFindRequest.TryDecode(commandSet, out CFindRequest request, out _))
        {
            return false; // an invalid command set is the dispatcher's to report
        }

        // The identifier just received becomes the find's; the other buffer takes the next request's.
        IdentifierBuffer identifier = _incomingIdentifier ??= new IdentifierBuffer(MaxIdentifierLength);
        _incomingIdentifier = _findIdentifier;
        _findIdentifier = identifier;
        if (!received.HadDataSet)
        {
            identifier.Reset(); // holds an older request's bytes (OpenDataSet was not called)
        }

        NegotiatedPresentationContext context = _association.Negotiated.GetContext(received.PresentationContextId)!;
        _responder ??= new QueryResponder(_association);
        _findMessageId = request.MessageID;
        _findCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _find = RunFindAsync(received.PresentationContextId, request, context.TransferSyntax!, identifier, _findCancellation.Token);
        return true;
    }

    /// <summary>A C-CANCEL-RQ for the running find cancels it (PS3.7 §9.3.2.3); one for another message ID is ignored.</summary>
    private bool TryCancelFind(in DimseReceiveResult received)
    {
        ReadOnlySpan<byte> commandSet = received.CommandSet.Span;
        if (!CommandSetPrimitives.TryPeekCommandField(commandSet, out ushort field, out _) || field != (ushort)CommandField.CCancelRequest)
        {
            return false;
        }

        if (CCancelRequest.TryDecode(commandSet, out CCancelRequest cancel, out _) && cancel.MessageIDBeingRespondedTo == _findMessageId)
        {
            _findCancellation!.Cancel();
        }

        return true;
    }

    /// <summary>
    /// Receives while a find runs. The requestor is silent while it waits for responses, so the idle timeout
    /// cannot run during the find; it starts when the find ends (the find task arms <see cref="_afterFind"/>),
    /// and its expiry aborts the association like any idle timeout.
    /// </summary>
    private async ValueTask<DimseReceiveResult> ReceiveDuringFindAsync(CancellationToken cancellationToken)
    {
        if (_afterFind is null || !_afterFind.TryReset())
        {
            _afterFind?.Dispose();
            _afterFind = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        if (_find!.IsCompleted)
        {
            ArmIdleTimeout(); // ended between the check in the loop and the reset above
        }

        return await _association.ReceiveAsync(this, Timeout.InfiniteTimeSpan, _afterFind.Token).ConfigureAwait(false);
    }

    private void ArmIdleTimeout()
    {
        try
        {
            if (_association.Timeouts.Idle != Timeout.InfiniteTimeSpan)
            {
                _afterFind?.CancelAfter(_association.Timeouts.Idle);
            }
        }
        catch (ObjectDisposedException)
        {
            // The association has ended.
        }
    }

    /// <summary>Waits for the running find (after cancelling it when asked) and forgets it.</summary>
    private async ValueTask EndFindAsync(bool cancel)
    {
        if (_find is not { } find)
        {
            return;
        }

        if (cancel)
        {
            _findCancellation!.Cancel();
        }

        await find.ConfigureAwait(false); // never faults: RunFindAsync reports everything itself
        _find = null;
        _findCancellation!.Dispose();
        _findCancellation = null;
    }

    private async Task RunFindAsync(byte contextId, CFindRequest request, TransferSyntax syntax, IdentifierBuffer identifier, CancellationToken cancellationToken)
    {
        // Off the read loop's path: the loop returns to reading at once, even if the handler never yields.
        await Task.Yield();
        QueryResponder responder = _responder!;
        ushort status;
        string? comment = null;
        try
        {
            responder.Start(contextId, request, syntax, cancellationToken);
            if (!_query!.IsSupported(request.AffectedSOPClassUID))
            {
                // Negotiation accepted the context for another service; this handler does not answer the model.
                (status, comment) = (DicomStatus.SopClassNotSupported.Code, "C-FIND not supported for this SOP class");
            }
            else if (CheckIdentifier(syntax, identifier) is { } failure)
            {
                (status, comment) = (failure.Status, failure.ErrorComment);
            }
            else
            {
                var query = new QueryRequest(request.AffectedSOPClassUID, request.MessageID, request.Priority, syntax, identifier.WrittenMemory,
                    _association.Negotiated.CallingAeTitle);
                QueryCompletion completion = await _query.FindAsync(query, responder, cancellationToken).ConfigureAwait(false);
                (status, comment) = (completion.Status, completion.ErrorComment);
                if (cancellationToken.IsCancellationRequested)
                {
                    (status, comment) = (DicomStatus.Cancel.Code, null);
                }
                else if (DicomStatus.Classify(status) == StatusCategory.Pending)
                {
                    (status, comment) = (0xC001, "the query handler returned a Pending status as final");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // PS3.4 C.4.1.3.1: matching terminated by C-CANCEL-RQ; the final response has no identifier.
            (status, comment) = (DicomStatus.Cancel.Code, null);
        }
        catch (DicomNetworkException e)
        {
            // Sending a match failed: the association is gone, there is nobody to answer.
            _log?.Invoke(_id, "C-FIND ended: " + e.Message);
            ArmIdleTimeout();
            return;
        }
        catch (Exception e)
        {
            // The handler failed: 0xC001 (the Cxxx "unable to process" range, PS3.4 Table C.4-1) with its message.
            (status, comment) = (0xC001, e.Message);
        }

        try
        {
            CFindResponse response = CFindResponse.CreateFor(request, status);
            response.HasDataSet = false;
            if (comment is not null)
            {
                response.ErrorComment = LongString.Create(comment);
            }

            _association.WriteCommand(contextId, response);
            await _association.SendAsync(CancellationToken.None).ConfigureAwait(false);
            _log?.Invoke(_id, $"C-FIND answered: {responder.MatchCount} match(es), final status {new DicomStatus(status)}{(comment is null ? "" : " (" + comment + ")")}");
        }
        catch (Exception e) when (e is DicomNetworkException or InvalidOperationException or ObjectDisposedException)
        {
            _log?.Invoke(_id, "C-FIND final response not sent: " + e.Message);
        }
        finally
        {
            ArmIdleTimeout();
        }
    }

    /// <summary>
    /// The checks made before the handler sees an identifier: one is present, it fits the buffer, its transfer
    /// syntax is one the reader and writer handle, and it parses to the end. Failures are the Cxxx "unable to
    /// process" class (PS3.4 Table C.4-1), A700 for an identifier too large to hold.
    /// </summary>
    private static QueryCompletion? CheckIdentifier(TransferSyntax syntax, IdentifierBuffer identifier)
    {
        if (identifier.Overflowed)
        {
            return new QueryCompletion(DicomStatus.OutOfResources.Code, $"identifier longer than {MaxIdentifierLength} bytes");
        }

        if (identifier.WrittenCount == 0)
        {
            return QueryCompletion.UnableToProcess("C-FIND-RQ without identifier");
        }

        if (!syntax.IsLittleEndian || syntax.IsDeflated || syntax.IsEncapsulated)
        {
            return QueryCompletion.UnableToProcess("queries are answered in Implicit/Explicit VR LE only");
        }

        var reader = new DataSetReader(new ReadOnlySequence<byte>(identifier.WrittenMemory), isFinalBlock: true, new DataSetReaderState(syntax));
        while (reader.Read())
        {
        }

        return reader.Error is { } error ? QueryCompletion.UnableToProcess("invalid identifier: " + error) : null;
    }

    private void ReleaseQueryBuffers()
    {
        _incomingIdentifier?.Dispose();
        _findIdentifier?.Dispose();
        _responder?.Release();
        _afterFind?.Dispose();
        _afterFind = null;
    }
}
