using System;
using Embedded.Dicom.Networking;

namespace Embedded.Dicom.Native;

/// <summary>
/// A data set in caller memory, sent in place (the caller keeps it alive for the call). One per association,
/// pointed at each call's buffer by <see cref="Reset"/>: no source object per C-STORE.
/// </summary>
internal sealed unsafe class UnmanagedMemorySource : IDataSetSource
{
    private byte* _data;
    private nuint _length;
    private nuint _position;

    public UnmanagedMemorySource Reset(byte* data, nuint length)
    {
        _data = data;
        _length = length;
        _position = 0;
        return this;
    }

    public long RemainingLength => (long)(_length - _position);

    public int Read(Span<byte> destination)
    {
        int count = (int)Math.Min((ulong)destination.Length, _length - _position);
        new ReadOnlySpan<byte>(_data + _position, count).CopyTo(destination);
        _position += (nuint)count;
        return count;
    }
}

/// <summary>
/// Pulls the data set from a C callback read(user, buf, cap): detector frames stream without being held
/// whole. The callback returns the bytes written (0 at the end, negative for an error). One per association,
/// re-armed by <see cref="Reset"/> for each C-STORE.
/// </summary>
internal sealed unsafe class CallbackSource : IDataSetSource
{
    private delegate* unmanaged[Cdecl]<void*, byte*, nuint, long> _read;
    private void* _user;

    public CallbackSource Reset(delegate* unmanaged[Cdecl]<void*, byte*, nuint, long> read, void* user)
    {
        _read = read;
        _user = user;
        return this;
    }

    public int Read(Span<byte> destination)
    {
        fixed (byte* buffer = destination)
        {
            long count = _read(_user, buffer, (nuint)destination.Length);
            if (count < 0 || count > destination.Length)
            {
                throw new DicomNetworkException(DicomNetworkFailure.LocalError, $"the read callback failed (returned {count})");
            }

            return (int)count;
        }
    }
}

/// <summary>
/// Reports progress to a C callback after each piece; a non-zero return cancels the operation. One per
/// association, re-armed by <see cref="Reset"/> for each C-STORE.
/// </summary>
internal sealed unsafe class ProgressSource(ClientSession session) : IDataSetSource
{
    private IDataSetSource _inner = null!;
    private ulong _total;
    private ulong _sent;

    public ProgressSource Reset(IDataSetSource inner, ulong total)
    {
        _inner = inner;
        _total = total;
        _sent = 0;
        return this;
    }

    public long RemainingLength => _inner.RemainingLength;

    public int Read(Span<byte> destination)
    {
        int count = _inner.Read(destination);
        _sent += (ulong)count;
        if (session.Progress != null && session.Progress(session.ProgressUser, _sent, _total) != 0)
        {
            session.Cancellation.Cancel();
            throw new OperationCanceledException("cancelled by the progress callback");
        }

        return count;
    }
}
