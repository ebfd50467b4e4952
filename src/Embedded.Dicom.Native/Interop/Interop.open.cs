using System.Runtime.InteropServices;

namespace Embedded.Dicom.Native;

internal static unsafe partial class Interop
{
    /// <summary>open(2) on a NUL-terminated path; -1 and errno on failure.</summary>
    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true)]
    internal static partial int Open(byte* path, int flags);
}
