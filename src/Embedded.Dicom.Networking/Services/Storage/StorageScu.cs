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

/// <summary>The result of one C-STORE: the DIMSE status and what the SCP said about it.</summary>
public sealed class StoreResult
{
    /// <summary>Creates a result.</summary>
    public StoreResult(string path, string sopInstanceUid, DicomStatus status, string? errorComment)
    {
        Path = path;
        SopInstanceUid = sopInstanceUid;
        Status = status;
        ErrorComment = errorComment;
    }

    /// <summary>The file sent.</summary>
    public string Path { get; }

    /// <summary>Its SOP Instance UID.</summary>
    public string SopInstanceUid { get; }

    /// <summary>The C-STORE-RSP status.</summary>
    public DicomStatus Status { get; }

    /// <summary>(0000,0902) Error Comment, if the SCP sent one.</summary>
    public string? ErrorComment { get; }

    /// <summary>True for Success and Warning (the object was stored).</summary>
    public bool IsStored => Status.IsSuccessOrWarning;
}

/// <summary>
/// The Storage service class (PS3.4 Annex B) as SCU: C-STORE of Part 10 files, streamed from disk. When the SCP
/// accepted only the other uncompressed little-endian syntax, the data set is converted Explicit ⇄ Implicit on
/// the fly (nested sequences and undefined lengths included).
/// </summary>
public static class StorageScu
{
    /// <summary>Reads a file's meta group: what to propose for it.</summary>
    public static Part10FileInfo ReadFileInfo(string path)
    {
        try
        {
            using SafeFileHandle handle = OpenForReadRaw(path);
            return Part10.TryReadFileMetaInformation(handle, out Part10FileInfo? info, out string? error)
                ? info
                : throw new DicomNetworkException(DicomNetworkFailure.LocalError, $"{path}: not a DICOM Part 10 file: {error}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DicomNetworkException(DicomNetworkFailure.LocalError, $"{path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Sends one file with C-STORE and waits (DIMSE timeout) for the C-STORE-RSP. A failure status is a
    /// result, not an exception; transport and association failures throw.
    /// </summary>
    /// <exception cref="DicomNetworkException">No usable presentation context, abort, timeout, or a local read error.</exception>
    public static Task<StoreResult> StoreFileAsync(DicomAssociation association, string path, ushort messageId, CancellationToken cancellationToken = default)
        => StoreFileAsync(association, path, ReadFileInfo(path), messageId, cancellationToken);

    /// <summary>
    /// As <see cref="StoreFileAsync(DicomAssociation, string, ushort, CancellationToken)"/>, for a file whose meta
    /// group was already read (e.g. to choose the presentation contexts): the file is not parsed twice.
    /// </summary>
    public static Task<StoreResult> StoreFileAsync(DicomAssociation association, string path, Part10FileInfo info, ushort messageId, CancellationToken cancellationToken = default)
        => StoreFileAsync(association, path, info, messageId, null, cancellationToken);

    /// <summary>
    /// As above, with <paramref name="wrapSource"/> given the file's data set source to wrap (progress
    /// reporting, throttling) before it is sent.
    /// </summary>
    public static async Task<StoreResult> StoreFileAsync(DicomAssociation association, string path, Part10FileInfo info, ushort messageId,
        Func<IDataSetSource, IDataSetSource>? wrapSource, CancellationToken cancellationToken = default)
    {
        CStoreRequest request = await SendFileAsync(association, path, info, messageId, wrapSource, cancellationToken).ConfigureAwait(false);
        CStoreResponse response = await ReceiveResponseAsync(association, cancellationToken).ConfigureAwait(false);
        if (!response.Answers(request))
        {
            await association.AbortAsync().ConfigureAwait(false);
            throw new DicomNetworkException(DicomNetworkFailure.ProtocolError, "invalid C-STORE-RSP: it answers another request");
        }

        return ToResult(path, request, response);
    }

    /// <summary>
    /// As <see cref="StoreFileAsync(DicomAssociation, string, Part10FileInfo, ushort, Func{IDataSetSource, IDataSetSource}?, CancellationToken)"/>,
    /// returning the C-STORE-RSP itself (status, error comment) instead of a <see cref="StoreResult"/> with strings,
    /// in a pooled box (the C ABI's edicom_store_file). Opening the file still costs its handle and source.
    /// </summary>
    /// <exception cref="DicomNetworkException">No usable presentation context, abort, timeout, or a local read error.</exception>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(SharedPoolAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<CStoreResponse> StoreFileDataSetAsync(DicomAssociation association, string path, Part10FileInfo info, ushort messageId,
        Func<IDataSetSource, IDataSetSource>? wrapSource, CancellationToken cancellationToken = default)
    {
        CStoreRequest request = await SendFileAsync(association, path, info, messageId, wrapSource, cancellationToken).ConfigureAwait(false);
        CStoreResponse response = await ReceiveResponseAsync(association, cancellationToken).ConfigureAwait(false);
        if (!response.Answers(request))
        {
            await association.AbortAsync().ConfigureAwait(false);
            throw new DicomNetworkException(DicomNetworkFailure.ProtocolError, "invalid C-STORE-RSP: it answers another request");
        }

        return response;
    }

    /// <summary>
    /// Sends Part 10 files on one association with up to <see cref="NegotiatedAssociation.MaxOperationsInvoked"/>
    /// C-STOREs outstanding (PS3.7 D.3.3.3: the window the peer granted; 1 means one at a time). Each response
    /// is matched to its request by (0000,0120) Message ID Being Responded To, and <paramref name="completed"/>
    /// is called per file, in the order the responses arrive, with its index and result, or with the local
    /// error that kept it from being sent (the others still go). Association failures throw.
    /// </summary>
    public static async Task StoreFilesAsync(DicomAssociation association, IReadOnlyList<(string Path, Part10FileInfo Info)> files, ushort firstMessageId,
        Action<int, StoreResult?, DicomNetworkException?> completed, CancellationToken cancellationToken = default)
    {
        int window = Math.Max(1, association.Negotiated.MaxOperationsInvoked);
        var outstanding = new Dictionary<ushort, (int Index, CStoreRequest Request)>();
        ushort messageId = firstMessageId;
        int next = 0;
        while (next < files.Count || outstanding.Count > 0)
        {
            if (next < files.Count && outstanding.Count < window)
            {
                int index = next++;
                try
                {
                    CStoreRequest request = await SendFileAsync(association, files[index].Path, files[index].Info, messageId, null, cancellationToken).ConfigureAwait(false);
                    outstanding[messageId] = (index, request);
                    messageId = (ushort)(messageId == ushort.MaxValue ? 1 : messageId + 1);
                }
                catch (DicomNetworkException e) when (e.Failure is DicomNetworkFailure.LocalError or DicomNetworkFailure.NoPresentationContext && association.IsEstablished)
                {
                    completed(index, null, e);
                }

                continue;
            }

            CStoreResponse response = await ReceiveResponseAsync(association, cancellationToken).ConfigureAwait(false);
            if (!outstanding.Remove(response.MessageIDBeingRespondedTo, out var pending) || !response.Answers(pending.Request))
            {
                await association.AbortAsync().ConfigureAwait(false);
                throw new DicomNetworkException(DicomNetworkFailure.ProtocolError,
                    $"C-STORE-RSP for message {response.MessageIDBeingRespondedTo}, which is not outstanding");
            }

            completed(pending.Index, ToResult(files[pending.Index].Path, pending.Request, response), null);
        }
    }

    /// <summary>
    /// Sends one file's C-STORE-RQ and data set (converted when the accepted syntax differs) without waiting for
    /// the response: the request, for matching the response with <see cref="CStoreResponse.Answers"/>.
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(SharedPoolAsyncValueTaskMethodBuilder<>))]
    internal static async ValueTask<CStoreRequest> SendFileAsync(DicomAssociation association, string path, Part10FileInfo info, ushort messageId,
        Func<IDataSetSource, IDataSetSource>? wrapSource, CancellationToken cancellationToken)
    {
        TransferSyntax fileSyntax = TransferSyntax.Lookup(info.TransferSyntaxUid);
        NegotiatedPresentationContext context = association.Negotiated.FindContext(info.MediaStorageSopClassUid, fileSyntax)
            ?? throw new DicomNetworkException(DicomNetworkFailure.NoPresentationContext,
                $"{path}: the peer accepted no presentation context for {info.MediaStorageSopClassUid}");
        TransferSyntax wireSyntax = context.TransferSyntax!;
        if (!wireSyntax.Equals(fileSyntax) && !DataSetTranscoder.CanTranscode(fileSyntax, wireSyntax))
        {
            throw new DicomNetworkException(DicomNetworkFailure.NoPresentationContext,
                $"{path}: the peer accepted {info.MediaStorageSopClassUid} only in {wireSyntax.Name}, and {fileSyntax.Name} cannot be converted to it");
        }

        using SafeFileHandle handle = OpenForRead(path);
        using var source = new FileDataSetSource(handle, info.DataSetOffset, info.FileLength, wireSyntax.Equals(fileSyntax) ? null : new DataSetTranscoder(fileSyntax, wireSyntax), path);
        IDataSetSource sent = wrapSource is null ? source : wrapSource(source);
        var request = new CStoreRequest
        {
            MessageID = messageId,
            AffectedSOPClassUID = info.MediaStorageSopClassUid,
            AffectedSOPInstanceUID = info.MediaStorageSopInstanceUid,
            Priority = 0,
        };
        association.WriteCommand(context.Id, request);
        await association.SendDataSetAsync(context.Id, sent, cancellationToken).ConfigureAwait(false);
        return request;
    }

    /// <summary>The next C-STORE-RSP on the association (DIMSE timeout); an invalid one aborts it.</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(SharedPoolAsyncValueTaskMethodBuilder<>))]
    internal static async ValueTask<CStoreResponse> ReceiveResponseAsync(DicomAssociation association, CancellationToken cancellationToken)
    {
        DimseReceiveResult received = await association.ReceiveAsync(null, association.Timeouts.Dimse, cancellationToken).ConfigureAwait(false);
        ScuResponses.ThrowIfNotMessage(received);
        if (!CStoreResponse.TryDecode(received.CommandSet.Span, out CStoreResponse response, out CommandSetError error))
        {
            await association.AbortAsync().ConfigureAwait(false);
            throw new DicomNetworkException(DicomNetworkFailure.ProtocolError, "invalid C-STORE-RSP: " + error);
        }

        return response;
    }

    private static StoreResult ToResult(string what, in CStoreRequest request, in CStoreResponse response)
        => new(what, request.AffectedSOPInstanceUID.ToString(), new DicomStatus(response.Status), response.ErrorComment?.ToString());

    /// <summary>
    /// Sends one data set from any source with C-STORE (a buffer, a detector frame stream): the source must
    /// already be in <paramref name="transferSyntax"/>, and the association must have accepted the SOP class in
    /// that syntax.
    /// </summary>
    /// <exception cref="DicomNetworkException">No such context, abort, timeout.</exception>
    public static Task<StoreResult> StoreAsync(DicomAssociation association, DicomUid sopClassUid, DicomUid sopInstanceUid, TransferSyntax transferSyntax,
        IDataSetSource source, ushort messageId, CancellationToken cancellationToken = default)
    {
        NegotiatedPresentationContext context = association.Negotiated.FindContext(sopClassUid, transferSyntax) is { } found && found.TransferSyntax!.Equals(transferSyntax)
            ? found
            : throw new DicomNetworkException(DicomNetworkFailure.NoPresentationContext,
                $"the peer accepted no presentation context for {sopClassUid} in {transferSyntax.Name}");
        return SendAsync(association, context.Id, sopInstanceUid.ToString(), sopClassUid, sopInstanceUid, source, messageId, cancellationToken);
    }

    /// <summary>
    /// As <see cref="StoreAsync"/>, allocation-free in steady state (the C ABI's edicom_store_memory and
    /// edicom_store_stream): the C-STORE-RSP itself is returned (status, error comment) instead of a
    /// <see cref="StoreResult"/> with strings, and a suspended call reuses a pooled box.
    /// </summary>
    /// <exception cref="DicomNetworkException">No such context, abort, timeout, or a response to another request.</exception>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(SharedPoolAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<CStoreResponse> StoreDataSetAsync(DicomAssociation association, DicomUid sopClassUid, DicomUid sopInstanceUid,
        TransferSyntax transferSyntax, IDataSetSource source, ushort messageId, CancellationToken cancellationToken = default)
    {
        NegotiatedPresentationContext context = association.Negotiated.FindContext(sopClassUid, transferSyntax) is { } found && found.TransferSyntax!.Equals(transferSyntax)
            ? found
            : throw new DicomNetworkException(DicomNetworkFailure.NoPresentationContext,
                $"the peer accepted no presentation context for {sopClassUid} in {transferSyntax.Name}");
        var request = new CStoreRequest
        {
            MessageID = messageId,
            AffectedSOPClassUID = sopClassUid,
            AffectedSOPInstanceUID = sopInstanceUid,
            Priority = 0,
        };

        association.WriteCommand(context.Id, request);
        await association.SendDataSetAsync(context.Id, source, cancellationToken).ConfigureAwait(false);
        CStoreResponse response = await ReceiveResponseAsync(association, cancellationToken).ConfigureAwait(false);
        if (!response.Answers(request))
        {
            await association.AbortAsync().ConfigureAwait(false);
            throw new DicomNetworkException(DicomNetworkFailure.ProtocolError, "invalid C-STORE-RSP: it answers another request");
        }

        return response;
    }

    private static async Task<StoreResult> SendAsync(DicomAssociation association, byte contextId, string what, DicomUid sopClassUid, DicomUid sopInstanceUid,
        IDataSetSource source, ushort messageId, CancellationToken cancellationToken)
    {
        var request = new CStoreRequest
        {
            MessageID = messageId,
            AffectedSOPClassUID = sopClassUid,
            AffectedSOPInstanceUID = sopInstanceUid,
            Priority = 0,
        };

        association.WriteCommand(contextId, request);
        await association.SendDataSetAsync(contextId, source, cancellationToken).ConfigureAwait(false);
        CStoreResponse response = await ReceiveResponseAsync(association, cancellationToken).ConfigureAwait(false);
        if (!response.Answers(request))
        {
            await association.AbortAsync().ConfigureAwait(false);
            throw new DicomNetworkException(DicomNetworkFailure.ProtocolError, "invalid C-STORE-RSP: it answers another request");
        }

        return ToResult(what, request, response);
    }

    // FileShare.ReadWrite: .NET emulates sharing modes with flock() on Unix; an advisory lock per send buys
    // nothing here and costs two system calls per file.
    private static SafeFileHandle OpenForReadRaw(string path)
        => File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    private static SafeFileHandle OpenForRead(string path)
    {
        try
        {
            return OpenForReadRaw(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DicomNetworkException(DicomNetworkFailure.LocalError, $"{path}: {e.Message}", e);
        }
    }
}

/// <summary>
/// Streams a file's data set (from an offset) as it is, or through a <see cref="DataSetTranscoder"/>. Reads in
/// 64 KiB chunks from a buffer rented once; never holds the data set.
/// </summary>
internal sealed class FileDataSetSource : IDataSetSource, IDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly SafeFileHandle _handle;
    private readonly DataSetTranscoder? _transcoder;
    private readonly string _path;
    private readonly byte[]? _input;
    private readonly long _fileLength;
    private long _fileOffset;
    private int _inputStart;
    private int _inputCount;
    private bool _endOfFile;

    public FileDataSetSource(SafeFileHandle handle, long offset, long fileLength, DataSetTranscoder? transcoder, string path)
    {
        _handle = handle;
        _fileOffset = offset;
        _fileLength = fileLength;
        _transcoder = transcoder;
        _path = path;
        if (transcoder is not null)
        {
            _input = System.Buffers.ArrayPool<byte>.Shared.Rent(ChunkSize);
        }
    }

    public long RemainingLength => _transcoder is null ? _fileLength - _fileOffset : -1;

    public int Read(Span<byte> destination)
    {
        if (_transcoder is null)
        {
            // The end is known from the file length: no extra read() that only returns 0.
            if (_fileOffset >= _fileLength)
            {
                return 0;
            }

            int read = RandomAccess.Read(_handle, destination[..(int)Math.Min(destination.Length, _fileLength - _fileOffset)], _fileOffset);
            _fileOffset += read;
            return read;
        }

        int written = 0;
        while (written < destination.Length)
        {
            if (_inputCount == 0 && !_endOfFile)
            {
                FillInput();
            }

            System.Buffers.OperationStatus status = _transcoder.Transcode(_input.AsSpan(_inputStart, _inputCount), destination[written..],
                _endOfFile, out int consumed, out int produced);
            _inputStart += consumed;
            _inputCount -= consumed;
            written += produced;
            switch (status)
            {
                case System.Buffers.OperationStatus.Done:
                    if (_endOfFile)
                    {
                        return written;
                    }

                    break;
                case System.Buffers.OperationStatus.DestinationTooSmall:
                    return written;
                case System.Buffers.OperationStatus.NeedMoreData:
                    if (_endOfFile)
                    {
                        throw new DicomNetworkException(DicomNetworkFailure.LocalError, $"{_path}: the data set ends inside an element");
                    }

                    FillInput();
                    break;
                default:
                    throw new DicomNetworkException(DicomNetworkFailure.LocalError, $"{_path}: cannot convert the data set: {_transcoder.LastError}");
            }
        }

        return written;
    }

    private void FillInput()
    {
        // Keep the unconsumed tail (an element header split by the chunk boundary) at the front.
        _input.AsSpan(_inputStart, _inputCount).CopyTo(_input);
        _inputStart = 0;
        int read = RandomAccess.Read(_handle, _input.AsSpan(_inputCount, _input!.Length - _inputCount), _fileOffset);
        _fileOffset += read;
        _inputCount += read;
        _endOfFile = read == 0;
    }

    public void Dispose()
    {
        if (_input is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(_input);
        }
    }
}
