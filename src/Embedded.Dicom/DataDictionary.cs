using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Embedded.Dicom;

/// <summary>
/// The VR and keyword of the data elements of the DICOM data dictionary (PS3.6 §6, §7, §8), as an
/// implicit-VR decoder needs them (PS3.5 §7.1.3, §A.1). The tables are generated offline from PS3.6 by
/// <c>generators/Embedded.Dicom.DictionaryTool</c> into <c>DataDictionary.Generated.cs</c>.
/// </summary>
/// <remarks>
/// Where PS3.6 allows several VRs ("US or SS", "OB or OW", "US or OW", "US or SS or OW") the first one is
/// returned: the choice depends on other attributes (Pixel Representation, Bits Allocated, PS3.5 §8.1.2),
/// and in little endian the bytes of US/SS and OB/OW values are the same, so a transcoder that copies the
/// value loses nothing but the VR label.
/// </remarks>
public static partial class DataDictionary
{
    private const uint ItemTag = 0xFFFEE000;
    private const uint ItemDelimitationTag = 0xFFFEE00D;
    private const uint SequenceDelimitationTag = 0xFFFEE0DD;

    /// <summary>Bytes per row of <c>Entries</c>: tag (big-endian u32) and VR (two ASCII characters).</summary>
    private const int EntryLength = 6;

    /// <summary>Bytes per row of <c>Repeaters</c>: mask and value (big-endian u32) and VR.</summary>
    private const int RepeaterLength = 10;

    /// <summary>Keyword slots: the rows of <c>Entries</c>, then the rows of <c>Repeaters</c>.</summary>
    private const int KeywordSlotCount = GeneratedTagCount + RepeaterCount;

    /// <summary>
    /// Keyword slots sorted by keyword (ordinal), built on first use by <see cref="TryGetTag"/>. Two threads
    /// racing to build it build equal arrays, so a plain assignment suffices.
    /// </summary>
    private static int[]? s_keywordIndex;

    /// <summary>
    /// The keyword strings handed out so far, by slot: the table holds ASCII bytes (no string objects in the
    /// image), so <see cref="GetKeyword"/> makes each string once, on its first request, and returns the same
    /// instance afterwards. Races are benign: two threads may each make an equal string (or array), one store
    /// wins, and a reference store publishes a fully built object in the .NET memory model.
    /// </summary>
    private static string?[]? s_keywordStrings;

    /// <summary>
    /// The VR of <paramref name="tag"/> ((group &lt;&lt; 16) | element), resolved in this order:
    /// item and delimitation tags (FFFE,E000/E00D/E0DD) have no VR (<see cref="ValueRepresentation.None"/>,
    /// PS3.5 §7.5); group length elements (gggg,0000) are UL (PS3.5 §7.2); in an odd (private) group the
    /// private creator elements (gggg,0010–00FF) are LO and every other element is unknown (PS3.5 §7.8.1);
    /// then the PS3.6 table; then the repeating groups 50xx and 60xx (even groups up to xx = 1E, PS3.5 §7.6)
    /// and the other repeating masks of PS3.6. Unknown tags give <see cref="ValueRepresentation.None"/>.
    /// </summary>
    public static ValueRepresentation GetVR(uint tag)
    {
        if (tag is ItemTag or ItemDelimitationTag or SequenceDelimitationTag)
        {
            return ValueRepresentation.None;
        }

        ushort element = (ushort)tag;
        if (element == 0x0000)
        {
            return ValueRepresentation.UL;
        }

        if (((tag >> 16) & 1) != 0)
        {
            return element is >= 0x0010 and <= 0x00FF ? ValueRepresentation.LO : ValueRepresentation.None;
        }

        int index = FindEntry(tag);
        if (index >= 0)
        {
            return ReadVR(Entries.Slice((index * EntryLength) + 4, 2));
        }

        index = FindRepeater(tag);
        return index >= 0 ? ReadVR(Repeaters.Slice((index * RepeaterLength) + 8, 2)) : ValueRepresentation.None;
    }

    /// <summary>
    /// The PS3.6 keyword of <paramref name="tag"/> (e.g. "PatientName"), also for the repeating groups;
    /// the empty string for group lengths outside the table, private and unknown tags. The first request for
    /// a keyword makes its string (and the first request of all, one array of references to cache them in);
    /// later requests return the same instance and allocate nothing.
    /// </summary>
    public static string GetKeyword(uint tag)
    {
        int slot = FindKeywordSlot(tag);
        if (slot < 0)
        {
            return string.Empty;
        }

        string?[] strings = s_keywordStrings ??= new string?[KeywordSlotCount];
        return strings[slot] ??= MakeKeywordString(slot);
    }

    /// <summary>
    /// The PS3.6 keyword of <paramref name="tag"/> as its ASCII (and so UTF-8) bytes, straight from the
    /// constant table: for writers of UTF-8 output (JSON, logs) that want no string at all. Same rules as
    /// <see cref="GetKeyword"/>; empty when there is none. Never allocates.
    /// </summary>
    public static ReadOnlySpan<byte> GetKeywordUtf8(uint tag)
    {
        int slot = FindKeywordSlot(tag);
        return slot < 0 ? default : KeywordBytesOfSlot(slot);
    }

    /// <summary>
    /// The tag whose PS3.6 keyword is <paramref name="keyword"/> (case-sensitive, e.g. "PatientName" gives
    /// (0010,0010)); for a repeating group, its first group ("OverlayData" gives (6000,3000)). The first call
    /// builds a sorted index of the keywords (one array, no strings); later calls are a binary search that
    /// compares the characters with the ASCII table directly, and allocate nothing.
    /// </summary>
    public static bool TryGetTag(ReadOnlySpan<char> keyword, out DicomTag tag)
    {
        int[] index = s_keywordIndex ??= BuildKeywordIndex();
        int low = 0;
        int high = index.Length - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) >> 1);
            int comparison = CompareOrdinal(keyword, KeywordBytesOfSlot(index[middle]));
            if (comparison == 0)
            {
                tag = new DicomTag(TagOfSlot(index[middle]));
                return true;
            }

            if (comparison > 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        tag = default;
        return false;
    }

    /// <summary>
    /// Parses a tag as a person types it: "(0010,0010)", "0010,0010" or "00100010" (hexadecimal, either case),
    /// or a PS3.6 keyword (<see cref="TryGetTag"/>). Surrounding white space is ignored.
    /// </summary>
    public static bool TryParseTag(ReadOnlySpan<char> text, out DicomTag tag)
    {
        text = text.Trim();
        if (text.Length == 11 && text[0] == '(' && text[10] == ')')
        {
            text = text[1..10];
        }

        tag = default;
        if (text.Length == 9 && text[4] == ',')
        {
            if (!TryParseHex(text[..4], out uint group) || !TryParseHex(text[5..], out uint element))
            {
                return false;
            }

            tag = new DicomTag((group << 16) | element);
            return true;
        }

        if (text.Length == 8 && TryParseHex(text, out uint value))
        {
            tag = new DicomTag(value);
            return true;
        }

        return TryGetTag(text, out tag);
    }

    // The keyword slot of tag: its table row, else (even groups only: odd groups are private, PS3.5 §7.8) its
    // repeater row, numbered after the table rows; -1 when there is none. Group lengths need no rule of their
    // own: the two that have a keyword, (0000,0000) and (0002,0000), are table rows.
    private static int FindKeywordSlot(uint tag)
    {
        int index = FindEntry(tag);
        if (index >= 0)
        {
            return index;
        }

        if (((tag >> 16) & 1) != 0)
        {
            return -1;
        }

        index = FindRepeater(tag);
        return index >= 0 ? GeneratedTagCount + index : -1;
    }

    private static ReadOnlySpan<byte> KeywordBytesOfSlot(int slot)
    {
        ReadOnlySpan<byte> offsets = KeywordOffsets.Slice(slot * KeywordOffsetLength, 2 * KeywordOffsetLength);
        int start = (offsets[0] << 16) | (offsets[1] << 8) | offsets[2];
        int end = (offsets[3] << 16) | (offsets[4] << 8) | offsets[5];
        return KeywordBytes[start..end];
    }

    private static string MakeKeywordString(int slot)
    {
        ReadOnlySpan<byte> ascii = KeywordBytesOfSlot(slot);
        return ascii.IsEmpty ? string.Empty : Encoding.ASCII.GetString(ascii);
    }

    private static uint TagOfSlot(int slot) => slot < GeneratedTagCount
        ? BinaryPrimitives.ReadUInt32BigEndian(Entries[(slot * EntryLength)..])
        : BinaryPrimitives.ReadUInt32BigEndian(Repeaters[(((slot - GeneratedTagCount) * RepeaterLength) + 4)..]);

    // Ordinal comparison of UTF-16 text with an ASCII keyword, character by character: the same order as
    // string.CompareOrdinal on the keyword's string, with no string made. A non-ASCII character sorts after
    // every keyword character, as it does ordinally.
    private static int CompareOrdinal(ReadOnlySpan<char> text, ReadOnlySpan<byte> ascii)
    {
        int length = Math.Min(text.Length, ascii.Length);
        for (int i = 0; i < length; i++)
        {
            int difference = text[i] - ascii[i];
            if (difference != 0)
            {
                return difference;
            }
        }

        return text.Length - ascii.Length;
    }

    // Sorts the slots that have a keyword by their bytes; for ASCII, byte order is the ordinal order of the
    // characters, the order CompareOrdinal searches in. Only the index array is allocated, no strings.
    private static int[] BuildKeywordIndex()
    {
        ReadOnlySpan<byte> offsets = KeywordOffsets;
        int count = 0;
        for (int slot = 0; slot < KeywordSlotCount; slot++)
        {
            count += HasKeyword(offsets, slot) ? 1 : 0;
        }

        int[] slots = new int[count];
        int next = 0;
        for (int slot = 0; slot < KeywordSlotCount; slot++)
        {
            if (HasKeyword(offsets, slot))
            {
                slots[next++] = slot;
            }
        }

        Array.Sort(slots, static (a, b) => KeywordBytesOfSlot(a).SequenceCompareTo(KeywordBytesOfSlot(b)));
        return slots;
    }

    // Equal consecutive offsets: the slot has no keyword (a few PS3.6 rows have none).
    private static bool HasKeyword(ReadOnlySpan<byte> offsets, int slot)
    {
        ReadOnlySpan<byte> pair = offsets.Slice(slot * KeywordOffsetLength, 2 * KeywordOffsetLength);
        return !pair[..KeywordOffsetLength].SequenceEqual(pair[KeywordOffsetLength..]);
    }

    private static bool TryParseHex(ReadOnlySpan<char> digits, out uint value)
    {
        foreach (char c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                value = 0;
                return false;
            }
        }

        return uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    private static int FindRepeater(uint tag)
    {
        // PS3.5 §7.6: the curve (50xx) and overlay (60xx) repeating groups are the even groups 5000–501E and
        // 6000–601E; pydicom's masks alone would also match 5020–50FE.
        ushort group = (ushort)(tag >> 16);
        if ((group & 0xFF00) is 0x5000 or 0x6000 && (group & 0x00FF) > 0x1E)
        {
            return -1;
        }

        ReadOnlySpan<byte> rows = Repeaters;
        for (int i = 0; i < RepeaterCount; i++)
        {
            ReadOnlySpan<byte> row = rows.Slice(i * RepeaterLength, RepeaterLength);
            if ((tag & BinaryPrimitives.ReadUInt32BigEndian(row)) == BinaryPrimitives.ReadUInt32BigEndian(row[4..]))
            {
                return i;
            }
        }

        return -1;
    }

    private static int FindEntry(uint tag)
    {
        ReadOnlySpan<byte> rows = Entries;
        int low = 0;
        int high = GeneratedTagCount - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) >> 1);
            uint candidate = BinaryPrimitives.ReadUInt32BigEndian(rows[(middle * EntryLength)..]);
            if (candidate == tag)
            {
                return middle;
            }

            if (candidate < tag)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }

    // The two ASCII characters of the table are the enum's value (first character in the high byte); "--" is none.
    private static ValueRepresentation ReadVR(ReadOnlySpan<byte> code) =>
        code[0] == (byte)'-' ? ValueRepresentation.None : (ValueRepresentation)BinaryPrimitives.ReadUInt16BigEndian(code);
}
