using System;

namespace Embedded.Dicom.Networking.Services;

/// <summary>
/// Attribute matching of PS3.4 C.2.2.2, as an SCP applies a key's value to an attribute's value (both as text,
/// decoded from their character sets). Allocation-free.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Universal matching (C.2.2.2.3): an empty key, or a key of only "*" (C.2.2.2.4), matches everything,
/// an empty value included.</item>
/// <item>Single value matching (C.2.2.2.1): equality after removing padding spaces; case-sensitive except for
/// PN, where the standard lets the SCP ignore case, which is what people typing DOE* expect.</item>
/// <item>Wildcard matching (C.2.2.2.4): * (any run) and ? (one character) in AE, CS, LO, LT, PN, SH, ST, UC,
/// UR and UT keys; never in DA, TM, DT or UI.</item>
/// <item>List of UID matching (C.2.2.2.2): a UI key of several values separated by backslashes matches any of them.</item>
/// <item>Range matching (C.2.2.2.5) for DA, TM and DT: "a-b", "-b", "a-" (inclusive). Times compare on
/// HHMMSS (an open end "-11" covers up to 11:59:59); date-times on YYYYMMDDHHMMSS, offsets ignored. The
/// combined date-and-time range of C.2.2.2.5.1 is not applied.</item>
/// <item>Multiple values: a multi-valued attribute (e.g. Modalities in Study "CT\MR") matches when any of its
/// values matches; a key with several values (not a range) matches when any of them does.</item>
/// </list>
/// </remarks>
public static class QueryMatching
{
    /// <summary>True when <paramref name="value"/> (of an attribute of VR <paramref name="vr"/>) matches key <paramref name="key"/>.</summary>
    public static bool Matches(ValueRepresentation vr, ReadOnlySpan<char> key, ReadOnlySpan<char> value)
    {
        key = key.Trim(' ');
        if (IsUniversal(key))
        {
            return true;
        }

        foreach (Range keyPart in key.Split('\\'))
        {
            ReadOnlySpan<char> one = key[keyPart].Trim(' ');
            foreach (Range valuePart in value.Split('\\'))
            {
                if (MatchesOne(vr, one, value[valuePart].Trim(' ')))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True for a key that matches everything: empty, or only "*" (PS3.4 C.2.2.2.3, C.2.2.2.4).</summary>
    public static bool IsUniversal(ReadOnlySpan<char> key)
    {
        key = key.Trim(' ');
        return key.IsEmpty || key.SequenceEqual("*");
    }

    private static bool MatchesOne(ValueRepresentation vr, ReadOnlySpan<char> key, ReadOnlySpan<char> value)
    {
        switch (vr)
        {
            case ValueRepresentation.UI:
                return key.SequenceEqual(value.TrimEnd('\0'));
            case ValueRepresentation.DA:
            case ValueRepresentation.TM:
            case ValueRepresentation.DT:
                int dash = key.IndexOf('-');
                return dash < 0 ? key.SequenceEqual(value) : InRange(vr, key[..dash], key[(dash + 1)..], value);
            case ValueRepresentation.PN:
                return Wildcard(key.TrimEnd('^'), value.TrimEnd('^'), ignoreCase: true);
            case ValueRepresentation.AE or ValueRepresentation.CS or ValueRepresentation.LO or ValueRepresentation.LT
                or ValueRepresentation.SH or ValueRepresentation.ST or ValueRepresentation.UC or ValueRepresentation.UR or ValueRepresentation.UT:
                return Wildcard(key, value, ignoreCase: false);
            default:
                return key.SequenceEqual(value);
        }
    }

    private static bool InRange(ValueRepresentation vr, ReadOnlySpan<char> low, ReadOnlySpan<char> high, ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        // DA compares as YYYYMMDD; TM and DT are brought to a fixed width first (digits only, fraction and
        // offset dropped), the low end padded with 0 and the high end with 9 so that "-11" includes 11:30.
        int width = vr switch { ValueRepresentation.DA => 8, ValueRepresentation.TM => 6, _ => 14 };
        Span<char> lowBuffer = stackalloc char[width];
        Span<char> highBuffer = stackalloc char[width];
        Span<char> valueBuffer = stackalloc char[width];
        bool date = vr == ValueRepresentation.DA;
        Normalize(value, valueBuffer, '0', date);
        if (!low.IsEmpty)
        {
            Normalize(low, lowBuffer, '0', date);
            if (((ReadOnlySpan<char>)valueBuffer).SequenceCompareTo(lowBuffer) < 0)
            {
                return false;
            }
        }

        if (!high.IsEmpty)
        {
            Normalize(high, highBuffer, '9', date);
            if (((ReadOnlySpan<char>)valueBuffer).SequenceCompareTo(highBuffer) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The leading digits of <paramref name="text"/> padded with <paramref name="pad"/>; separators of the old
    /// ACR-NEMA forms (10:30, 2024.01.31) are skipped, a time's fraction and a date-time's offset end it.
    /// </summary>
    private static void Normalize(ReadOnlySpan<char> text, Span<char> destination, char pad, bool date)
    {
        int count = 0;
        foreach (char c in text)
        {
            if ((c == '.' && !date) || c == '+' || (c == '-' && count > 0))
            {
                break; // fraction or UTC offset
            }

            if (char.IsAsciiDigit(c) && count < destination.Length)
            {
                destination[count++] = c;
            }
        }

        destination[count..].Fill(pad);
    }

    /// <summary>Glob matching with * and ?; iterative, backtracking only to the last star (linear for the common cases).</summary>
    private static bool Wildcard(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, bool ignoreCase)
    {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], text[t], ignoreCase)))
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool Same(char a, char b, bool ignoreCase) => a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
