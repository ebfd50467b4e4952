using System;
using System.Text;

namespace Embedded.Dicom.Native;

/// <summary>
/// The message of the last failure on the calling thread (edicom_last_error). Per thread, so that two
/// firmware threads never read each other's errors; set by every failing export, kept until the next failure.
/// </summary>
internal static class LastError
{
    [ThreadStatic]
    private static string? t_message;

    public static string? Message => t_message;

    public static int Set(int code, string message)
    {
        t_message = message;
        return code;
    }

    public static int Set(Exception exception) => exception switch
    {
        Networking.DicomNetworkException network => Set(NativeResult.FromFailure(network.Failure), network.Message),
        OperationCanceledException => Set(NativeResult.Cancelled, "the operation was cancelled; the association was aborted"),
        ArgumentException argument => Set(NativeResult.InvalidArgument, argument.Message),
        System.IO.IOException io => Set(NativeResult.LocalIo, io.Message),
        UnauthorizedAccessException access => Set(NativeResult.LocalIo, access.Message),
        _ => Set(NativeResult.Internal, "internal error: " + exception.GetType().Name + ": " + exception.Message),
    };

    /// <summary>Copies UTF-8 text NUL-terminated into a caller buffer; BufferTooSmall with the size needed.</summary>
    public static unsafe int CopyOut(string text, byte* buffer, nuint capacity, nuint* needed)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        if (needed != null)
        {
            *needed = (nuint)(length + 1);
        }

        if (buffer == null || capacity < (nuint)(length + 1))
        {
            return buffer == null && capacity != 0 ? NativeResult.InvalidArgument : NativeResult.BufferTooSmall;
        }

        var destination = new Span<byte>(buffer, length + 1);
        Encoding.UTF8.GetBytes(text, destination);
        destination[length] = 0;
        return NativeResult.Ok;
    }
}
