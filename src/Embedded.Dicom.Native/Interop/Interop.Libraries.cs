namespace Embedded.Dicom.Native;

/// <summary>
/// libc calls for edicom_store_file: the file is opened from the caller's UTF-8 path bytes and read with
/// pread(2), so storing a file makes no path string and no SafeFileHandle per call.
/// </summary>
internal static partial class Interop
{
    private const string Libc = "libc";

    // asm-generic/fcntl.h; O_RDONLY and O_CLOEXEC have the same values on x86-64 and aarch64 (unlike
    // O_DIRECTORY, O_NOFOLLOW, O_DIRECT and O_LARGEFILE, which aarch64 redefines).
    internal const int O_RDONLY = 0;
    internal const int O_CLOEXEC = 0x80000;

    // unistd.h
    internal const int SEEK_END = 2;

    // asm-generic/errno-base.h
    internal const int EINTR = 4;
}
