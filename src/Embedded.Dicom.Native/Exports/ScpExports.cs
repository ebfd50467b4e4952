using System;
using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Native.Exports;

/// <summary>SCP exports: start and stop a Verification and Storage SCP with C callbacks.</summary>
internal static unsafe class ScpExports
{
    private static readonly DicomUid s_verification = DicomUid.Parse("1.2.840.10008.1.1");
    private static readonly HandleTable<DicomServer> s_servers = new();

    [UnmanagedCallersOnly(EntryPoint = "edicom_scp_config_init", CallConvs = [typeof(CallConvCdecl)])]
    public static int ConfigInit(ScpConfig* config)
    {
        if (config == null)
        {
            return LastError.Set(NativeResult.InvalidArgument, "config is NULL");
        }

        *config = default;
        config->StructSize = (uint)sizeof(ScpConfig);
        config->MaxPdu = 131_072;
        config->MaxAssociations = 16;
        return NativeResult.Ok;
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_scp_start", CallConvs = [typeof(CallConvCdecl)])]
    public static int Start(ScpConfig* config, ulong* handle)
    {
        try
        {
            if (config == null || handle == null)
            {
                return LastError.Set(NativeResult.InvalidArgument, "config and handle are required");
            }

            *handle = 0;
            if (config->StructSize != (uint)sizeof(ScpConfig))
            {
                return LastError.Set(NativeResult.InvalidArgument, $"config->struct_size is {config->StructSize}, expected {sizeof(ScpConfig)}: call edicom_scp_config_init");
            }

            string bind = config->BindAddress.IsEmpty ? "127.0.0.1" : config->BindAddress.ToManaged("bind_address");
            if (!IPAddress.TryParse(bind, out IPAddress? address))
            {
                return LastError.Set(NativeResult.InvalidArgument, $"bind_address '{bind}' is not an IP address");
            }

            string output = config->OutputDirectory.ToManaged("output_dir");
            var callbacks = new ScpCallbacks(config->Accept, config->OnObject, config->User);
            IStorageHandler inner = output.Length == 0 ? new DiscardStorageHandler() : new FileStorageHandler(output);
            var server = new DicomServer(new DicomServerOptions
            {
                Endpoint = new IPEndPoint(address, config->Port),
                MaxAssociations = config->MaxAssociations == 0 ? 16 : (int)config->MaxAssociations,
                Storage = config->OnObject == null ? inner : new CallbackStorageHandler(inner, callbacks, output.Length == 0),
                Accept = config->Accept == null ? null : callbacks.Accept,
                Log = static (id, text) => LibraryExports.Log(1, id, text),
                Policy = new AcceptorPolicy
                {
                    AeTitle = config->AeTitle.IsEmpty ? AeTitle.Parse("EDICOM") : AeTitle.Parse(config->AeTitle.ToManaged("ae_title")),
                    MaximumLength = config->MaxPdu == 0 ? 131_072 : Math.Clamp(config->MaxPdu, 4096, DicomClient.MaximumLengthCap),
                    MaxOperationsInvoked = Math.Max(1, (int)config->MaxOperationsInvoked),
                    IsAbstractSyntaxSupported = static (in DicomUid uid) => uid.Equals(s_verification) || StorageSopClasses.Contains(uid.Span),
                },
            });
            server.Start();
            *handle = s_servers.Add(server);
            return NativeResult.Ok;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return LastError.Set(NativeResult.ConnectFailed, "cannot listen: " + e.Message);
        }
        catch (Exception e)
        {
            return LastError.Set(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_scp_port", CallConvs = [typeof(CallConvCdecl)])]
    public static int Port(ulong handle, ushort* port)
    {
        DicomServer? server = s_servers.Get(handle);
        if (server is null || port == null)
        {
            return LastError.Set(server is null ? NativeResult.InvalidHandle : NativeResult.InvalidArgument, server is null ? "invalid SCP handle" : "port is NULL");
        }

        *port = (ushort)server.LocalEndPoint.Port;
        return NativeResult.Ok;
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_scp_stop", CallConvs = [typeof(CallConvCdecl)])]
    public static int Stop(ulong handle)
    {
        try
        {
            DicomServer? server = s_servers.Remove(handle);
            if (server is null)
            {
                return LastError.Set(NativeResult.InvalidHandle, "invalid SCP handle");
            }

            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return NativeResult.Ok;
        }
        catch (Exception e)
        {
            return LastError.Set(e);
        }
    }

    /// <summary>The C hooks of one SCP, called on runtime threads.</summary>
    private sealed class ScpCallbacks(delegate* unmanaged[Cdecl]<void*, EdicomStr*, EdicomStr*, int> accept,
        delegate* unmanaged[Cdecl]<void*, ObjectInfo*, ushort> onObject, void* user)
    {
        public bool Accept(AAssociateRequest request, IPEndPoint? peer)
        {
            byte[] calling = Encoding.ASCII.GetBytes(request.CallingAeTitle.ToString());
            byte[] address = Encoding.ASCII.GetBytes(peer?.Address.ToString() ?? "");
            fixed (byte* callingPtr = calling)
            fixed (byte* addressPtr = address)
            {
                var callingStr = new EdicomStr { Ptr = callingPtr, Len = (nuint)calling.Length };
                var addressStr = new EdicomStr { Ptr = addressPtr, Len = (nuint)address.Length };
                return accept(user, &callingStr, &addressStr) != 0;
            }
        }

        public ushort OnObject(in StorageRequest request, string? path, ulong size)
        {
            // Copied onto the stack (UIDs are at most 64 bytes, AE titles 16): no array per object.
            Span<byte> sopClass = stackalloc byte[64];
            Span<byte> sopInstance = stackalloc byte[64];
            Span<byte> syntax = stackalloc byte[64];
            Span<byte> calling = stackalloc byte[16];
            int sopClassLength = Copy(request.SopClassUid.Span, sopClass);
            int sopInstanceLength = Copy(request.SopInstanceUid.Span, sopInstance);
            int syntaxLength = Copy(request.TransferSyntax.Uid.Span, syntax);
            int callingLength = Copy(request.CallingAeTitle.Span, calling);
            byte[]? rented = null;
            int pathLength = path is null ? 0 : Encoding.UTF8.GetByteCount(path);
            Span<byte> file = pathLength <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(pathLength));
            if (path is not null)
            {
                Encoding.UTF8.GetBytes(path, file);
            }

            try
            {
                fixed (byte* a = sopClass)
                fixed (byte* b = sopInstance)
                fixed (byte* c = syntax)
                fixed (byte* d = calling)
                fixed (byte* e = file)
                {
                    var info = new ObjectInfo
                    {
                        SopClass = new EdicomStr { Ptr = a, Len = (nuint)sopClassLength },
                        SopInstance = new EdicomStr { Ptr = b, Len = (nuint)sopInstanceLength },
                        TransferSyntax = new EdicomStr { Ptr = c, Len = (nuint)syntaxLength },
                        CallingAe = new EdicomStr { Ptr = d, Len = (nuint)callingLength },
                        Path = new EdicomStr { Ptr = e, Len = (nuint)pathLength },
                        Size = size,
                    };
                    return onObject(user, &info);
                }
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }

        private static int Copy(ReadOnlySpan<byte> value, Span<byte> destination)
        {
            int length = Math.Min(value.Length, destination.Length);
            value[..length].CopyTo(destination);
            return length;
        }
    }

    /// <summary>
    /// Wraps the file or discarding handler: once an object is complete (stored and renamed, or counted), the C
    /// callback sees it and its return value becomes the C-STORE status.
    /// </summary>
    private sealed class CallbackStorageHandler(IStorageHandler inner, ScpCallbacks callbacks, bool discarding) : IStorageHandler
    {
        private readonly IStorageHandler _inner = inner;
        private readonly ScpCallbacks _callbacks = callbacks;
        private readonly FileStorageHandler? _files = discarding ? null : inner as FileStorageHandler;

        // Sinks are handed out again once released (IStorageSink.Release, after the C-STORE-RSP was built): one
        // per concurrent object, not one per object. The pool is shared by the server's associations.
        private readonly Sink?[] _free = new Sink?[16];

        public IStorageSink Begin(in StorageRequest request)
        {
            Sink sink = Rent() ?? new Sink(this);
            sink.Start(_inner.Begin(request), request);
            return sink;
        }

        private Sink? Rent()
        {
            for (int i = 0; i < _free.Length; i++)
            {
                Sink? sink = Volatile.Read(ref _free[i]);
                if (sink is not null && Interlocked.CompareExchange(ref _free[i], null, sink) == sink)
                {
                    return sink;
                }
            }

            return null;
        }

        private void Return(Sink sink)
        {
            for (int i = 0; i < _free.Length; i++)
            {
                if (Volatile.Read(ref _free[i]) is null && Interlocked.CompareExchange(ref _free[i], sink, null) is null)
                {
                    return;
                }
            }
        }

        private sealed class Sink(CallbackStorageHandler owner) : IStorageSink
        {
            private IStorageSink _inner = null!;
            private StorageRequest _request;
            private ulong _size;
            private ushort? _status;

            public ushort Status => _status ?? _inner.Status;

            public string? ErrorComment => _status is null ? _inner.ErrorComment : null;

            public void Start(IStorageSink inner, in StorageRequest request)
            {
                _inner = inner;
                _request = request;
                _size = 0;
                _status = null;
            }

            public void Write(in ReadOnlySequence<byte> fragment)
            {
                _size += (ulong)fragment.Length;
                _inner.Write(fragment);
            }

            public void Complete()
            {
                _inner.Complete();
                if (_inner.Status == 0x0000)
                {
                    FileStorageHandler? files = owner._files;
                    string? path = files is null ? null : System.IO.Path.Combine(files.Directory, FileStorageHandler.GetFileName(_request.SopInstanceUid));
                    _status = owner._callbacks.OnObject(_request, path, _size);
                }
            }

            public void Abort() => _inner.Abort();

            public void Release()
            {
                _inner.Release();
                _inner = null!;
                _request = default;
                owner.Return(this);
            }
        }
    }
}
