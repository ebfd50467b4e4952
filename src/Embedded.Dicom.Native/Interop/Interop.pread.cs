using System.Runtime.InteropServices;

namespace Embedded.Dicom.Native;

internal static unsafe partial class Interop
{
    /// <summary>pread(2): ssize_t pread(int, void *, size_t, off_t), off_t 64-bit on the 64-bit targets.</summary>
    [LibraryImport(Libc, EntryPoint = "pread", SetLastError = true)]
    internal static partial nint PRead(int fd, byte* buffer, nuint count, long offset);
}
