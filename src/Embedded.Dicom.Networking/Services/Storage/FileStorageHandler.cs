using System;
using System.Buffers;
using System.IO;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;
using Microsoft.Win32.SafeHandles;

namespace Embedded.Dicom.Networking.Services;

/// <summary>
/// Stores each received object as a Part 10 file (PS3.10 §7) in one folder, without ever leaving a partial
/// file: the object streams to a hidden temporary name, is flushed to disk, then renamed into place (an
/// atomic replace when the SOP instance was already stored). A failed write answers 0xA700 Out of Resources
/// and removes the temporary file; an aborted association removes it too.
/// </summary>
public sealed class FileStorageHandler : IStorageHandler
{
    /// <summary>
    /// Stores into <paramref name="directory"/> (created if missing). Temporary files left there by a receiver
    /// that was killed (SIGKILL, power cut) are removed: their names carry the writer's process ID, and only
    /// those of processes that no longer run are touched, so several receivers may share a folder.
    /// </summary>
    public FileStorageHandler(string directory)
    {
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
        RemoveStaleTemporaryFiles(Directory);
    }

    private static readonly string s_tempPrefix = ".edicom-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-";

    private static void RemoveStaleTemporaryFiles(string directory)
    {
        foreach (string path in System.IO.Directory.EnumerateFiles(directory, ".edicom-*.part"))
        {
            // .edicom-PID-GUID.part; a name without a PID comes from a version before this rule and is stale too.
            string name = Path.GetFileName(path);
            int dash = name.IndexOf('-', 8);
            bool alive = dash > 8 && int.TryParse(name.AsSpan(8, dash - 8), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid) &&
                System.IO.Directory.Exists("/proc/" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!alive)
            {
                try
                {
                    File.Delete(path);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    /// <summary>The output folder.</summary>
    public string Directory { get; }

    /// <summary>Called with the final path of each stored object.</summary>
    public Action<string>? Stored { get; init; }

    /// <inheritdoc/>
    public IStorageSink Begin(in StorageRequest request) => new FileStorageSink(this, request);

    /// <summary>
    /// The file name for an SOP Instance UID: the UID itself when it is a valid UID (PS3.5 §9.1: digits and dots,
    /// at most 64 bytes — nothing that can name another folder), otherwise "invalid-uid-" and the received bytes
    /// in hexadecimal, so that a hostile value ("../", "/", NUL, shell characters) never reaches the file system.
    /// Hexadecimal rather than a hash: two different values can never share a name (no object overwrites
    /// another), the name reads back to the value, and at most 64 bytes give 144 characters, within NAME_MAX.
    /// </summary>
    public static string GetFileName(in DicomUid sopInstanceUid)
        => sopInstanceUid.IsValid
            ? sopInstanceUid.ToString() + ".dcm"
            : "invalid-uid-" + Convert.ToHexStringLower(sopInstanceUid.Span) + ".dcm";

    private sealed class FileStorageSink : IStorageSink
    {
        private readonly FileStorageHandler _owner;
        private readonly string _finalPath;
        private readonly string _tempPath;
        private SafeFileHandle? _handle;
        private long _offset;

        public FileStorageSink(FileStorageHandler owner, in StorageRequest request)
        {
            _owner = owner;
            _finalPath = Path.Combine(owner.Directory, GetFileName(request.SopInstanceUid));
            _tempPath = Path.Combine(owner.Directory, s_tempPrefix + Guid.NewGuid().ToString("N") + ".part");
            if (request.SopInstanceUid.IsEmpty || request.SopClassUid.IsEmpty)
            {
                Fail(0xC000, "empty SOP class or instance UID");
                return;
            }

            try
            {
                _handle = File.OpenHandle(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                Span<byte> ae = stackalloc byte[AeTitle.MaxLength];
                request.CallingAeTitle.Span.CopyTo(ae);
                ReadOnlySpan<byte> source = ae[..request.CallingAeTitle.Length];
                ReadOnlySpan<byte> version = "EDICOM_0.1"u8;
                int length = Part10.GetFileMetaInformationLength(request.SopClassUid, request.SopInstanceUid, request.TransferSyntax.Uid,
                    Implementation.ClassUid, version, source);
                byte[] meta = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    Part10.WriteFileMetaInformation(meta, request.SopClassUid, request.SopInstanceUid, request.TransferSyntax.Uid,
                        Implementation.ClassUid, version, source);
                    RandomAccess.Write(_handle, meta.AsSpan(0, length), 0);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(meta);
                }

                _offset = length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Fail(0xA700, e.Message);
            }
        }

        public ushort Status { get; private set; }

        public string? ErrorComment { get; private set; }

        public void Write(in ReadOnlySequence<byte> fragment)
        {
            if (_handle is null)
            {
                return; // already failed: keep consuming the data set, answer the failure at the end
            }

            try
            {
                foreach (ReadOnlyMemory<byte> segment in fragment)
                {
                    RandomAccess.Write(_handle, segment.Span, _offset);
                    _offset += segment.Length;
                }
            }
            catch (IOException e)
            {
                Fail(0xA700, e.Message);
            }
        }

        public void Complete()
        {
            if (_handle is null)
            {
                return;
            }

            try
            {
                RandomAccess.FlushToDisk(_handle);
                _handle.Dispose();
                _handle = null;
                File.Move(_tempPath, _finalPath, overwrite: true);
                _owner.Stored?.Invoke(_finalPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Fail(0xA700, e.Message);
            }
        }

        public void Abort() => Fail(Status == 0 ? (ushort)0xA700 : Status, "association ended before the data set did");

        private void Fail(ushort status, string why)
        {
            Status = status;
            ErrorComment = why.Length > 64 ? why[..64] : why;
            _handle?.Dispose();
            _handle = null;
            try
            {
                File.Delete(_tempPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Nothing more can be done; the name is hidden and unique.
            }
        }
    }
}
