using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Microsoft.Win32.SafeHandles;

namespace Embedded.Dicom.Networking.Services;

/// <summary>
/// An index of the objects a Storage SCP keeps in a folder, answering C-FIND for the Patient Root and Study Root
/// Query/Retrieve Information Models (PS3.4 C.6.1, C.6.2) at PATIENT, STUDY, SERIES and IMAGE level, with the
/// matching of PS3.4 C.2.2.2 (<see cref="QueryMatching"/>) and the hierarchical search of C.4.1.3.1.1.
/// </summary>
/// <remarks>
/// <para>
/// The files are the truth; the index is an in-memory structure (a query is a scan of arrays, in the order of a
/// millisecond at an embedded node's sizes: thousands to a few tens of thousands of instances) with an on-disk
/// cache of what was read from them, the index file <see cref="IndexFileName"/> in the folder, so that a restart
/// does not read every file again (<see cref="Build(string)"/>). Objects stored while running are added through
/// <see cref="FileStorageHandler.Stored"/> and <see cref="Add"/>, which appends their record.
/// </para>
/// <para>
/// Why not SQLite (Microsoft.Data.Sqlite), measured 2026-11-26 with a scratch program (create a table, insert
/// 1,000 rows in a transaction, query with GROUP BY) published with PublishAot: Microsoft.Data.Sqlite 10.0.15
/// (SQLitePCLRaw.bundle_e_sqlite3 2.1.13) publishes for linux-x64 and linux-arm64 without any IL2xxx/IL3xxx
/// warning and runs on both (arm64 under qemu-aarch64-static). But the engine is a separate native library,
/// libe_sqlite3.so (1,470,784 bytes x64, 1,534,296 arm64), that must be shipped next to the binary: without it
/// the first SqliteConnection throws DllNotFoundException. The provider also adds about 1.6 MB of code (the
/// x64 program is 2,800,736 bytes stripped, an empty one 1,155,704). The package has no static library for
/// Linux. Linking Debian's libsqlite3.a statically (DirectPInvoke "e_sqlite3") gave one self-contained x64 file
/// of 4,038,080 bytes. But we would have to supply a static SQLite for each RID and sysroot, and it would add
/// about 2.9 MB to edicom (6,212,000 bytes stripped, x64, size profile, on the same day) for what is only a
/// cache of the folder. So the index file is our own, with this format.
/// </para>
/// <para>
/// The index file, append-only: a 16-byte header (magic "EDICOMIX", format version, a checksum of the captured
/// attribute table, so that a change to the table discards the file), then one record per file read, each
/// length-prefixed and CRC-32C protected: kind (indexed, or read but not indexable), file length, last-write
/// time (UTC ticks), file name, and the captured values (see <c>IndexFile</c> for the byte layout). At start every
/// non-hidden file is listed with its length and time. One whose name, length and time match a record is indexed
/// from the record without being opened; the others are read and get a new record. Records of files that are
/// gone or changed are stale. When they are more than half the records, or the file is missing, damaged or ends
/// in a torn record, the file is rewritten compactly: to ".edicom-index.tmp", fsync, rename over the old one.
/// </para>
/// <para>
/// Crashes: <see cref="Add"/> flushes each record to the operating system but does not fsync it. A power cut
/// may lose the last records or tear the last one. Reading stops at the first record that is short, longer
/// than the rest of the file, or fails its CRC, and the files it would have described are read again. An index
/// file that cannot be read or written never stops the SCP: the index is rebuilt from the files, or stays in
/// memory only. The one thing the index file cannot see is a file rewritten in place with the same length and
/// the same last-write time; "edicom scp" writes each object to a new file and renames it, so its writes always
/// change the time.
/// </para>
/// <para>
/// Start-up over 10,000 files of 2.6 KB each, page cache warm, NativeAOT x64, 2-core machine
/// (benchmarks/README.md): reading every file took 293-447 ms, and 201-240 ms with an up-to-date index file.
/// Listing the files and taking their length and time alone took 90-258 ms, which is the floor of a restart.
/// The first start with no index file took 477-501 ms, because it also writes the 2,559,096-byte index file
/// and fsyncs it. The gain should be larger on slow storage (an SD card, a cold cache), where one sequential
/// read replaces 10,000 opens and reads; that was not measured.
/// </para>
/// <para>Limits:</para>
/// <list type="bullet">
/// <item>memory grows with the folder: one node per instance plus the captured strings (a few hundred bytes);
/// the index file takes about 256 bytes per file;</item>
/// <item>start-up still lists and stats every file; only new or changed files are read
/// (<see cref="DataSetScanner"/> walks the data set, seeking past large values);</item>
/// <item>only the attributes of the table below are matched and returned; other keys are returned empty and the
/// match is sent with FF01 (optional keys not supported, PS3.4 Table C.4-1); keys below the query level are
/// not matched (no relational queries, C.4.1.2.2);</item>
/// <item>patients are told apart by Patient ID alone; a study keeps the patient of its first instance;</item>
/// <item>files deleted or changed behind the SCP's back stay indexed as they were until the next start;</item>
/// <item>one process per folder: two SCPs sharing a folder could rewrite the index file under each other.
/// Nothing is wrong afterwards, but lost records mean those files are read again.</item>
/// </list>
/// </remarks>
public sealed partial class StoredObjectIndex : IQueryHandler, IRetrieveHandler
{
    // The attributes indexed, by level (PS3.4 Tables C.6-1, C.6-2, C.6-3, C.6-4, C.6-5 and C.6-6): read from the
    // files (Slot ≥ 0) or derived from the hierarchy (Computed).
    private static readonly Attribute[] s_attributes =
    [
        new(0x00100010, ValueRepresentation.PN, QueryLevel.Patient, 0),   // PatientName
        new(0x00100020, ValueRepresentation.LO, QueryLevel.Patient, 1),   // PatientID (unique key)
        new(0x00100030, ValueRepresentation.DA, QueryLevel.Patient, 2),   // PatientBirthDate
        new(0x00100040, ValueRepresentation.CS, QueryLevel.Patient, 3),   // PatientSex
        new(0x00201200, ValueRepresentation.IS, QueryLevel.Patient, -1, Computed.RelatedStudies),
        new(0x00201202, ValueRepresentation.IS, QueryLevel.Patient, -1, Computed.RelatedSeries),
        new(0x00201204, ValueRepresentation.IS, QueryLevel.Patient, -1, Computed.RelatedInstances),
        new(0x00080020, ValueRepresentation.DA, QueryLevel.Study, 0),     // StudyDate
        new(0x00080030, ValueRepresentation.TM, QueryLevel.Study, 1),     // StudyTime
        new(0x00080050, ValueRepresentation.SH, QueryLevel.Study, 2),     // AccessionNumber
        new(0x00080090, ValueRepresentation.PN, QueryLevel.Study, 3),     // ReferringPhysicianName
        new(0x00081030, ValueRepresentation.LO, QueryLevel.Study, 4),     // StudyDescription
        new(0x0020000D, ValueRepresentation.UI, QueryLevel.Study, 5),     // StudyInstanceUID (unique key)
        new(0x00200010, ValueRepresentation.SH, QueryLevel.Study, 6),     // StudyID
        new(0x00080061, ValueRepresentation.CS, QueryLevel.Study, -1, Computed.ModalitiesInStudy),
        new(0x00080062, ValueRepresentation.UI, QueryLevel.Study, -1, Computed.SopClassesInStudy),
        new(0x00201206, ValueRepresentation.IS, QueryLevel.Study, -1, Computed.RelatedSeries),
        new(0x00201208, ValueRepresentation.IS, QueryLevel.Study, -1, Computed.RelatedInstances),
        new(0x00080021, ValueRepresentation.DA, QueryLevel.Series, 0),    // SeriesDate
        new(0x00080060, ValueRepresentation.CS, QueryLevel.Series, 1),    // Modality
        new(0x0008103E, ValueRepresentation.LO, QueryLevel.Series, 2),    // SeriesDescription
        new(0x0020000E, ValueRepresentation.UI, QueryLevel.Series, 3),    // SeriesInstanceUID (unique key)
        new(0x00200011, ValueRepresentation.IS, QueryLevel.Series, 4),    // SeriesNumber
        new(0x00201209, ValueRepresentation.IS, QueryLevel.Series, -1, Computed.RelatedInstances),
        new(0x00080016, ValueRepresentation.UI, QueryLevel.Image, 0),     // SOPClassUID
        new(0x00080018, ValueRepresentation.UI, QueryLevel.Image, 1),     // SOPInstanceUID (unique key)
        new(0x00080023, ValueRepresentation.DA, QueryLevel.Image, 2),     // ContentDate
        new(0x00080033, ValueRepresentation.TM, QueryLevel.Image, 3),     // ContentTime
        new(0x00200013, ValueRepresentation.IS, QueryLevel.Image, 4),     // InstanceNumber
        new(0x00080056, ValueRepresentation.CS, QueryLevel.Patient, -1, Computed.Online), // InstanceAvailability
    ];

    private static readonly int[] s_slotCounts = [0, 4, 7, 5, 5]; // by QueryLevel
    private static readonly DicomTag[] s_capture = BuildCapture();

    // Positions in s_capture of the UIDs an instance cannot be placed without (and of the SOP Class UID, which the
    // file meta information supplies when the data set lacks it).
    private static readonly int s_sopClassCapture = CaptureIndex(0x00080016);
    private static readonly int s_sopInstanceCapture = CaptureIndex(0x00080018);
    private static readonly int s_studyUidCapture = CaptureIndex(0x0020000D);
    private static readonly int s_seriesUidCapture = CaptureIndex(0x0020000E);

    private readonly object _gate = new();
    private readonly Dictionary<string, Node> _patients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Node> _studies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Node> _series = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Node> _instances = new(StringComparer.Ordinal);
    private readonly NodeList[] _levels = [new(), new(), new(), new(), new()];
    private IndexFile? _indexFile;
    private int _filesRead;

    /// <summary>The number of instances indexed.</summary>
    public int InstanceCount => _levels[(int)QueryLevel.Image].Count;

    /// <summary>
    /// How many files this index has opened and parsed: at start, those the index file did not answer for
    /// (<see cref="Build(string, bool)"/>), then one per <see cref="Add"/>.
    /// </summary>
    public int FilesRead => Volatile.Read(ref _filesRead);

    /// <summary>
    /// Creates an index of the Part 10 files in <paramref name="directory"/> (not its sub-folders), kept on disk in
    /// <see cref="IndexFileName"/> there: files the index file describes unchanged are not read again.
    /// </summary>
    public static StoredObjectIndex Build(string directory) => Build(directory, persistent: true);

    /// <summary>
    /// Creates an index of the Part 10 files in <paramref name="directory"/> (not its sub-folders); with
    /// <paramref name="persistent"/>, through the index file <see cref="IndexFileName"/> in that folder (read,
    /// brought up to date, and appended to by <see cref="Add"/>), otherwise by reading every file.
    /// </summary>
    public static StoredObjectIndex Build(string directory, bool persistent)
    {
        var index = new StoredObjectIndex();
        if (persistent)
        {
            index.AddFolderWithIndexFile(directory);
        }
        else
        {
            index.AddFolder(directory);
        }

        return index;
    }

    /// <summary>
    /// Adds the Part 10 files of <paramref name="directory"/> (temporary ".edicom-*.part" files and anything
    /// that does not parse are skipped); returns how many were indexed.
    /// </summary>
    public int AddFolder(string directory)
    {
        int added = 0;
        var paths = new List<string>(Directory.EnumerateFiles(directory));
        paths.Sort(StringComparer.Ordinal); // a stable order of matches from one start to the next
        foreach (string path in paths)
        {
            if (!Path.GetFileName(path).StartsWith('.') && Add(path))
            {
                added++;
            }
        }

        return added;
    }

    /// <summary>
    /// Indexes one Part 10 file (again, if its SOP Instance UID is known: the values are refreshed), and records it
    /// in the index file when the index has one and the file is in its folder. False when it is not a well-formed
    /// Part 10 file, or lacks a Study or Series Instance UID.
    /// </summary>
    public bool Add(string path)
    {
        ScanResult result = Scan(path, out string?[] values, out FileStamp stamp);
        if (result != ScanResult.Unreadable)
        {
            _indexFile?.Append(path, stamp, result == ScanResult.Indexed ? values : null);
        }

        return result == ScanResult.Indexed && AddValues(path, values);
    }

    /// <summary>
    /// Reads the captured attributes of a file (<see cref="s_capture"/> order, empty values as null, the SOP Class
    /// and Instance UIDs completed from the file meta information), with the length and last-write time of what
    /// was read.
    /// </summary>
    private ScanResult Scan(string path, out string?[] values, out FileStamp stamp)
    {
        values = new string?[s_capture.Length];
        stamp = default;
        Part10FileInfo? info;
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Interlocked.Increment(ref _filesRead);

            // Taken before reading: a file changed while it is read gets a newer time, and is read again next start.
            stamp = new FileStamp(RandomAccess.GetLength(handle), File.GetLastWriteTimeUtc(handle).Ticks);
            if (!Part10.TryReadFileMetaInformation(handle, out info, out _) || !DataSetScanner.TryScan(handle, info, s_capture, values, out _))
            {
                return ScanResult.NotIndexable;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ScanResult.Unreadable;
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is { Length: 0 })
            {
                values[i] = null;
            }
        }

        values[s_sopClassCapture] ??= info.MediaStorageSopClassUid.ToString();
        values[s_sopInstanceCapture] ??= info.MediaStorageSopInstanceUid.ToString();
        return HasKeys(values) ? ScanResult.Indexed : ScanResult.NotIndexable;
    }

    /// <summary>An instance needs its Study, Series and SOP Instance UIDs to have a place in the hierarchy.</summary>
    private static bool HasKeys(string?[] values)
        => !string.IsNullOrEmpty(values[s_studyUidCapture]) && !string.IsNullOrEmpty(values[s_seriesUidCapture]) && !string.IsNullOrEmpty(values[s_sopInstanceCapture]);

    /// <summary>Places an instance, from its captured values (<see cref="Scan"/>), in the hierarchy.</summary>
    private bool AddValues(string path, string?[] values)
    {
        if (values.Length != s_capture.Length || !HasKeys(values))
        {
            return false;
        }

        string?[] patient = Slots(values, QueryLevel.Patient);
        string?[] study = Slots(values, QueryLevel.Study);
        string?[] series = Slots(values, QueryLevel.Series);
        string?[] instance = Slots(values, QueryLevel.Image);
        string studyUid = study[5]!;
        string seriesUid = series[3]!;

        lock (_gate)
        {
            if (_instances.TryGetValue(instance[1]!, out Node? known))
            {
                Array.Copy(instance, known.Values, instance.Length);
                known.Path = path;
                return true;
            }

            Node patientNode = GetOrAdd(_patients, patient[1] ?? "", QueryLevel.Patient, null, patient, out _);
            Node studyNode = GetOrAdd(_studies, studyUid, QueryLevel.Study, patientNode, study, out bool newStudy);
            Node seriesNode = GetOrAdd(_series, seriesUid, QueryLevel.Series, studyNode, series, out bool newSeries);
            Node instanceNode = GetOrAdd(_instances, instance[1]!, QueryLevel.Image, seriesNode, instance, out _);
            instanceNode.Path = path;
            Node root = studyNode.Parent!;
            if (newStudy)
            {
                Interlocked.Increment(ref root.Studies);
            }

            if (newSeries)
            {
                Interlocked.Increment(ref studyNode.Series);
                Interlocked.Increment(ref root.Series);
            }

            Interlocked.Increment(ref seriesNode.Instances);
            Interlocked.Increment(ref studyNode.Instances);
            Interlocked.Increment(ref root.Instances);
            studyNode.Modalities = AddValue(studyNode.Modalities, seriesNode.Values[1]);
            studyNode.SopClasses = AddValue(studyNode.SopClasses, instanceNode.Values[0]);
        }

        return true;
    }

    /// <inheritdoc/>
    public bool IsSupported(in DicomUid sopClassUid)
        => QueryInformationModel.GetModel(sopClassUid) is QueryModel.PatientRoot or QueryModel.StudyRoot;

    /// <inheritdoc/>
    public async ValueTask<QueryCompletion> FindAsync(QueryRequest request, QueryResponder responder, CancellationToken cancellationToken)
    {
        List<QueryKey> keys = QueryKey.Parse(request, out _);
        QueryKey? levelKey = QueryKey.Find(keys, QueryInformationModel.QueryRetrieveLevel.Value);
        QueryLevel level = levelKey is null ? QueryLevel.None : QueryInformationModel.ParseLevel(levelKey.Value);
        if (!QueryInformationModel.HasLevel(request.Model, level))
        {
            // PS3.4 C.4.1.1.4 / Table C.4-1: A900, the identifier does not match the information model.
            return QueryCompletion.IdentifierDoesNotMatchSopClass(levelKey is null
                ? "no Query/Retrieve Level (0008,0052)"
                : $"level '{levelKey.Value}' is not in the {request.Model} model");
        }

        var plan = new Plan(keys, level);
        NodeList nodes = _levels[(int)level];
        Node[] items = nodes.Snapshot(out int count);
        for (int i = 0; i < count && !cancellationToken.IsCancellationRequested; i++)
        {
            Node node = items[i];
            if (plan.Matches(node))
            {
                plan.Write(responder.BeginMatch(), node);
                await responder.SendMatchAsync(plan.HasUnsupportedKeys).ConfigureAwait(false);
            }
        }

        return QueryCompletion.Success;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// PS3.4 C.4.2.2.1: the entities at the Query/Retrieve Level are matched on the keys given (normally the
    /// unique keys at and above the level, a UID list allowed, C.2.2.2.2), and every instance below them is sent.
    /// </remarks>
    public ValueTask<QueryCompletion> SelectAsync(QueryModel model, TransferSyntax syntax, ReadOnlyMemory<byte> identifier, List<string> paths, CancellationToken cancellationToken)
    {
        var request = QueryRequest.Create(QueryInformationModel.GetSopClassUid(model), syntax, identifier);
        List<QueryKey> keys = QueryKey.Parse(request, out _);
        QueryKey? levelKey = QueryKey.Find(keys, QueryInformationModel.QueryRetrieveLevel.Value);
        QueryLevel level = levelKey is null ? QueryLevel.None : QueryInformationModel.ParseLevel(levelKey.Value);
        if (!QueryInformationModel.HasLevel(model, level))
        {
            return ValueTask.FromResult(QueryCompletion.IdentifierDoesNotMatchSopClass(levelKey is null
                ? "no Query/Retrieve Level (0008,0052)"
                : $"level '{levelKey.Value}' is not in the {model} model"));
        }

        var plan = new Plan(keys, level);
        Node[] items = _levels[(int)QueryLevel.Image].Snapshot(out int count);
        var matched = new Dictionary<Node, bool>();
        for (int i = 0; i < count && !cancellationToken.IsCancellationRequested; i++)
        {
            Node node = items[i];
            Node? entity = node;
            while (entity is not null && entity.Level != level)
            {
                entity = entity.Parent;
            }

            if (entity is null)
            {
                continue;
            }

            if (!matched.TryGetValue(entity, out bool isMatch))
            {
                matched[entity] = isMatch = plan.Matches(entity);
            }

            if (isMatch && node.Path is { } path)
            {
                paths.Add(path);
            }
        }

        return ValueTask.FromResult(QueryCompletion.Success);
    }

    private Node GetOrAdd(Dictionary<string, Node> map, string key, QueryLevel level, Node? parent, string?[] values, out bool added)
    {
        if (map.TryGetValue(key, out Node? node))
        {
            // Attributes the first file lacked are taken from later ones.
            for (int i = 0; i < values.Length; i++)
            {
                node.Values[i] ??= values[i];
            }

            added = false;
            return node;
        }

        node = new Node(level, parent, values);
        map.Add(key, node);
        _levels[(int)level].Add(node);
        added = true;
        return node;
    }

    /// <summary>
    /// Adds <paramref name="value"/> to a backslash-separated set (Modalities/SOP Classes in Study), kept in
    /// ordinal order so that the answer does not depend on the order the objects were stored in.
    /// </summary>
    private static string? AddValue(string? set, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return set;
        }

        if (string.IsNullOrEmpty(set))
        {
            return value;
        }

        var values = new List<string>(set.Split('\\'));
        if (values.Contains(value))
        {
            return set;
        }

        values.Add(value);
        values.Sort(StringComparer.Ordinal);
        return string.Join('\\', values);
    }

    private static string?[] Slots(string?[] captured, QueryLevel level)
    {
        string?[] slots = new string?[s_slotCounts[(int)level]];
        int c = 0;
        foreach (Attribute attribute in s_attributes)
        {
            if (attribute.Slot >= 0)
            {
                if (attribute.Level == level)
                {
                    slots[attribute.Slot] = captured[c] is { Length: > 0 } value ? value : null;
                }

                c++;
            }
        }

        return slots;
    }

    private static DicomTag[] BuildCapture()
    {
        var tags = new List<DicomTag>();
        foreach (Attribute attribute in s_attributes)
        {
            if (attribute.Slot >= 0)
            {
                tags.Add(new DicomTag(attribute.Tag));
            }
        }

        return tags.ToArray();
    }

    private static int CaptureIndex(uint tag)
    {
        for (int i = 0; i < s_capture.Length; i++)
        {
            if (s_capture[i].Value == tag)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"({tag >> 16:X4},{tag & 0xFFFF:X4}) is not captured");
    }

    private static int FindAttribute(uint tag)
    {
        for (int i = 0; i < s_attributes.Length; i++)
        {
            if (s_attributes[i].Tag == tag)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The value of an attribute for a node of its level or below; derived values are formatted into <paramref name="scratch"/>.</summary>
    private static ReadOnlySpan<char> GetValue(Node node, in Attribute attribute, Span<char> scratch)
    {
        Node? owner = node;
        while (owner is not null && owner.Level != attribute.Level)
        {
            owner = owner.Parent;
        }

        if (attribute.Kind == Computed.Online)
        {
            return "ONLINE"; // PS3.4 C.4.1.1.3.2 Instance Availability: every object is in the folder
        }

        if (owner is null)
        {
            return default;
        }

        int count;
        switch (attribute.Kind)
        {
            case Computed.None:
                return owner.Values[attribute.Slot];
            case Computed.ModalitiesInStudy:
                return owner.Modalities;
            case Computed.SopClassesInStudy:
                return owner.SopClasses;
            case Computed.RelatedStudies:
                count = Volatile.Read(ref owner.Studies);
                break;
            case Computed.RelatedSeries:
                count = Volatile.Read(ref owner.Series);
                break;
            default:
                count = Volatile.Read(ref owner.Instances);
                break;
        }

        count.TryFormat(scratch, out int written, default, CultureInfo.InvariantCulture);
        return scratch[..written];
    }

    private enum Computed : byte
    {
        None,
        ModalitiesInStudy,
        SopClassesInStudy,
        RelatedStudies,
        RelatedSeries,
        RelatedInstances,
        Online,
    }

    private readonly record struct Attribute(uint Tag, ValueRepresentation VR, QueryLevel Level, int Slot, Computed Kind = Computed.None);

    /// <summary>A patient, study, series or instance; strings are replaced whole, counters change atomically.</summary>
    private sealed class Node(QueryLevel level, Node? parent, string?[] values)
    {
        public readonly QueryLevel Level = level;
        public readonly Node? Parent = parent;
        public readonly string?[] Values = values;
        public int Studies;
        public int Series;
        public int Instances;
        public string? Modalities;
        public string? SopClasses;
        public string? Path; // instances: the file
    }

    /// <summary>
    /// Nodes of one level, appended under the index's lock and read without it: a reader takes the count, then the
    /// array (published in that order by the writer, reversed), and sees every node up to the count. A query
    /// streaming its matches never blocks a store.
    /// </summary>
    private sealed class NodeList
    {
        private Node[] _items = new Node[16];
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add(Node node)
        {
            Node[] items = _items;
            if (_count == items.Length)
            {
                Array.Resize(ref items, items.Length * 2);
                Volatile.Write(ref _items, items);
            }

            items[_count] = node;
            Volatile.Write(ref _count, _count + 1);
        }

        public Node[] Snapshot(out int count)
        {
            count = Volatile.Read(ref _count);
            return Volatile.Read(ref _items);
        }
    }

    /// <summary>
    /// What one query asks, prepared once: the keys to match and, in ascending tag order, the elements of each
    /// response identifier (the keys asked for, plus (0008,0005) and the level's unique key, C.4.1.2.1).
    /// </summary>
    private sealed class Plan
    {
        private readonly QueryLevel _level;
        private readonly List<Element> _elements = [];
        private readonly List<(int Attribute, string Key)> _matching = [];
        private readonly bool _charsetRequested;

        public Plan(List<QueryKey> keys, QueryLevel level)
        {
            _level = level;
            foreach (QueryKey key in keys)
            {
                if (key.Tag == QueryInformationModel.SpecificCharacterSet.Value)
                {
                    _charsetRequested = true;
                    continue;
                }

                if (key.Tag == QueryInformationModel.QueryRetrieveLevel.Value)
                {
                    _elements.Add(new Element(key.Tag, ValueRepresentation.CS, Element.LevelValue));
                    continue;
                }

                int attribute = FindAttribute(key.Tag);
                if (attribute < 0 || s_attributes[attribute].Level > level || key.IsSequence)
                {
                    // Not indexed, or below the query level (no relational queries): returned empty, FF01.
                    HasUnsupportedKeys = true;
                    ValueRepresentation vr = key.VR == ValueRepresentation.None ? ValueRepresentation.UN : key.VR;
                    _elements.Add(new Element(key.Tag, vr, Element.Empty));
                    continue;
                }

                _elements.Add(new Element(key.Tag, s_attributes[attribute].VR, attribute));
                if (key.IsMatchingKey)
                {
                    _matching.Add((attribute, key.Value));
                }
            }

            // The unique key of the level is always returned (PS3.4 C.4.1.2.1).
            uint unique = level switch
            {
                QueryLevel.Patient => 0x00100020u,
                QueryLevel.Study => 0x0020000Du,
                QueryLevel.Series => 0x0020000Eu,
                _ => 0x00080018u,
            };
            if (QueryKey.Find(keys, unique) is null)
            {
                int attribute = FindAttribute(unique);
                _elements.Add(new Element(unique, s_attributes[attribute].VR, attribute));
            }

            _elements.Sort(static (a, b) => a.Tag.CompareTo(b.Tag));
        }

        public bool HasUnsupportedKeys { get; }

        public bool Matches(Node node)
        {
            Span<char> scratch = stackalloc char[16];
            foreach ((int attribute, string key) in _matching)
            {
                Attribute a = s_attributes[attribute];
                if (!QueryMatching.Matches(a.VR, key, GetValue(node, a, scratch)))
                {
                    return false;
                }
            }

            return true;
        }

        public void Write(DataSetWriter writer, Node node)
        {
            Span<char> scratch = stackalloc char[16];
            SpecificCharacterSet charset = ChooseCharacterSet(node, scratch);
            bool charsetPending = charset != SpecificCharacterSet.Default || _charsetRequested;
            foreach (Element element in _elements)
            {
                if (charsetPending && element.Tag > QueryInformationModel.SpecificCharacterSet.Value)
                {
                    writer.WriteSpecificCharacterSet(charset);
                    charsetPending = false;
                }

                if (element.Source == Element.LevelValue)
                {
                    writer.WriteString(new DicomTag(element.Tag), ValueRepresentation.CS, QueryInformationModel.GetLevelName(_level));
                }
                else if (element.Source == Element.Empty)
                {
                    writer.WriteEmpty(new DicomTag(element.Tag), element.VR);
                }
                else
                {
                    writer.WriteString(new DicomTag(element.Tag), element.VR, GetValue(node, s_attributes[element.Source], scratch), charset);
                }
            }

            if (charsetPending)
            {
                writer.WriteSpecificCharacterSet(charset);
            }
        }

        /// <summary>The repertoire the values need: default when ASCII, ISO_IR 100 when Latin-1, ISO_IR 192 beyond.</summary>
        private SpecificCharacterSet ChooseCharacterSet(Node node, Span<char> scratch)
        {
            int highest = 0;
            foreach (Element element in _elements)
            {
                if (element.Source >= 0)
                {
                    foreach (char c in GetValue(node, s_attributes[element.Source], scratch))
                    {
                        highest = Math.Max(highest, c);
                    }
                }
            }

            return highest switch
            {
                < 0x80 => SpecificCharacterSet.Default,
                < 0x100 => SpecificCharacterSet.IsoIr100,
                _ => SpecificCharacterSet.IsoIr192,
            };
        }

        /// <summary>One element of the response: an attribute (index into the table), the level, or an empty value.</summary>
        private readonly record struct Element(uint Tag, ValueRepresentation VR, int Source)
        {
            public const int LevelValue = -1;
            public const int Empty = -2;
        }
    }
}
