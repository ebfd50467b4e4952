using System;
using Embedded.Dicom.Networking;

namespace Embedded.Dicom.Native;

/// <summary>A data set in caller memory, sent in place (the caller keeps it alive for the call).</summary>
internal sealed unsafe class UnmanagedMemorySource(byte* data, nuint length) : IDataSetSource
{
    private nuint _position;

    public long RemainingLength => (long)(length - _position);

    public int Read(Span<byte> destination)
    {
        int count = (int)Math.Min((ulong)destination.Length, length - _position);
        new ReadOnlySpan<byte>(data + _position, count).CopyTo(destination);
        _position += (nuint)count;
        return count;
    }
}

/// <summary>
/// Pulls the data set from a C callback read(user, buf, cap): detector frames stream without being held
/// whole. The callback returns the bytes written (0 at the end, negative for an error).
/// </summary>
internal sealed unsafe class CallbackSource(delegate* unmanaged[Cdecl]<void*, byte*, nuint, long> read, void* user) : IDataSetSource
{
    public int Read(Span<byte> destination)
    {
        fixed (byte* buffer = destination)
        {
            long count = read(user, buffer, (nuint)destination.Length);
            if (count < 0 || count > destination.Length)
            {
                throw new DicomNetworkException(DicomNetworkFailure.LocalError, $"the read callback failed (returned {count})");
            }

            return (int)count;
        }
    }
}

/// <summary>Reports progress to a C callback after each piece; a non-zero return cancels the operation.</summary>
internal sealed unsafe class ProgressSource(IDataSetSource inner, ClientSession session, ulong total) : IDataSetSource
{
    private ulong _sent;

    public long RemainingLength => inner.RemainingLength;

    public int Read(Span<byte> destination)
    {
        int count = inner.Read(destination);
        _sent += (ulong)count;
        if (session.Progress != null && session.Progress(session.ProgressUser, _sent, total) != 0)
        {
            session.Cancellation.Cancel();
            throw new OperationCanceledException("cancelled by the progress callback");
        }

        return count;
    }
}
