using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Embedded.Dicom.Agent.Spool;

/// <summary>
/// Crash-safe file steps: write to a temporary name, fsync, rename into place, fsync the directory. After a
/// power cut a file is either absent or complete, never partial; a rename is either done or not.
/// </summary>
internal static class Durable
{
    /// <summary>Makes the directory entries of <paramref name="directory"/> (creations, renames, unlinks) durable.</summary>
    public static void SyncDirectory(string directory)
    {
        int fd = Interop.Open(directory, Interop.O_RDONLY | Interop.O_DIRECTORY | Interop.O_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException($"{directory}: open for fsync failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        try
        {
            if (Interop.FSync(fd) != 0)
            {
                throw new IOException($"{directory}: fsync failed: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            _ = Interop.Close(fd);
        }
    }

    /// <summary>
    /// Flushes everything written to the file system that holds <paramref name="directory"/> (syncfs(2)): file data,
    /// new files and renames alike. One call replaces an fsync per file and per directory when a batch of objects
    /// is taken, and also covers the data of files the producer did not fsync (same file system).
    /// </summary>
    public static void SyncFileSystem(string directory)
    {
        int fd = Interop.Open(directory, Interop.O_RDONLY | Interop.O_DIRECTORY | Interop.O_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException($"{directory}: open for syncfs failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        try
        {
            if (Interop.SyncFs(fd) != 0)
            {
                throw new IOException($"{directory}: syncfs failed: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            _ = Interop.Close(fd);
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically (temp in <paramref name="tempDirectory"/>, fsync, rename); the directory sync is the caller's.</summary>
    public static void WriteAllText(string path, string text, string tempDirectory) => File.Move(WriteTemporary(path, text, tempDirectory, flush: true), path, overwrite: true);

    /// <summary>Writes <paramref name="text"/> under a temporary name for <paramref name="path"/> and returns that name; with <paramref name="flush"/>, fsync'ed.</summary>
    public static string WriteTemporary(string path, string text, string tempDirectory, bool flush)
    {
        string temp = Path.Combine(tempDirectory, Path.GetFileName(Path.GetDirectoryName(path)) + "-" + Path.GetFileName(path) + ".tmp");
        try
        {
            using var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            stream.Write(Encoding.UTF8.GetBytes(text));
            stream.Flush(flushToDisk: flush);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        return temp;
    }

    /// <summary>
    /// Moves a file into another folder. On one file system that is a rename. Across file systems .NET's
    /// File.Move would copy and delete without fsync, so a power cut could leave neither copy intact: here the
    /// copy is fsync'ed and renamed into place, and its directory synced, before the source is deleted (a crash
    /// in between leaves two copies, never none). The caller syncs the directories of a plain rename.
    /// </summary>
    public static void Move(string source, string destination, string tempDirectory, bool sameFileSystem)
    {
        if (sameFileSystem)
        {
            File.Move(source, destination, overwrite: false);
            return;
        }

        string temp = Path.Combine(tempDirectory, Path.GetFileName(destination) + ".copy");
        try
        {
            using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            input.CopyTo(output);
            output.Flush(flushToDisk: true);
        }
        catch
        {
            File.Delete(temp); // a full disk must not keep the partial copy's blocks
            throw;
        }

        File.Move(temp, destination, overwrite: false);
        SyncDirectory(Path.GetDirectoryName(destination)!);
        File.Delete(source);
    }

    /// <summary>Whether two folders are on the same mounted file system (longest mount-point prefix in /proc/self/mounts).</summary>
    public static bool SameFileSystem(string a, string b) => string.Equals(MountOf(a), MountOf(b), StringComparison.Ordinal);

    private static string MountOf(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd('/') + "/";
        string best = "/";
        try
        {
            foreach (string line in File.ReadLines("/proc/self/mounts"))
            {
                string[] fields = line.Split(' ');
                if (fields.Length > 1)
                {
                    // Mount points with spaces are octal-escaped (\040) in /proc/self/mounts.
                    string mount = fields[1].Replace("\\040", " ", StringComparison.Ordinal).TrimEnd('/') + "/";
                    if (full.StartsWith(mount, StringComparison.Ordinal) && mount.Length > best.Length)
                    {
                        best = mount;
                    }
                }
            }
        }
        catch (IOException)
        {
        }

        return best;
    }
}
