using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using System.Text;

namespace Embedded.Dicom.Networking.Services;

public sealed partial class StoredObjectIndex
{
    /// <summary>
    /// The name of the index file in the storage folder. Hidden, so that <see cref="AddFolder"/> and the agent's
    /// intake skip it, and not "*.part", so that <see cref="FileStorageHandler"/> does not remove it at start.
    /// </summary>
    public const string IndexFileName = ".edicom-index";

    /// <summary>
    /// Indexes the files of <paramref name="directory"/> through its index file: a file whose name, length and
    /// last-write time match a record is indexed from the record without being opened; the others are read and
    /// their records appended; records of files that are gone are left behind, and the file is rewritten compactly
    /// when they are more than half of it, or when it is missing, unreadable or ends in a torn record.
    /// </summary>
    private int AddFolderWithIndexFile(string directory)
    {
        string folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var files = new List<FileInfo>();
        foreach (FileInfo file in new DirectoryInfo(folder).EnumerateFiles())
        {
            if (!file.Name.StartsWith('.'))
            {
                files.Add(file);
            }
        }

        files.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name)); // the order of AddFolder

        string indexPath = Path.Combine(folder, IndexFileName);
        IndexFile.Contents contents = IndexFile.Load(indexPath);
        var live = new List<IndexRecord>(files.Count);
        var appended = new List<IndexRecord>();
        int reused = 0;
        int added = 0;
        foreach (FileInfo file in files)
        {
            FileStamp stamp;
            try
            {
                stamp = new FileStamp(file.Length, file.LastWriteTimeUtc.Ticks);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // removed since it was listed
            }

            if (contents.Records.TryGetValue(file.Name, out IndexRecord? record) && record.Stamp == stamp)
            {
                reused++;
            }
            else
            {
                ScanResult result = Scan(file.FullName, out string?[] values, out FileStamp read);
                if (result == ScanResult.Unreadable)
                {
                    continue;
                }

                record = new IndexRecord(file.Name, read, result == ScanResult.Indexed ? values : null);
                appended.Add(record);
            }

            live.Add(record);
            if (record.Values is not null && AddValues(file.FullName, record.Values))
            {
                added++;
            }
        }

        // Stale: records of files gone or changed, and earlier records of a name written again.
        int stale = contents.RecordCount - reused;
        var indexFile = new IndexFile(indexPath, folder);
        bool usable = !contents.Intact || stale * 2 > contents.RecordCount + appended.Count
            ? indexFile.Rewrite(live)
            : indexFile.Append(appended);

        // An index file that cannot be written (read-only or full file system) leaves the index in memory only.
        _indexFile = usable ? indexFile : null;
        return added;
    }

    private enum ScanResult : byte
    {
        /// <summary>Read and indexable.</summary>
        Indexed,

        /// <summary>Read, but not a Part 10 file, or one lacking a Study, Series or SOP Instance UID.</summary>
        NotIndexable,

        /// <summary>Could not be opened or read (gone, no permission, I/O error): nothing is recorded.</summary>
        Unreadable,
    }

    /// <summary>What tells a file's content changed, without reading it: its length and last-write time (UTC ticks).</summary>
    private readonly record struct FileStamp(long Length, long LastWriteTicks);

    /// <summary>One file of the folder as the index file records it; <see cref="Values"/> is null for a file not indexed.</summary>
    private sealed record IndexRecord(string Name, FileStamp Stamp, string?[]? Values);

    /// <summary>
    /// The append-only index file. All integers little-endian.
    /// <code>
    /// header (16 bytes)
    ///   0   8  magic "EDICOMIX"
    ///   8   4  format version (1)
    ///   12  4  schema: CRC-32C of the captured tags (s_capture, uint32 each); another table means another file
    /// record, repeated to the end of the file
    ///   0   4  payload length N (at most 1 MiB)
    ///   4   4  CRC-32C (Castagnoli) of the payload
    ///   8   N  payload:
    ///            0   1  kind: 1 indexed instance, 0 file read but not indexable (not Part 10, no UIDs)
    ///            1   8  file length in bytes
    ///            9   8  file last-write time, UTC, in 100 ns ticks since 0001-01-01
    ///            17  .  file name (a string)
    ///            .   1  kind 1 only: count of values (the number of captured tags), then that many strings
    /// string: uint16 byte count (0xFFFF: absent) and that many bytes of UTF-8
    /// </code>
    /// Reading stops at the first record that is short, too long or fails its CRC: a write torn by a crash can
    /// only be the last record, and what follows a damaged record is not trusted (those files are read again).
    /// </summary>
    private sealed class IndexFile(string path, string folder)
    {
        private const int HeaderLength = 16;
        private const int RecordHeaderLength = 8;
        private const int MaxPayloadLength = 1 << 20;
        private const uint Version = 1;
        private const ushort Absent = 0xFFFF;
        private const byte KindNotIndexed = 0;
        private const byte KindIndexed = 1;

        private readonly object _gate = new();
        private bool _failed;

        private static ReadOnlySpan<byte> Magic => "EDICOMIX"u8;

        /// <summary>The records of an index file by file name (the last one of a name wins).</summary>
        public sealed class Contents
        {
            public readonly Dictionary<string, IndexRecord> Records = new(StringComparer.Ordinal);

            /// <summary>The number of valid records read, superseded ones included.</summary>
            public int RecordCount;

            /// <summary>False when the file is missing, unreadable, of another format or schema, or ends in a torn or damaged record.</summary>
            public bool Intact;
        }

        /// <summary>Reads an index file; never throws: whatever cannot be read is left out and <see cref="Contents.Intact"/> is false.</summary>
        public static Contents Load(string path)
        {
            var contents = new Contents();
            byte[] data;
            try
            {
                data = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return contents; // missing (the first start), a directory, over 2 GB, unreadable
            }

            ReadOnlySpan<byte> span = data;
            if (span.Length < HeaderLength || !span[..8].SequenceEqual(Magic) ||
                BinaryPrimitives.ReadUInt32LittleEndian(span[8..]) != Version || BinaryPrimitives.ReadUInt32LittleEndian(span[12..]) != Schema())
            {
                return contents;
            }

            int offset = HeaderLength;
            while (span.Length - offset >= RecordHeaderLength)
            {
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(span[offset..]);
                uint crc = BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + 4)..]);
                if (length > MaxPayloadLength || length > span.Length - offset - RecordHeaderLength)
                {
                    break;
                }

                ReadOnlySpan<byte> payload = span.Slice(offset + RecordHeaderLength, (int)length);
                if (Crc32C(payload) != crc || !TryDecode(payload, out IndexRecord? record))
                {
                    break;
                }

                contents.Records[record.Name] = record;
                contents.RecordCount++;
                offset += RecordHeaderLength + (int)length;
            }

            contents.Intact = offset == span.Length;
            return contents;
        }

        /// <summary>
        /// Records a file indexed while running (<see cref="Add"/>), when it is in this folder. Flushed to the
        /// operating system, not to the disk: a power cut may lose the last records (or tear the last one), which
        /// only means reading those files again at the next start.
        /// </summary>
        public void Append(string filePath, FileStamp stamp, string?[]? values)
        {
            string full = Path.GetFullPath(filePath);
            string name = Path.GetFileName(full);
            if (name.StartsWith('.') || !string.Equals(Path.GetDirectoryName(full), folder, StringComparison.Ordinal))
            {
                return;
            }

            lock (_gate)
            {
                if (!_failed)
                {
                    _failed = !Append([new IndexRecord(name, stamp, values)]);
                }
            }
        }

        /// <summary>Appends records (the header first if the file is empty or was removed); false when it cannot be written.</summary>
        public bool Append(List<IndexRecord> records)
        {
            if (records.Count == 0)
            {
                return true;
            }

            var buffer = new MemoryStream();
            foreach (IndexRecord record in records)
            {
                WriteRecord(buffer, record);
            }

            try
            {
                using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, bufferSize: 1);
                long end = stream.Seek(0, SeekOrigin.End);
                try
                {
                    if (end == 0)
                    {
                        WriteHeader(stream);
                    }

                    buffer.WriteTo(stream);
                    stream.Flush(flushToDisk: false);
                }
                catch (IOException)
                {
                    // A partial write (disk full) would hide every later record behind it: cut it off.
                    stream.SetLength(end);
                    throw;
                }

                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        /// <summary>
        /// Replaces the index file with <paramref name="records"/>: written to a temporary name, flushed to disk
        /// (fsync), then renamed over the old one (atomic): a crash leaves either the old file or the new one.
        /// </summary>
        public bool Rewrite(List<IndexRecord> records)
        {
            string temp = path + ".tmp";
            try
            {
                using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 65536))
                {
                    WriteHeader(stream);
                    foreach (IndexRecord record in records)
                    {
                        WriteRecord(stream, record);
                    }

                    stream.Flush(flushToDisk: true);
                }

                File.Move(temp, path, overwrite: true);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                try
                {
                    File.Delete(temp);
                }
                catch (Exception e2) when (e2 is IOException or UnauthorizedAccessException)
                {
                }

                return false;
            }
        }

        private static void WriteHeader(Stream stream)
        {
            Span<byte> header = stackalloc byte[HeaderLength];
            Magic.CopyTo(header);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Version);
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], Schema());
            stream.Write(header);
        }

        /// <summary>Writes one record; a record that cannot be encoded (a value over 65,534 bytes) is left out, and its file read at each start.</summary>
        private static void WriteRecord(Stream stream, IndexRecord record)
        {
            int payloadLength = 1 + 8 + 8 + 2 + Encoding.UTF8.GetByteCount(record.Name);
            if (record.Values is not null)
            {
                payloadLength++;
                foreach (string? value in record.Values)
                {
                    payloadLength += 2 + (value is null ? 0 : Encoding.UTF8.GetByteCount(value));
                }
            }

            if (payloadLength > MaxPayloadLength)
            {
                return;
            }

            byte[] bytes = new byte[RecordHeaderLength + payloadLength];
            Span<byte> payload = bytes.AsSpan(RecordHeaderLength);
            payload[0] = record.Values is null ? KindNotIndexed : KindIndexed;
            BinaryPrimitives.WriteInt64LittleEndian(payload[1..], record.Stamp.Length);
            BinaryPrimitives.WriteInt64LittleEndian(payload[9..], record.Stamp.LastWriteTicks);
            int offset = 17;
            if (!TryWriteString(payload, ref offset, record.Name))
            {
                return;
            }

            if (record.Values is not null)
            {
                payload[offset++] = (byte)record.Values.Length;
                foreach (string? value in record.Values)
                {
                    if (!TryWriteString(payload, ref offset, value))
                    {
                        return;
                    }
                }
            }

            BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)payloadLength);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), Crc32C(payload));
            stream.Write(bytes);
        }

        private static bool TryWriteString(Span<byte> payload, ref int offset, string? value)
        {
            if (value is null)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(payload[offset..], Absent);
                offset += 2;
                return true;
            }

            int written = Encoding.UTF8.GetBytes(value, payload[(offset + 2)..]);
            if (written >= Absent)
            {
                return false;
            }

            BinaryPrimitives.WriteUInt16LittleEndian(payload[offset..], (ushort)written);
            offset += 2 + written;
            return true;
        }

        private static bool TryDecode(ReadOnlySpan<byte> payload, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IndexRecord? record)
        {
            record = null;
            if (payload.Length < 17 || payload[0] > KindIndexed)
            {
                return false;
            }

            var stamp = new FileStamp(BinaryPrimitives.ReadInt64LittleEndian(payload[1..]), BinaryPrimitives.ReadInt64LittleEndian(payload[9..]));
            int offset = 17;
            if (!TryReadString(payload, ref offset, out string? name) || string.IsNullOrEmpty(name))
            {
                return false;
            }

            string?[]? values = null;
            if (payload[0] == KindIndexed)
            {
                if (offset >= payload.Length || payload[offset++] != s_capture.Length)
                {
                    return false;
                }

                values = new string?[s_capture.Length];
                for (int i = 0; i < values.Length; i++)
                {
                    if (!TryReadString(payload, ref offset, out values[i]))
                    {
                        return false;
                    }
                }
            }

            if (offset != payload.Length)
            {
                return false;
            }

            record = new IndexRecord(name, stamp, values);
            return true;
        }

        private static bool TryReadString(ReadOnlySpan<byte> payload, ref int offset, out string? value)
        {
            value = null;
            if (payload.Length - offset < 2)
            {
                return false;
            }

            int length = BinaryPrimitives.ReadUInt16LittleEndian(payload[offset..]);
            offset += 2;
            if (length == Absent)
            {
                return true;
            }

            if (payload.Length - offset < length)
            {
                return false;
            }

            value = Encoding.UTF8.GetString(payload.Slice(offset, length));
            offset += length;
            return true;
        }

        /// <summary>Identifies the table of captured attributes the values of a record follow.</summary>
        private static uint Schema()
        {
            Span<byte> tags = stackalloc byte[s_capture.Length * 4];
            for (int i = 0; i < s_capture.Length; i++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(tags[(i * 4)..], s_capture[i].Value);
            }

            return Crc32C(tags);
        }

        /// <summary>CRC-32C (Castagnoli, as iSCSI and ext4 use), hardware-accelerated where the CPU has it.</summary>
        private static uint Crc32C(ReadOnlySpan<byte> data)
        {
            uint crc = uint.MaxValue;
            while (data.Length >= 8)
            {
                crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }

            foreach (byte b in data)
            {
                crc = BitOperations.Crc32C(crc, b);
            }

            return ~crc;
        }
    }
}
