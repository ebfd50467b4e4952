using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Networking.Services;

/// <summary>
/// The identifier of a C-FIND-RQ being built (PS3.4 C.4.1.1.3): keys as (tag, value), where the value is sent
/// as typed — wildcards (* ?), ranges (a-b) and UID lists (a\b) pass through for the SCP to apply
/// (PS3.4 C.2.2.2) — and an empty value asks for the attribute to be returned (universal matching). A sequence
/// key holds one item of keys matched inside it (sequence matching, C.2.2.2.6), e.g. the Scheduled Procedure
/// Step keys of a worklist query.
/// </summary>
public sealed class QueryIdentifier
{
    private readonly List<Key> _keys = [];

    /// <summary>An empty identifier.</summary>
    public QueryIdentifier()
    {
    }

    /// <summary>An identifier whose (0008,0052) Query/Retrieve Level is <paramref name="level"/>.</summary>
    public QueryIdentifier(QueryLevel level) => Set(QueryInformationModel.QueryRetrieveLevel, QueryInformationModel.GetLevelName(level));

    /// <summary>
    /// (0008,0005) Specific Character Set of the text values. <see langword="null"/> (the default) picks it when
    /// writing: the default repertoire when every value is ASCII, ISO_IR 192 (UTF-8) otherwise.
    /// </summary>
    public SpecificCharacterSet? CharacterSet { get; set; }

    /// <summary>The keys, in ascending tag order.</summary>
    public int Count => _keys.Count;

    /// <summary>
    /// Sets a key with the VR of the data dictionary; an empty <paramref name="value"/> is a return key. For a
    /// sequence tag an empty value asks for the whole sequence; use <see cref="Item"/> to match inside it.
    /// </summary>
    /// <exception cref="ArgumentException">The tag is not in the dictionary (give the VR), or its VR cannot carry a key.</exception>
    public QueryIdentifier Set(DicomTag tag, string value = "")
    {
        ValueRepresentation vr = DataDictionary.GetVR(tag.Value);
        if (vr == ValueRepresentation.None)
        {
            throw new ArgumentException($"{tag} is not in the data dictionary: give its VR.", nameof(tag));
        }

        return Set(tag, vr, value);
    }

    /// <summary>Sets a key with an explicit VR (private or unknown tags).</summary>
    /// <exception cref="ArgumentException">The VR cannot carry a key (OB, OW, UN …), or the value does not parse for a numeric VR.</exception>
    public QueryIdentifier Set(DicomTag tag, ValueRepresentation vr, string value = "")
    {
        ArgumentNullException.ThrowIfNull(value);
        if (tag.Group == 0xFFFE || tag.Group == 0x0000 || tag.Group == 0x0002)
        {
            throw new ArgumentException($"{tag} cannot be a key of an identifier.", nameof(tag));
        }

        if (vr == ValueRepresentation.SQ)
        {
            if (value.Length > 0)
            {
                throw new ArgumentException($"{tag} is a sequence: match inside it with Item({tag}).", nameof(value));
            }
        }
        else if (!IsText(vr) && !IsNumeric(vr))
        {
            throw new ArgumentException($"{tag} has VR {vr}, which cannot be a query key here.", nameof(vr));
        }
        else if (IsNumeric(vr) && value.Length > 0 && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw new ArgumentException($"{tag} has VR {vr}: '{value}' is not a number.", nameof(value));
        }

        Put(new Key(tag, vr, value, null));
        return this;
    }

    /// <summary>
    /// The item of sequence key <paramref name="sequence"/> (created with an empty item when absent): the keys
    /// set on it are sent inside the sequence's single item (PS3.4 C.2.2.2.6).
    /// </summary>
    public QueryIdentifier Item(DicomTag sequence)
    {
        int index = Find(sequence.Value);
        if (index >= 0 && _keys[index].Item is { } existing)
        {
            return existing;
        }

        var item = new QueryIdentifier();
        Put(new Key(sequence, ValueRepresentation.SQ, "", item));
        return item;
    }

    /// <summary>Removes a key; false when absent.</summary>
    public bool Remove(DicomTag tag)
    {
        int index = Find(tag.Value);
        if (index < 0)
        {
            return false;
        }

        _keys.RemoveAt(index);
        return true;
    }

    /// <summary>True when the identifier has the key.</summary>
    public bool Contains(DicomTag tag) => Find(tag.Value) >= 0;

    /// <summary>The value of a key, or null when absent (sequences give "").</summary>
    public string? GetValue(DicomTag tag)
    {
        int index = Find(tag.Value);
        return index < 0 ? null : _keys[index].Value;
    }

    /// <summary>Encodes the identifier in <paramref name="transferSyntax"/> (Implicit or Explicit VR Little Endian).</summary>
    public void WriteTo(IBufferWriter<byte> output, TransferSyntax transferSyntax)
    {
        var writer = new DataSetWriter(output, transferSyntax);
        WriteItem(writer, ResolveCharacterSet(), topLevel: true);
    }

    /// <summary>
    /// The character set the values are encoded in: <see cref="CharacterSet"/>, else the one a (0008,0005) key
    /// names, else the default repertoire when every value is ASCII and ISO_IR 192 when not.
    /// </summary>
    private SpecificCharacterSet ResolveCharacterSet()
    {
        if (CharacterSet is { } chosen)
        {
            return chosen;
        }

        string? named = GetValue(QueryInformationModel.SpecificCharacterSet);
        if (!string.IsNullOrWhiteSpace(named))
        {
            return SpecificCharacterSetCodec.Parse(System.Text.Encoding.ASCII.GetBytes(named));
        }

        return IsAscii() ? SpecificCharacterSet.Default : SpecificCharacterSet.IsoIr192;
    }

    private void WriteItem(DataSetWriter writer, SpecificCharacterSet charset, bool topLevel)
    {
        // (0008,0005) goes with the top-level data set only (PS3.5 §6.1.2.3: an item inherits it), written
        // from the character set actually used, whatever a key of that tag said.
        uint charsetTag = QueryInformationModel.SpecificCharacterSet.Value;
        bool charsetPending = topLevel && (charset != SpecificCharacterSet.Default || Contains(QueryInformationModel.SpecificCharacterSet));
        foreach (Key key in _keys)
        {
            if (topLevel && key.Tag.Value == charsetTag)
            {
                continue;
            }

            if (charsetPending && key.Tag.Value > charsetTag)
            {
                writer.WriteSpecificCharacterSet(charset);
                charsetPending = false;
            }

            if (key.VR == ValueRepresentation.SQ)
            {
                writer.WriteStartSequence(key.Tag);
                if (key.Item is { } item)
                {
                    writer.WriteStartItem();
                    item.WriteItem(writer, charset, topLevel: false);
                    writer.WriteEndItem();
                }

                writer.WriteEndSequence();
            }
            else if (IsNumeric(key.VR))
            {
                WriteNumber(writer, key);
            }
            else
            {
                writer.WriteString(key.Tag, key.VR, key.Value, charset);
            }
        }

        if (charsetPending)
        {
            writer.WriteSpecificCharacterSet(charset);
        }
    }

    private static void WriteNumber(DataSetWriter writer, Key key)
    {
        if (key.Value.Length == 0)
        {
            writer.WriteEmpty(key.Tag, key.VR);
            return;
        }

        double number = double.Parse(key.Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        switch (key.VR)
        {
            case ValueRepresentation.US:
                writer.WriteUInt16(key.Tag, checked((ushort)number));
                break;
            case ValueRepresentation.SS:
                writer.WriteInt16(key.Tag, checked((short)number));
                break;
            case ValueRepresentation.UL:
                writer.WriteUInt32(key.Tag, checked((uint)number));
                break;
            case ValueRepresentation.SL:
                writer.WriteInt32(key.Tag, checked((int)number));
                break;
            case ValueRepresentation.FL:
                writer.WriteSingle(key.Tag, (float)number);
                break;
            default:
                writer.WriteDouble(key.Tag, number);
                break;
        }
    }

    private bool IsAscii()
    {
        foreach (Key key in _keys)
        {
            if (!System.Text.Ascii.IsValid(key.Value) || (key.Item is { } item && !item.IsAscii()))
            {
                return false;
            }
        }

        return true;
    }

    private void Put(Key key)
    {
        int index = Find(key.Tag.Value);
        if (index >= 0)
        {
            _keys[index] = key;
            return;
        }

        // Keys stay in ascending tag order: the order PS3.5 §7.1 requires of the encoded data set.
        int at = 0;
        while (at < _keys.Count && _keys[at].Tag.Value < key.Tag.Value)
        {
            at++;
        }

        _keys.Insert(at, key);
    }

    private int Find(uint tag)
    {
        for (int i = 0; i < _keys.Count; i++)
        {
            if (_keys[i].Tag.Value == tag)
            {
                return i;
            }
        }

        return -1;
    }

    internal static bool IsText(ValueRepresentation vr) => vr is ValueRepresentation.AE or ValueRepresentation.AS or ValueRepresentation.CS
        or ValueRepresentation.DA or ValueRepresentation.DS or ValueRepresentation.DT or ValueRepresentation.IS or ValueRepresentation.LO
        or ValueRepresentation.LT or ValueRepresentation.PN or ValueRepresentation.SH or ValueRepresentation.ST or ValueRepresentation.TM
        or ValueRepresentation.UC or ValueRepresentation.UI or ValueRepresentation.UR or ValueRepresentation.UT;

    private static bool IsNumeric(ValueRepresentation vr) => vr is ValueRepresentation.US or ValueRepresentation.SS or ValueRepresentation.UL
        or ValueRepresentation.SL or ValueRepresentation.FL or ValueRepresentation.FD;

    private sealed record Key(DicomTag Tag, ValueRepresentation VR, string Value, QueryIdentifier? Item);
}
