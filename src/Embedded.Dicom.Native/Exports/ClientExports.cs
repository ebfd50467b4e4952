using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Native.Exports;

/// <summary>SCU exports: configuration, C-ECHO, associations and C-STORE from a file, memory or a pull callback.</summary>
internal static unsafe class ClientExports
{
    internal static readonly HandleTable<ClientSession> Sessions = new();

    [UnmanagedCallersOnly(EntryPoint = "edicom_client_config_init", CallConvs = [typeof(CallConvCdecl)])]
    public static int ConfigInit(ClientConfig* config)
    {
        if (config == null)
        {
            return LastError.Set(NativeResult.InvalidArgument, "config is NULL");
        }

        *config = default;
        config->StructSize = (uint)sizeof(ClientConfig);
        config->Port = 104;
        config->MaxPdu = 131_072;
        return NativeResult.Ok;
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_echo", CallConvs = [typeof(CallConvCdecl)])]
    public static int Echo(ClientConfig* config, OperationResult* result)
    {
        try
        {
            DicomClientOptions options = ReadConfig(config);
            DicomUid[] syntaxes = [TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid];
            DicomAssociation association = DicomClient.ConnectAsync(options, [(VerificationScu.SopClassUid, syntaxes)]).GetAwaiter().GetResult();
            try
            {
                DicomStatus status = VerificationScu.EchoAsync(association, 1).AsTask().GetAwaiter().GetResult();
                association.ReleaseAsync().GetAwaiter().GetResult();
                return StatusResult(result, status.Code, 1, null);
            }
            finally
            {
                association.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception e)
        {
            return LibraryExports.Fail(result, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_association_open", CallConvs = [typeof(CallConvCdecl)])]
    public static int Open(ClientConfig* config, EdicomStr* sopClasses, nuint sopClassCount, EdicomStr* transferSyntaxes, nuint transferSyntaxCount, ulong* handle)
    {
        try
        {
            if (handle == null)
            {
                return LastError.Set(NativeResult.InvalidArgument, "handle is NULL");
            }

            *handle = 0;
            DicomClientOptions options = ReadConfig(config);
            if ((sopClasses == null && sopClassCount != 0) || (transferSyntaxes == null && transferSyntaxCount != 0) || sopClassCount > 127)
            {
                return LastError.Set(NativeResult.InvalidArgument, "SOP class or transfer syntax list is NULL with a count, or more than 127 SOP classes");
            }

            // Verification, plus each SOP class with the given transfer syntaxes and both uncompressed LE ones.
            var syntaxes = new List<DicomUid>();
            for (nuint i = 0; i < transferSyntaxCount; i++)
            {
                syntaxes.Add(ParseUid(transferSyntaxes[i], "transfer syntax"));
            }

            foreach (DicomUid uncompressed in (ReadOnlySpan<DicomUid>)[TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid])
            {
                if (!syntaxes.Contains(uncompressed))
                {
                    syntaxes.Add(uncompressed);
                }
            }

            var contexts = new List<(DicomUid, DicomUid[])> { (VerificationScu.SopClassUid, [TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid]) };
            for (nuint i = 0; i < sopClassCount; i++)
            {
                contexts.Add((ParseUid(sopClasses[i], "SOP class"), syntaxes.ToArray()));
            }

            DicomAssociation association = DicomClient.ConnectAsync(options, contexts).GetAwaiter().GetResult();
            var session = new ClientSession(association);
            ulong added = Sessions.Add(session);
            if (added == 0)
            {
                association.AbortAsync().GetAwaiter().GetResult();
                session.Dispose();
                return LastError.Set(NativeResult.Busy, "too many open associations (1024)");
            }

            *handle = added;
            return NativeResult.Ok;
        }
        catch (Exception e)
        {
            return LastError.Set(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_association_echo", CallConvs = [typeof(CallConvCdecl)])]
    public static int AssociationEcho(ulong handle, OperationResult* result)
    {
        ClientSession? session = Enter(handle, result, out int code);
        if (session is null)
        {
            return code;
        }

        try
        {
            ushort id = ++session.NextMessageId;
            DicomStatus status = session.Waiter.Wait(VerificationScu.EchoAsync(session.Association, id, session.Cancellation.Token));
            return StatusResult(result, status.Code, id, null);
        }
        catch (Exception e)
        {
            return Failed(session, result, e);
        }
        finally
        {
            session.Exit();
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_store_file", CallConvs = [typeof(CallConvCdecl)])]
    public static int StoreFile(ulong handle, byte* path, nuint pathLength, OperationResult* result)
    {
        ClientSession? session = Enter(handle, result, out int code);
        if (session is null)
        {
            return code;
        }

        try
        {
            if (path == null && pathLength != 0)
            {
                return LibraryExports.Fail(result, NativeResult.InvalidArgument, "path: NULL pointer with a non-zero length");
            }

            if (pathLength == 0)
            {
                return LibraryExports.Fail(result, NativeResult.InvalidArgument, "path is empty");
            }

            if (TryStoreFileInPlace(session, path, pathLength, result, out int stored))
            {
                return stored;
            }

            string file = session.GetPath(new EdicomStr { Ptr = path, Len = pathLength }.Span);
            Part10FileInfo info = StorageScu.ReadFileInfo(file);
            ushort id = ++session.NextMessageId;
            session.FileTotal = (ulong)Math.Max(0, info.FileLength - info.DataSetOffset);
            CStoreResponse response = session.Waiter.Wait(StorageScu.StoreFileDataSetAsync(session.Association, file, info, id,
                session.WrapFileSource, session.Cancellation.Token));
            return StatusResult(result, response.Status, id, response.ErrorComment?.ToString());
        }
        catch (Exception e)
        {
            return Failed(session, result, e);
        }
        finally
        {
            session.Exit();
        }
    }

    /// <summary>
    /// edicom_store_file without allocating: the file opened by <see cref="TryOpenInPlace"/>, its data set sent
    /// with pread(2) by the session's source, the descriptor closed when the C-STORE has completed. False when
    /// this path does not apply; the caller then stores the file on the general path, which converts, or
    /// reports the error with the same code and text as it always has.
    /// </summary>
    private static bool TryStoreFileInPlace(ClientSession session, byte* path, nuint pathLength, OperationResult* result, out int code)
    {
        code = 0;
        int fd = TryOpenInPlace(session, path, pathLength, out TransferSyntax syntax, out long length, out _);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            Part10FileInfo info = session.FileInfo;
            ushort id = ++session.NextMessageId;
            ulong total = (ulong)(length - info.DataSetOffset);
            session.FileTotal = total;
            ProgressSource source = session.ProgressSource.Reset(session.DescriptorSource.Reset(fd, info.DataSetOffset, length), total);
            CStoreResponse response = session.Waiter.Wait(StorageScu.StoreDataSetAsync(session.Association, info.MediaStorageSopClassUid,
                info.MediaStorageSopInstanceUid, syntax, source, id, session.Cancellation.Token));
            code = StatusResult(result, response.Status, id, response.ErrorComment?.ToString());
            return true;
        }
        finally
        {
            // Wait returns only once the C-STORE has completed or failed: nothing reads the descriptor any more.
            session.DescriptorSource.Reset(-1, 0, 0);
            Interop.Close(fd);
        }
    }

    /// <summary>
    /// Opens a file to be sent as it is, without allocating: open(2) on the caller's UTF-8 bytes (copied
    /// NUL-terminated on the stack, no string), the meta group parsed into the session's
    /// <see cref="Part10FileInfo"/>. The descriptor (the caller closes it), or -1 when the general path must
    /// take the file: a path that is not plain UTF-8 or too long, a file that cannot be opened or is not Part 10,
    /// a data set to be converted to the accepted syntax, no context.
    /// </summary>
    internal static int TryOpenInPlace(ClientSession session, byte* path, nuint pathLength, out TransferSyntax syntax, out long length, out byte contextId)
    {
        const int MaxPath = 4096; // PATH_MAX of Linux, terminating NUL included
        syntax = null!;
        length = 0;
        contextId = 0;
        if (path == null || pathLength == 0 || pathLength >= MaxPath)
        {
            return -1;
        }

        var utf8 = new ReadOnlySpan<byte>(path, (int)pathLength);
        if (utf8.Contains((byte)0) || !System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return -1; // the general path decodes the bytes as it always has (U+FFFD, embedded NUL refused)
        }

        Span<byte> terminated = stackalloc byte[utf8.Length + 1];
        utf8.CopyTo(terminated);
        terminated[^1] = 0;
        int fd;
        fixed (byte* p = terminated)
        {
            fd = Interop.Open(p, Interop.O_RDONLY | Interop.O_CLOEXEC);
        }

        if (fd < 0)
        {
            return -1;
        }

        bool usable = false;
        try
        {
            length = Interop.LSeek(fd, 0, Interop.SEEK_END);
            Part10FileInfo info = session.FileInfo;
            var meta = new Part10.WindowedSource<FileDescriptorReader>(new FileDescriptorReader(fd), session.MetaWindow);
            if (length >= 0 && Part10.TryReadFileMetaInformation(ref meta, length, info, out _))
            {
                syntax = TransferSyntax.Lookup(info.TransferSyntaxUid);
                if (session.Association.Negotiated.FindContext(info.MediaStorageSopClassUid, syntax) is { } context && syntax.Equals(context.TransferSyntax))
                {
                    contextId = context.Id;
                    usable = true;
                }
            }
        }
        finally
        {
            if (!usable)
            {
                Interop.Close(fd);
            }
        }

        return usable ? fd : -1;
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_store_memory", CallConvs = [typeof(CallConvCdecl)])]
    public static int StoreMemory(ulong handle, EdicomStr* sopClass, EdicomStr* sopInstance, EdicomStr* transferSyntax, byte* data, nuint length, OperationResult* result)
    {
        ClientSession? session = Enter(handle, result, out int code);
        if (session is null)
        {
            return code;
        }

        try
        {
            if (data == null || length == 0 || (length & 1) != 0)
            {
                return LibraryExports.Fail(result, NativeResult.InvalidArgument, "data must be a non-empty data set of even length (PS3.5 §7.1)");
            }

            ProgressSource source = session.ProgressSource.Reset(session.MemorySource.Reset(data, length), length);
            return Store(session, sopClass, sopInstance, transferSyntax, source, result);
        }
        catch (Exception e)
        {
            return Failed(session, result, e);
        }
        finally
        {
            session.Exit();
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_store_stream", CallConvs = [typeof(CallConvCdecl)])]
    public static int StoreStream(ulong handle, EdicomStr* sopClass, EdicomStr* sopInstance, EdicomStr* transferSyntax,
        delegate* unmanaged[Cdecl]<void*, byte*, nuint, long> read, void* user, OperationResult* result)
    {
        ClientSession? session = Enter(handle, result, out int code);
        if (session is null)
        {
            return code;
        }

        try
        {
            if (read == null)
            {
                return LibraryExports.Fail(result, NativeResult.InvalidArgument, "read callback is NULL");
            }

            ProgressSource source = session.ProgressSource.Reset(session.CallbackSource.Reset(read, user), 0);
            return Store(session, sopClass, sopInstance, transferSyntax, source, result);
        }
        catch (Exception e)
        {
            return Failed(session, result, e);
        }
        finally
        {
            session.Exit();
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_store_files", CallConvs = [typeof(CallConvCdecl)])]
    public static int StoreFiles(ulong handle, EdicomStr* paths, nuint count, delegate* unmanaged[Cdecl]<void*, nuint, OperationResult*, void> completed, void* user)
    {
        ClientSession? session = Enter(handle, null, out int code);
        if (session is null)
        {
            return code;
        }

        try
        {
            if ((paths == null && count != 0) || completed == null)
            {
                return LastError.Set(NativeResult.InvalidArgument, "paths (with a count) and the completion callback are required");
            }

            for (nuint i = 0; i < count; i++)
            {
                if (paths[i].Ptr == null && paths[i].Len != 0)
                {
                    return LastError.Set(NativeResult.InvalidArgument, "path: NULL pointer with a non-zero length");
                }
            }

            FileBatch batch = session.FileBatch;
            session.Waiter.Wait(batch.RunAsync(paths, count, completed, user, session.Cancellation.Token));
            return batch.AnyFailed ? LastError.Set(NativeResult.DimseFailure, "at least one object was not stored; see its result") : NativeResult.Ok;
        }
        catch (Exception e)
        {
            return Failed(session, null, e);
        }
        finally
        {
            session.Exit();
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_association_window", CallConvs = [typeof(CallConvCdecl)])]
    public static int Window(ulong handle, uint* invoked)
    {
        ClientSession? session = Sessions.Get(handle);
        if (session is null || invoked == null)
        {
            return LastError.Set(session is null ? NativeResult.InvalidHandle : NativeResult.InvalidArgument, session is null ? "invalid association handle" : "invoked is NULL");
        }

        *invoked = (uint)session.Association.Negotiated.MaxOperationsInvoked;
        return NativeResult.Ok;
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_association_set_progress", CallConvs = [typeof(CallConvCdecl)])]
    public static int SetProgress(ulong handle, delegate* unmanaged[Cdecl]<void*, ulong, ulong, int> progress, void* user)
    {
        ClientSession? session = Sessions.Get(handle);
        if (session is null)
        {
            return LastError.Set(NativeResult.InvalidHandle, "invalid association handle");
        }

        session.ProgressUser = user;
        session.Progress = progress;
        return NativeResult.Ok;
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_association_cancel", CallConvs = [typeof(CallConvCdecl)])]
    public static int Cancel(ulong handle)
    {
        try
        {
            ClientSession? session = Sessions.Get(handle);
            if (session is null)
            {
                return LastError.Set(NativeResult.InvalidHandle, "invalid association handle");
            }

            session.Cancellation.Cancel();
            return NativeResult.Ok;
        }
        catch (Exception e)
        {
            return LastError.Set(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_association_close", CallConvs = [typeof(CallConvCdecl)])]
    public static int Close(ulong handle) => End(handle, release: true);

    [UnmanagedCallersOnly(EntryPoint = "edicom_association_abort", CallConvs = [typeof(CallConvCdecl)])]
    public static int Abort(ulong handle) => End(handle, release: false);

    [UnmanagedCallersOnly(EntryPoint = "edicom_association_is_open", CallConvs = [typeof(CallConvCdecl)])]
    public static int IsOpen(ulong handle)
    {
        ClientSession? session = Sessions.Get(handle);
        return session is null ? LastError.Set(NativeResult.InvalidHandle, "invalid association handle") : session.Association.IsEstablished ? 1 : 0;
    }

    private static int End(ulong handle, bool release)
    {
        try
        {
            ClientSession? session = Sessions.Get(handle);
            if (session is null)
            {
                return LastError.Set(NativeResult.InvalidHandle, "invalid association handle");
            }

            if (!session.TryEnter())
            {
                return LastError.Set(NativeResult.Busy, "an operation is running on this association; cancel it first");
            }

            Sessions.Remove(handle);
            try
            {
                if (release)
                {
                    session.Association.ReleaseAsync().GetAwaiter().GetResult();
                }
                else
                {
                    session.Association.AbortAsync().GetAwaiter().GetResult();
                }

                return NativeResult.Ok;
            }
            finally
            {
                session.Dispose();
            }
        }
        catch (Exception e)
        {
            return LastError.Set(e);
        }
    }

    private static int Store(ClientSession session, EdicomStr* sopClass, EdicomStr* sopInstance, EdicomStr* transferSyntax, IDataSetSource source, OperationResult* result)
    {
        if (sopClass == null || sopInstance == null || transferSyntax == null)
        {
            return LibraryExports.Fail(result, NativeResult.InvalidArgument, "SOP class, SOP instance and transfer syntax are required");
        }

        DicomUid sopClassUid = ParseUid(*sopClass, "SOP class");
        DicomUid sopInstanceUid = ParseUid(*sopInstance, "SOP instance");
        TransferSyntax syntax = TransferSyntax.Lookup(ParseUid(*transferSyntax, "transfer syntax"));
        ushort id = ++session.NextMessageId;
        // The allocation-free form: the response itself, not a StoreResult with strings. The error comment is
        // made a string only when the SCP sent one (failures, mostly).
        CStoreResponse response = session.Waiter.Wait(StorageScu.StoreDataSetAsync(session.Association, sopClassUid, sopInstanceUid, syntax, source, id, session.Cancellation.Token));
        return StatusResult(result, response.Status, id, response.ErrorComment?.ToString());
    }

    private static ClientSession? Enter(ulong handle, OperationResult* result, out int code)
    {
        ClientSession? session = Sessions.Get(handle);
        if (session is null)
        {
            code = LibraryExports.Fail(result, NativeResult.InvalidHandle, "invalid association handle");
            return null;
        }

        if (!session.TryEnter())
        {
            code = LibraryExports.Fail(result, NativeResult.Busy, "another call is using this association");
            return null;
        }

        code = NativeResult.Ok;
        return session;
    }

    /// <summary>An operation failed: report it; failures before anything was sent leave the association usable.</summary>
    private static int Failed(ClientSession session, OperationResult* result, Exception e)
    {
        // The engine aborts an association whose message stopped part-way; a cancellation that hit while
        // waiting for a response is aborted here, so that a cancelled association is never reused.
        if (e is OperationCanceledException && session.Association.IsEstablished)
        {
            try
            {
                session.Association.AbortAsync().GetAwaiter().GetResult();
            }
            catch (Exception abortError) when (abortError is DicomNetworkException or System.IO.IOException or ObjectDisposedException)
            {
                // Already gone.
            }
        }

        return LibraryExports.Fail(result, e);
    }

    /// <summary>Success and Warning return EDICOM_OK; any other status returns EDICOM_E_DIMSE_STATUS — never success.</summary>
    private static int StatusResult(OperationResult* result, ushort status, ushort messageId, string? comment)
    {
        bool stored = DicomStatus.Classify(status) is StatusCategory.Success or StatusCategory.Warning;
        int code = stored ? NativeResult.Ok : LastError.Set(NativeResult.DimseFailure, $"the peer answered {new DicomStatus(status)}" + (comment is null ? "" : $" ({comment})"));
        return LibraryExports.Complete(result, code, status, hasResponse: true, messageId, comment);
    }

    private static DicomUid ParseUid(EdicomStr value, string what)
    {
        if (!DicomUid.TryCreate(value.Span, out DicomUid uid) || !uid.IsValid)
        {
            throw new ArgumentException($"{what} is not a valid UID (PS3.5 §9.1)");
        }

        return uid;
    }

    private static DicomClientOptions ReadConfig(ClientConfig* config)
    {
        if (config == null)
        {
            throw new ArgumentException("config is NULL");
        }

        if (config->StructSize != (uint)sizeof(ClientConfig))
        {
            throw new ArgumentException($"config->struct_size is {config->StructSize}, expected {sizeof(ClientConfig)}: call edicom_client_config_init (ABI {LibraryExports.AbiVersion})");
        }

        string host = config->Host.ToManaged("host");
        if (host.Length == 0 || config->Port == 0)
        {
            throw new ArgumentException("host and port are required");
        }

        static TimeSpan Timeout(uint milliseconds, TimeSpan fallback) => milliseconds == 0 ? fallback : TimeSpan.FromMilliseconds(milliseconds);
        AssociationTimeouts defaults = AssociationTimeouts.Default;
        return new DicomClientOptions
        {
            Host = host,
            Port = config->Port,
            CallingAeTitle = config->CallingAe.IsEmpty ? AeTitle.Parse("EDICOM") : AeTitle.Parse(config->CallingAe.ToManaged("calling_ae")),
            CalledAeTitle = config->CalledAe.IsEmpty ? AeTitle.Parse("ANY-SCP") : AeTitle.Parse(config->CalledAe.ToManaged("called_ae")),
            MaximumLength = config->MaxPdu == 0 ? 131_072 : Math.Clamp(config->MaxPdu, 4096, DicomClient.MaximumLengthCap),
            MaxOperationsInvoked = (int)Math.Clamp(config->MaxOperationsInvoked, 1u, ushort.MaxValue),
            Timeouts = new AssociationTimeouts
            {
                Connect = Timeout(config->ConnectTimeoutMs, defaults.Connect),
                Acse = Timeout(config->AcseTimeoutMs, defaults.Acse),
                Dimse = Timeout(config->DimseTimeoutMs, defaults.Dimse),
                Idle = Timeout(config->IdleTimeoutMs, defaults.Idle),
            },
        };
    }
}
