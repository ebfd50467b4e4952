using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;

namespace Embedded.Dicom.Networking.Services;

/// <summary>
/// A Modality Performed Procedure Step SCP (PS3.4 Annex F.7) over a folder: each instance is one Part 10 file
/// <c>&lt;SOP Instance UID&gt;.dcm</c>, rewritten atomically (temp file, flush, rename) on every N-CREATE/N-SET.
/// </summary>
/// <remarks>
/// State rules (PS3.4 F.7.2.1/F.7.2.2): N-CREATE needs status IN PROGRESS and a new instance (else 0x0111
/// Duplicate SOP Instance); N-SET needs a known instance (else 0x0112) that is still IN PROGRESS (else 0x0110
/// "PPS object may no longer be updated"). An N-SET replaces the top-level attributes it
/// carries. The data set is kept in the transfer syntax of the N-CREATE; an N-SET in another syntax is refused.
/// Instances are kept in memory, loaded from the folder's files at start.
/// </remarks>
public sealed class MppsStore : INormalizedHandler
{
    private readonly string _directory;
    private readonly Dictionary<string, Instance> _instances = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>Stores instances in <paramref name="directory"/> (created if missing).</summary>
    public MppsStore(string directory)
    {
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
        Load();
    }

    /// <summary>The number of instances known (created here or loaded from the folder).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _instances.Count;
            }
        }
    }

    /// <summary>The file of <paramref name="sopInstanceUid"/>.</summary>
    public string GetPath(string sopInstanceUid) => Path.Combine(_directory, sopInstanceUid + ".dcm");

    /// <inheritdoc/>
    public bool IsSupported(in DicomUid sopClassUid) => sopClassUid.Equals(MppsScu.SopClassUid);

    /// <inheritdoc/>
    public NormalizedReply Handle(in NormalizedRequest request)
    {
        if (request.Operation is not (NormalizedOperation.Create or NormalizedOperation.Set))
        {
            return new NormalizedReply(0x0211); // MPPS has only N-CREATE and N-SET (PS3.4 F.7.2)
        }

        if (request.SopInstanceUid is not { IsValid: true } uid)
        {
            // This SCP does not assign UIDs: the modality names the instance (PS3.4 F.7.2.1.1).
            return new NormalizedReply(0x0120, "Affected SOP Instance UID required"); // Missing attribute
        }

        if (!TryParse(request.DataSet, request.TransferSyntax, out SortedDictionary<uint, byte[]> elements, out string? status))
        {
            return new NormalizedReply(0x0110, "invalid data set");
        }

        string key = uid.ToString();
        lock (_gate)
        {
            if (request.Operation == NormalizedOperation.Create)
            {
                if (_instances.ContainsKey(key) || File.Exists(GetPath(key)))
                {
                    return new NormalizedReply(0x0111, "SOP Instance already exists");
                }

                if (status != "IN PROGRESS")
                {
                    return new NormalizedReply(0x0106, "Performed Procedure Step Status must be IN PROGRESS"); // Invalid attribute value
                }

                var created = new Instance(request.TransferSyntax, elements, status);
                Save(key, created);
                _instances.Add(key, created);
                return NormalizedReply.Success;
            }

            if (!_instances.TryGetValue(key, out Instance? instance))
            {
                return new NormalizedReply(0x0112, "no such MPPS instance");
            }

            if (instance.Status != "IN PROGRESS")
            {
                return new NormalizedReply(0x0110, $"PPS object may no longer be updated ({instance.Status})");
            }

            if (status is not (null or "IN PROGRESS" or "COMPLETED" or "DISCONTINUED"))
            {
                return new NormalizedReply(0x0106, "Performed Procedure Step Status must be IN PROGRESS, COMPLETED or DISCONTINUED");
            }

            if (!instance.TransferSyntax.Equals(request.TransferSyntax))
            {
                return new NormalizedReply(0x0110, "N-SET transfer syntax differs from the N-CREATE's");
            }

            var merged = new SortedDictionary<uint, byte[]>(instance.Elements);
            foreach (KeyValuePair<uint, byte[]> element in elements)
            {
                merged[element.Key] = element.Value;
            }

            var updated = new Instance(instance.TransferSyntax, merged, status ?? instance.Status);
            Save(key, updated);
            _instances[key] = updated;
            return NormalizedReply.Success;
        }
    }

    /// <summary>Splits the data set into its encoded top-level elements (sequences whole) and reads (0040,0252).</summary>
    private static bool TryParse(ReadOnlyMemory<byte> dataSet, TransferSyntax syntax, out SortedDictionary<uint, byte[]> elements, out string? status)
    {
        elements = [];
        status = null;
        ReadOnlySpan<byte> data = dataSet.Span;
        var reader = new DataSetReader(new ReadOnlySequence<byte>(dataSet), isFinalBlock: true, new DataSetReaderState(syntax));
        long sequenceStart = -1;
        uint sequenceTag = 0;
        while (reader.Read())
        {
            if (reader.CurrentDepth != 0)
            {
                continue;
            }

            switch (reader.TokenType)
            {
                case DataSetTokenType.Element:
                    long end = reader.ValueOffset + reader.Length;
                    elements[reader.Tag.Value] = data[(int)reader.TokenOffset..(int)end].ToArray();
                    if (reader.Tag == MppsScu.PerformedProcedureStepStatus)
                    {
                        status = reader.GetString().Trim();
                    }

                    break;
                case DataSetTokenType.SequenceStart:
                    sequenceStart = reader.TokenOffset;
                    sequenceTag = reader.Tag.Value;
                    break;
                case DataSetTokenType.SequenceEnd when sequenceStart >= 0:
                    elements[sequenceTag] = data[(int)sequenceStart..(int)reader.BytesConsumed].ToArray();
                    sequenceStart = -1;
                    break;
            }
        }

        return reader.Error is null;
    }

    /// <summary>Loads the instance files already in the folder (a restarted SCP keeps refusing N-SETs of finished steps).</summary>
    private void Load()
    {
        foreach (string path in Directory.EnumerateFiles(_directory, "*.dcm"))
        {
            byte[] bytes = File.ReadAllBytes(path);
            using var stream = new MemoryStream(bytes, writable: false);
            if (!Part10.TryReadFileMetaInformation(stream, out Part10FileInfo? info, out _) || !info.MediaStorageSopClassUid.Equals(MppsScu.SopClassUid))
            {
                continue;
            }

            TransferSyntax? syntax = info.TransferSyntaxUid.Equals(TransferSyntax.ImplicitVRLittleEndian.Uid) ? TransferSyntax.ImplicitVRLittleEndian
                : info.TransferSyntaxUid.Equals(TransferSyntax.ExplicitVRLittleEndian.Uid) ? TransferSyntax.ExplicitVRLittleEndian
                : null;
            if (syntax is null || !TryParse(bytes.AsMemory((int)info.DataSetOffset), syntax, out SortedDictionary<uint, byte[]> elements, out string? status) || status is null)
            {
                continue;
            }

            _instances[info.MediaStorageSopInstanceUid.ToString()] = new Instance(syntax, elements, status);
        }
    }

    /// <summary>Writes meta information plus data set to a temp file, flushes it to disk, then renames it over the old one.</summary>
    private void Save(string key, Instance instance)
    {
        DicomUid uid = DicomUid.Parse(key);
        ReadOnlySpan<byte> version = "EDICOM_0.1"u8;
        int length = Part10.GetFileMetaInformationLength(MppsScu.SopClassUid, uid, instance.TransferSyntax.Uid, Implementation.ClassUid, version, default);
        byte[] meta = new byte[length];
        Part10.WriteFileMetaInformation(meta, MppsScu.SopClassUid, uid, instance.TransferSyntax.Uid, Implementation.ClassUid, version, default);
        string path = GetPath(key);
        string temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(meta);
            foreach (byte[] element in instance.Elements.Values)
            {
                file.Write(element);
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    private sealed record Instance(TransferSyntax TransferSyntax, SortedDictionary<uint, byte[]> Elements, string Status);
}
