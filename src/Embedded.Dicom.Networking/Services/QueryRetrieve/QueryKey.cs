using System;
using System.Collections.Generic;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Networking.Services;

/// <summary>One key of a received identifier (PS3.4 C.4.1.1.3): its tag, VR, value as text, and for a sequence the keys of its item.</summary>
internal sealed class QueryKey
{
    public QueryKey(uint tag, ValueRepresentation vr)
    {
        Tag = tag;
        VR = vr;
    }

    public uint Tag { get; }

    public ValueRepresentation VR { get; }

    /// <summary>The value decoded as text (padding removed); empty for a return key.</summary>
    public string Value { get; set; } = "";

    /// <summary>True for a non-empty value of a binary VR, which is not matched here.</summary>
    public bool HasBinaryValue { get; set; }

    /// <summary>For a sequence: the keys of its first item (empty when it has an empty item or none).</summary>
    public List<QueryKey>? Item { get; set; }

    public bool IsSequence => VR == ValueRepresentation.SQ;

    /// <summary>True when the key asks for matching (a value other than universal), PS3.4 C.2.2.2.</summary>
    public bool IsMatchingKey => HasBinaryValue || !QueryMatching.IsUniversal(Value);

    /// <summary>
    /// Reads the keys of an identifier. Keys inside a sequence come from its first item only: a query
    /// sequence has a single item (PS3.4 C.2.2.2.6). The identifier has already been checked to parse.
    /// </summary>
    public static List<QueryKey> Parse(in QueryRequest request, out SpecificCharacterSet charset)
    {
        var root = new List<QueryKey>();
        charset = SpecificCharacterSet.Default;

        // Where elements go: the list of the data set or item being read, null inside an item that is ignored.
        var lists = new Stack<List<QueryKey>?>();
        var sequences = new Stack<(QueryKey Key, int Items)>();
        List<QueryKey>? current = root;
        DataSetReader reader = request.CreateReader();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case DataSetTokenType.Element:
                    if (current is null)
                    {
                        break;
                    }

                    var key = new QueryKey(reader.Tag.Value, reader.VR);
                    if (reader.IsValueComplete && reader.Length > 0)
                    {
                        if (QueryIdentifier.IsText(reader.VR) || reader.VR == ValueRepresentation.None)
                        {
                            key.Value = reader.GetString();
                        }
                        else
                        {
                            key.HasBinaryValue = true;
                        }
                    }

                    if (reader.CurrentDepth == 0 && key.Tag == QueryInformationModel.SpecificCharacterSet.Value)
                    {
                        charset = SpecificCharacterSetCodec.Parse(reader.ValueSpan);
                    }

                    current.Add(key);
                    break;
                case DataSetTokenType.SequenceStart:
                    var sequence = new QueryKey(reader.Tag.Value, ValueRepresentation.SQ);
                    current?.Add(sequence);
                    sequences.Push((sequence, 0));
                    break;
                case DataSetTokenType.ItemStart:
                    (QueryKey owner, int items) = sequences.Pop();
                    sequences.Push((owner, items + 1));
                    lists.Push(current);
                    if (items == 0 && current is not null)
                    {
                        owner.Item = [];
                        current = owner.Item;
                    }
                    else
                    {
                        current = null;
                    }

                    break;
                case DataSetTokenType.ItemEnd:
                    current = lists.Pop();
                    break;
                case DataSetTokenType.SequenceEnd:
                    sequences.Pop();
                    break;
            }
        }

        return root;
    }

    /// <summary>The key with <paramref name="tag"/> in <paramref name="keys"/>, or null.</summary>
    public static QueryKey? Find(List<QueryKey> keys, uint tag)
    {
        foreach (QueryKey key in keys)
        {
            if (key.Tag == tag)
            {
                return key;
            }
        }

        return null;
    }
}
