using System.Runtime.InteropServices;

namespace Embedded.Dicom.Native;

internal static partial class Interop
{
    /// <summary>close(2).</summary>
    [LibraryImport(Libc, EntryPoint = "close")]
    internal static partial int Close(int fd);
}
