using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Microsoft.Win32.SafeHandles;

namespace Embedded.Dicom.Networking.Services;

/// <summary>
/// A Modality Worklist SCP (PS3.4 Annex K) answering C-FIND from the worklist items in a folder: one file per
/// scheduled procedure, "*.wl" or "*.dcm", Part 10 or a bare data set (Implicit or Explicit VR Little Endian),
/// as DCMTK's wlmscpfs keeps them (dump2dcm writes them).
/// </summary>
/// <remarks>
/// <para>
/// Matching (PS3.4 K.6.1.2, C.2.2.2 through <see cref="QueryMatching"/>) applies to every key with a value, at the
/// top level (Patient ID, Patient's Name, Accession Number …) and inside the Scheduled Procedure Step Sequence
/// (Modality, Scheduled Station AE Title, Scheduled Procedure Step Start Date as a range …): a sequence key
/// matches when one item of the worklist's sequence matches all its keys (C.2.2.2.6). An item without the
/// attribute a key asks to match does not match. Each response holds the keys asked for, with the item's
/// values or empty (K.6.1.2.2), and of a sequence the items that matched.
/// </para>
/// <para>
/// The folder is read at the first query and again whenever its modification time changes (a file added,
/// removed or renamed into place, as worklist brokers write them); a file rewritten in place keeps its old
/// content until then. Files that do not parse are skipped.
/// </para>
/// </remarks>
public sealed class WorklistFolder : IQueryHandler
{
    /// <summary>Worklist files larger than this are skipped (a worklist item is a few kilobytes).</summary>
    public const int MaxFileLength = 1024 * 1024;

    private readonly object _gate = new();
    private Item[] _items = [];
    private DateTime _loadedStamp = DateTime.MinValue;

    /// <summary>Serves the worklist files of <paramref name="directory"/> (not its sub-folders).</summary>
    public WorklistFolder(string directory) => Directory = Path.GetFullPath(directory);

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>The worklist items read at the last load.</summary>
    public int Count => Load().Length;

    /// <inheritdoc/>
    public bool IsSupported(in DicomUid sopClassUid) => QueryInformationModel.GetModel(sopClassUid) == QueryModel.ModalityWorklist;

    /// <inheritdoc/>
    public async ValueTask<QueryCompletion> FindAsync(QueryRequest request, QueryResponder responder, CancellationToken cancellationToken)
    {
        List<QueryKey> keys = QueryKey.Parse(request, out _);
        Sort(keys);
        foreach (Item item in Load())
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (Matches(keys, item.Elements))
            {
                Write(responder.BeginMatch(), keys, item);
                await responder.SendMatchAsync().ConfigureAwait(false);
            }
        }

        return QueryCompletion.Success;
    }

    private Item[] Load()
    {
        DateTime stamp;
        try
        {
            stamp = System.IO.Directory.GetLastWriteTimeUtc(Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        lock (_gate)
        {
            if (stamp != _loadedStamp)
            {
                var items = new List<Item>();
                var paths = new List<string>(System.IO.Directory.EnumerateFiles(Directory));
                paths.Sort(StringComparer.Ordinal);
                foreach (string path in paths)
                {
                    if ((path.EndsWith(".wl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".dcm", StringComparison.OrdinalIgnoreCase))
                        && TryRead(path) is { } item)
                    {
                        items.Add(item);
                    }
                }

                _items = items.ToArray();
                _loadedStamp = stamp;
            }

            return _items;
        }
    }

    /// <summary>Reads one worklist file into a tree of elements; null when it is not a data set we can read.</summary>
    private static Item? TryRead(string path)
    {
        byte[] bytes;
        TransferSyntax syntax;
        int start;
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            long length = RandomAccess.GetLength(handle);
            if (length is 0 or > MaxFileLength)
            {
                return null;
            }

            bytes = new byte[length];
            RandomAccess.Read(handle, bytes, 0);
            if (Part10.TryReadFileMetaInformation(handle, out Part10FileInfo? info, out _))
            {
                syntax = TransferSyntax.Lookup(info.TransferSyntaxUid);
                start = (int)info.DataSetOffset;
            }
            else
            {
                // A bare data set: explicit VR when bytes 4-5 of the first element are two capital letters.
                syntax = bytes.Length > 6 && char.IsAsciiLetterUpper((char)bytes[4]) && char.IsAsciiLetterUpper((char)bytes[5])
                    ? TransferSyntax.ExplicitVRLittleEndian
                    : TransferSyntax.ImplicitVRLittleEndian;
                start = 0;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (!syntax.IsLittleEndian || syntax.IsDeflated)
        {
            return null;
        }

        var reader = new DataSetReader(new ReadOnlySequence<byte>(bytes, start, bytes.Length - start), isFinalBlock: true, new DataSetReaderState(syntax));
        var root = new List<Element>();
        var open = new Stack<(List<Element>? Container, Element Sequence)>();
        List<Element>? current = root; // null between the items of a sequence
        int highest = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case DataSetTokenType.Element when current is not null:
                    var element = new Element(reader.Tag.Value, reader.VR);
                    if (reader.IsValueComplete)
                    {
                        if (QueryIdentifier.IsText(reader.VR))
                        {
                            element.Text = reader.GetString();
                            foreach (char c in element.Text)
                            {
                                highest = Math.Max(highest, c);
                            }
                        }
                        else
                        {
                            element.Raw = reader.ValueSequence.ToArray();
                        }
                    }

                    current.Add(element);
                    break;
                case DataSetTokenType.SequenceStart:
                    var sequence = new Element(reader.Tag.Value, ValueRepresentation.SQ) { Items = [] };
                    current?.Add(sequence);
                    open.Push((current, sequence));
                    current = null;
                    break;
                case DataSetTokenType.ItemStart:
                    current = [];
                    open.Peek().Sequence.Items!.Add(current);
                    break;
                case DataSetTokenType.ItemEnd:
                    current = null;
                    break;
                case DataSetTokenType.SequenceEnd:
                    current = open.Pop().Container;
                    break;
            }
        }

        if (reader.Error is not null)
        {
            return null;
        }

        SpecificCharacterSet charset = highest switch
        {
            < 0x80 => SpecificCharacterSet.Default,
            < 0x100 => SpecificCharacterSet.IsoIr100,
            _ => SpecificCharacterSet.IsoIr192,
        };
        return new Item(root, charset);
    }

    /// <summary>True when every matching key matches (PS3.4 C.2.2.2; sequences by C.2.2.2.6).</summary>
    private static bool Matches(List<QueryKey> keys, List<Element> elements)
    {
        foreach (QueryKey key in keys)
        {
            if (key.Tag is 0x00080005)
            {
                continue;
            }

            Element? element = Find(elements, key.Tag);
            if (key.IsSequence)
            {
                if (key.Item is not { } itemKeys || !HasMatchingKey(itemKeys))
                {
                    continue; // universal: return the sequence whatever it holds
                }

                if (element?.Items is null || FirstMatch(itemKeys, element.Items, 0) < 0)
                {
                    return false;
                }
            }
            else if (key.IsMatchingKey)
            {
                if (key.HasBinaryValue || element?.Text is not { } text || !QueryMatching.Matches(element.VR, key.Value, text))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool HasMatchingKey(List<QueryKey> keys)
    {
        foreach (QueryKey key in keys)
        {
            if (key.IsSequence ? key.Item is { } inner && HasMatchingKey(inner) : key.IsMatchingKey)
            {
                return true;
            }
        }

        return false;
    }

    private static int FirstMatch(List<QueryKey> keys, List<List<Element>> items, int from)
    {
        for (int i = from; i < items.Count; i++)
        {
            if (Matches(keys, items[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Writes the response identifier: the keys asked for, in tag order, with the item's values (K.6.1.2.2).</summary>
    private static void Write(DataSetWriter writer, List<QueryKey> keys, Item item)
    {
        bool charsetPending = item.Charset != SpecificCharacterSet.Default || QueryKey.Find(keys, 0x00080005) is not null;
        foreach (QueryKey key in keys)
        {
            if (key.Tag == 0x00080005)
            {
                continue;
            }

            if (charsetPending && key.Tag > 0x00080005)
            {
                writer.WriteSpecificCharacterSet(item.Charset);
                charsetPending = false;
            }

            WriteKey(writer, key, Find(item.Elements, key.Tag), item.Charset);
        }

        if (charsetPending)
        {
            writer.WriteSpecificCharacterSet(item.Charset);
        }
    }

    private static void WriteKey(DataSetWriter writer, QueryKey key, Element? element, SpecificCharacterSet charset)
    {
        var tag = new DicomTag(key.Tag);
        if (key.IsSequence)
        {
            writer.WriteStartSequence(tag, undefinedLength: true);
            if (element?.Items is { } items)
            {
                List<QueryKey>? itemKeys = key.Item is { Count: > 0 } asked ? asked : null;
                foreach (List<Element> recordItem in items)
                {
                    if (itemKeys is not null && !Matches(itemKeys, recordItem))
                    {
                        continue;
                    }

                    writer.WriteStartItem(undefinedLength: true);
                    if (itemKeys is null)
                    {
                        // An empty query item (or none) asks for the whole sequence.
                        foreach (Element whole in recordItem)
                        {
                            WriteElement(writer, whole, charset);
                        }
                    }
                    else
                    {
                        foreach (QueryKey inner in itemKeys)
                        {
                            WriteKey(writer, inner, Find(recordItem, inner.Tag), charset);
                        }
                    }

                    writer.WriteEndItem();
                }
            }

            writer.WriteEndSequence();
            return;
        }

        if (element is null || element.VR == ValueRepresentation.SQ)
        {
            writer.WriteEmpty(tag, key.VR is ValueRepresentation.None ? ValueRepresentation.UN : key.VR);
            return;
        }

        WriteElement(writer, element, charset);
    }

    private static void WriteElement(DataSetWriter writer, Element element, SpecificCharacterSet charset)
    {
        var tag = new DicomTag(element.Tag);
        if (element.Items is { } items)
        {
            writer.WriteStartSequence(tag, undefinedLength: true);
            foreach (List<Element> item in items)
            {
                writer.WriteStartItem(undefinedLength: true);
                foreach (Element inner in item)
                {
                    WriteElement(writer, inner, charset);
                }

                writer.WriteEndItem();
            }

            writer.WriteEndSequence();
        }
        else if (element.Text is { } text)
        {
            writer.WriteString(tag, element.VR, text, charset);
        }
        else
        {
            writer.WriteElement(tag, element.VR is ValueRepresentation.None ? ValueRepresentation.UN : element.VR, element.Raw ?? []);
        }
    }

    /// <summary>Keys in ascending tag order, items included: the order the response must be written in (PS3.5 §7.1).</summary>
    private static void Sort(List<QueryKey> keys)
    {
        keys.Sort(static (a, b) => a.Tag.CompareTo(b.Tag));
        foreach (QueryKey key in keys)
        {
            if (key.Item is { } item)
            {
                Sort(item);
            }
        }
    }

    private static Element? Find(List<Element> elements, uint tag)
    {
        foreach (Element element in elements)
        {
            if (element.Tag == tag)
            {
                return element;
            }
        }

        return null;
    }

    /// <summary>One worklist item (a file) and the repertoire its text needs.</summary>
    private sealed record Item(List<Element> Elements, SpecificCharacterSet Charset);

    /// <summary>An element of a worklist file: text, raw bytes, or the items of a sequence.</summary>
    private sealed class Element(uint tag, ValueRepresentation vr)
    {
        public uint Tag { get; } = tag;

        public ValueRepresentation VR { get; } = vr;

        public string? Text { get; set; }

        public byte[]? Raw { get; set; }

        public List<List<Element>>? Items { get; set; }
    }
}
