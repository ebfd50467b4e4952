using System.Runtime.InteropServices;

namespace Embedded.Dicom.Agent;

/// <summary>
/// The few libc calls .NET does not expose: a rename or an unlink is durable only once the directory that
/// holds the entry has been fsync'ed (POSIX fsync(2); ext4 and f2fs document it), and .NET cannot open a
/// directory as a file handle.
/// </summary>
internal static partial class Interop
{
    private const string Libc = "libc";

    internal const int O_RDONLY = 0;
    // O_DIRECTORY differs between architectures: 0200000 in asm-generic/fcntl.h (x86-64), 040000 in
    // arch/arm64/include/uapi/asm/fcntl.h (aarch64 redefines it, with O_NOFOLLOW, O_DIRECT and O_LARGEFILE).
    internal static readonly int O_DIRECTORY = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? 0x4000 : 0x10000;
    internal const int O_CLOEXEC = 0x80000;

    [LibraryImport(Libc, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags);

    [LibraryImport(Libc, EntryPoint = "fsync", SetLastError = true)]
    internal static partial int FSync(int fd);

    [LibraryImport(Libc, EntryPoint = "close")]
    internal static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "syncfs", SetLastError = true)]
    internal static partial int SyncFs(int fd);

    internal const int LOCK_EX = 2;
    internal const int LOCK_NB = 4;

    [LibraryImport(Libc, EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(int fd, int operation);
}
