using System;
using System.IO;
using System.Runtime.InteropServices;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking;

namespace Embedded.Dicom.Native;

/// <summary>
/// pread(2) on a descriptor opened by edicom_store_file, for reading its meta group through the session's
/// window (<see cref="Part10.WindowedSource{TReader}"/>). A failed read is "the file ends here": the caller then
/// retries the file on the general path, which reports the error as it always has.
/// </summary>
internal readonly struct FileDescriptorReader(int fd) : Part10.IPositionalReader
{
    public int Read(Span<byte> buffer, long offset) => FileDescriptorDataSetSource.PRead(fd, buffer, offset);
}

/// <summary>
/// The data set of a file opened by edicom_store_file, sent as it is from its offset to the file length read
/// at open, with pread(2) straight into the outgoing PDU. One per association, re-armed by <see cref="Reset"/>
/// for each C-STORE; the descriptor belongs to the export, which closes it once the C-STORE has completed.
/// </summary>
internal sealed class FileDescriptorDataSetSource : IDataSetSource
{
    private int _fd = -1;
    private long _offset;
    private long _length;

    public FileDescriptorDataSetSource Reset(int fd, long offset, long length)
    {
        _fd = fd;
        _offset = offset;
        _length = length;
        return this;
    }

    public long RemainingLength => Math.Max(0, _length - _offset);

    public int Read(Span<byte> destination)
    {
        // The end is known from the file length: no extra read() that only returns 0.
        if (_offset >= _length)
        {
            return 0;
        }

        int read = PRead(_fd, destination[..(int)Math.Min(destination.Length, _length - _offset)], _offset);
        if (read < 0)
        {
            throw new IOException($"reading the file failed: {Marshal.GetPInvokeErrorMessage(-read)}");
        }

        _offset += read;
        return read;
    }

    /// <summary>pread(2) into <paramref name="buffer"/>; the byte count, 0 at the end, or -errno.</summary>
    internal static unsafe int PRead(int fd, Span<byte> buffer, long offset)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint read = Interop.PRead(fd, p, (nuint)buffer.Length, offset);
                if (read >= 0)
                {
                    return (int)read;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Interop.EINTR)
                {
                    return -errno;
                }
            }
        }
    }
}
