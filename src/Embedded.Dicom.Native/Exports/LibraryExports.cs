using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace Embedded.Dicom.Native.Exports;

/// <summary>Library-wide exports: versions, the per-thread last error, initialisation, logging.</summary>
internal static unsafe class LibraryExports
{
    /// <summary>EDICOM_ABI_VERSION of include/edicom.h: bumped on any incompatible change of a signature or struct.</summary>
    public const uint AbiVersion = 1;

    private const string LibraryVersion = "0.1.0";

    private static delegate* unmanaged[Cdecl]<void*, int, uint, byte*, nuint, void> s_log;
    private static void* s_logUser;

    [UnmanagedCallersOnly(EntryPoint = "edicom_abi_version", CallConvs = [typeof(CallConvCdecl)])]
    public static uint GetAbiVersion() => AbiVersion;

    [UnmanagedCallersOnly(EntryPoint = "edicom_version", CallConvs = [typeof(CallConvCdecl)])]
    public static int GetVersion(byte* buffer, nuint capacity, nuint* needed)
    {
        try
        {
            return LastError.CopyOut(LibraryVersion, buffer, capacity, needed);
        }
        catch (Exception e)
        {
            return LastError.Set(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_last_error", CallConvs = [typeof(CallConvCdecl)])]
    public static int GetLastError(byte* buffer, nuint capacity, nuint* needed)
    {
        try
        {
            return LastError.CopyOut(LastError.Message ?? "", buffer, capacity, needed);
        }
        catch (Exception)
        {
            return NativeResult.Internal;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_init", CallConvs = [typeof(CallConvCdecl)])]
    public static int Init()
    {
        try
        {
            // The runtime starts lazily on the first call (about a millisecond, more on a board): calling this
            // at boot pays it then, and warms the code paths of an echo.
            _ = DicomUid.Parse("1.2.840.10008.1.1");
            _ = TransferSyntax.ExplicitVRLittleEndian;
            return NativeResult.Ok;
        }
        catch (Exception e)
        {
            return LastError.Set(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_allocated_bytes", CallConvs = [typeof(CallConvCdecl)])]
    public static int AllocatedBytes(ulong* bytes)
    {
        if (bytes == null)
        {
            return LastError.Set(NativeResult.InvalidArgument, "bytes is NULL");
        }

        // Every thread of the library's runtime, precisely: what a steady-state check needs.
        *bytes = (ulong)GC.GetTotalAllocatedBytes(precise: true);
        return NativeResult.Ok;
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_set_log_callback", CallConvs = [typeof(CallConvCdecl)])]
    public static int SetLogCallback(delegate* unmanaged[Cdecl]<void*, int, uint, byte*, nuint, void> callback, void* user)
    {
        s_logUser = user;
        s_log = callback;
        return NativeResult.Ok;
    }

    /// <summary>Sends one line to the C logging callback, if any (levels: 0 debug, 1 info, 2 warning, 3 error).</summary>
    public static void Log(int level, int associationId, string message)
    {
        delegate* unmanaged[Cdecl]<void*, int, uint, byte*, nuint, void> log = s_log;
        if (log == null)
        {
            return;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(message);
        fixed (byte* text = bytes)
        {
            log(s_logUser, level, (uint)associationId, text, (nuint)bytes.Length);
        }
    }

    /// <summary>Fills an edicom_result (when given) and returns its code.</summary>
    public static int Complete(OperationResult* result, int code, ushort status = 0, bool hasResponse = false, ushort messageId = 0, string? comment = null)
    {
        if (result != null)
        {
            *result = default;
            result->Code = code;
            result->Status = status;
            result->HasResponse = hasResponse ? (byte)1 : (byte)0;
            result->StatusClass = hasResponse ? (byte)DicomStatus.Classify(status) : (byte)0;
            result->MessageId = messageId;
            if (comment is not null)
            {
                var destination = new Span<byte>(result->ErrorComment, OperationResult.ErrorCommentCapacity - 1);
                int written = Encoding.ASCII.GetBytes(comment.AsSpan(0, Math.Min(comment.Length, destination.Length)), destination);
                result->ErrorComment[written] = 0;
            }
        }

        return code;
    }

    public static int Fail(OperationResult* result, Exception e) => Complete(result, LastError.Set(e));

    public static int Fail(OperationResult* result, int code, string message) => Complete(result, LastError.Set(code, message));

}
