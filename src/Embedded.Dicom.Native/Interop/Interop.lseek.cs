using System.Runtime.InteropServices;

namespace Embedded.Dicom.Native;

internal static partial class Interop
{
    /// <summary>lseek(2); with <see cref="SEEK_END"/> and offset 0, the file length (no struct stat to lay out per architecture).</summary>
    [LibraryImport(Libc, EntryPoint = "lseek", SetLastError = true)]
    internal static partial long LSeek(int fd, long offset, int whence);
}
