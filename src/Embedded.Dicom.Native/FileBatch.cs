using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Native.Exports;
using Embedded.Dicom.Networking;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.Networking.Services;

namespace Embedded.Dicom.Native;

/// <summary>
/// edicom_store_files: Part 10 files on one association with up to the granted window of C-STOREs outstanding
/// (PS3.7 D.3.3.3), each response matched to its request by (0000,0120) Message ID Being Responded To.
/// </summary>
/// <remarks>
/// One per association, re-armed by each call, so that a batch allocates nothing in steady state: the
/// outstanding requests live in arrays sized to the window once, a file sent as it is goes through the
/// session's descriptor source (open/pread/close, as edicom_store_file), and the loop runs in pooled boxes.
/// A file whose data set must be converted, and a file that cannot be sent, take the general path of
/// <see cref="StorageScu"/> (a handle, a source and strings each).
/// </remarks>
internal sealed class FileBatch(ClientSession session)
{
    // The caller's arguments, valid during the call (the C thread waits in edicom_store_files). The async
    // methods themselves are not unsafe (an await may not sit in an unsafe context): pointers are touched only
    // by the small helpers marked unsafe.
    private unsafe EdicomStr* _paths;
    private nuint _count;
    private unsafe delegate* unmanaged[Cdecl]<void*, nuint, OperationResult*, void> _completed;
    private unsafe void* _user;
    private CStoreRequest[] _requests = [];
    private nuint[] _indices = [];
    private int _outstanding;

    /// <summary>True once an object was not stored: a failure status, or it could not be sent.</summary>
    public bool AnyFailed { get; private set; }

    /// <summary>
    /// Sends <paramref name="count"/> files; <paramref name="completed"/> is called once per object whose
    /// response arrived or that could not be sent. An association failure ends the batch with its exception
    /// (objects still in flight get no callback, as edicom.h says).
    /// </summary>
    public unsafe ValueTask RunAsync(EdicomStr* paths, nuint count, delegate* unmanaged[Cdecl]<void*, nuint, OperationResult*, void> completed, void* user,
        CancellationToken cancellationToken)
    {
        _paths = paths;
        _count = count;
        _completed = completed;
        _user = user;
        _outstanding = 0;
        AnyFailed = false;
        int window = Math.Max(1, session.Association.Negotiated.MaxOperationsInvoked);
        if (_requests.Length < window)
        {
            _requests = new CStoreRequest[window];
            _indices = new nuint[window];
        }

        return RunCoreAsync(window, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(SharedPoolAsyncValueTaskMethodBuilder))]
    private async ValueTask RunCoreAsync(int window, CancellationToken cancellationToken)
    {
        DicomAssociation association = session.Association;
        nuint next = 0;
        while (next < _count || _outstanding > 0)
        {
            if (next < _count && _outstanding < window)
            {
                await SendAsync(next++, cancellationToken).ConfigureAwait(false);
                continue;
            }

            CStoreResponse response = await StorageScu.ReceiveResponseAsync(association, cancellationToken).ConfigureAwait(false);
            int slot = FindOutstanding(response);
            if (slot < 0)
            {
                // PS3.7 §9.1.1.1: a response must answer an outstanding request of this association.
                await association.AbortAsync().ConfigureAwait(false);
                throw new DicomNetworkException(DicomNetworkFailure.ProtocolError,
                    $"C-STORE-RSP for message {response.MessageIDBeingRespondedTo}, which is not outstanding");
            }

            Complete(slot, response);
        }
    }

    /// <summary>Sends one file's C-STORE-RQ and data set; the response is awaited by the loop.</summary>
    [AsyncMethodBuilder(typeof(SharedPoolAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(nuint index, CancellationToken cancellationToken)
    {
        DicomAssociation association = session.Association;
        ushort id = (ushort)(session.NextMessageId + 1);
        CStoreRequest request;
        int fd = OpenInPlace(index, out long length, out byte contextId);
        if (fd >= 0)
        {
            try
            {
                Part10FileInfo info = session.FileInfo;
                request = new CStoreRequest
                {
                    MessageID = id,
                    AffectedSOPClassUID = info.MediaStorageSopClassUid,
                    AffectedSOPInstanceUID = info.MediaStorageSopInstanceUid,
                    Priority = 0,
                };
                association.WriteCommand(contextId, request);
                await association.SendDataSetAsync(contextId, session.DescriptorSource.Reset(fd, info.DataSetOffset, length), cancellationToken)
                    .ConfigureAwait(false);
            }
            finally
            {
                // The data set has been sent (or the send failed): nothing reads the descriptor any more.
                session.DescriptorSource.Reset(-1, 0, 0);
                Interop.Close(fd);
            }
        }
        else
        {
            string path = PathOf(index);
            try
            {
                request = await StorageScu.SendFileAsync(association, path, StorageScu.ReadFileInfo(path), id, null, cancellationToken).ConfigureAwait(false);
            }
            catch (DicomNetworkException e) when (e.Failure is DicomNetworkFailure.LocalError or DicomNetworkFailure.NoPresentationContext && association.IsEstablished)
            {
                // Nothing of this object was sent: report it and go on with the others.
                Fail(index, e);
                return;
            }
        }

        session.NextMessageId = id;
        _requests[_outstanding] = request;
        _indices[_outstanding] = index;
        _outstanding++;
    }

    private unsafe int OpenInPlace(nuint index, out long length, out byte contextId)
        => ClientExports.TryOpenInPlace(session, _paths[index].Ptr, _paths[index].Len, out _, out length, out contextId);

    private unsafe string PathOf(nuint index) => session.GetPath(_paths[index].Span);

    private int FindOutstanding(in CStoreResponse response)
    {
        for (int i = 0; i < _outstanding; i++)
        {
            if (_requests[i].MessageID == response.MessageIDBeingRespondedTo)
            {
                return response.Answers(_requests[i]) ? i : -1;
            }
        }

        return -1;
    }

    private unsafe void Complete(int slot, in CStoreResponse response)
    {
        nuint index = _indices[slot];
        ushort id = _requests[slot].MessageID;
        _outstanding--;
        _requests[slot] = _requests[_outstanding];
        _indices[slot] = _indices[_outstanding];
        bool stored = DicomStatus.Classify(response.Status) is StatusCategory.Success or StatusCategory.Warning;
        AnyFailed |= !stored;
        OperationResult local;
        LibraryExports.Complete(&local, stored ? NativeResult.Ok : NativeResult.DimseFailure, response.Status, hasResponse: true, id,
            response.ErrorComment?.ToString());
        _completed(_user, index, &local);
    }

    private unsafe void Fail(nuint index, DicomNetworkException error)
    {
        AnyFailed = true;
        OperationResult local;
        LibraryExports.Complete(&local, LastError.Set(error));
        _completed(_user, index, &local);
    }
}
