using System;
using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Embedded.Dicom.Data;

/// <summary>
/// Decodes and encodes the values of text VRs under a <see cref="SpecificCharacterSet"/>. Only SH, LO, ST,
/// LT, PN, UC and UT are affected by (0008,0005) (PS3.5 §6.1.2.3); every other text VR uses the default
/// repertoire. Uses <see cref="Encoding.Latin1"/> and <see cref="Utf8"/>, which need no ICU data.
/// </summary>
public static class SpecificCharacterSetCodec
{
    /// <summary>
    /// The character set named by a value of (0008,0005), given as its raw bytes (leading and trailing spaces
    /// and trailing NULs are ignored: CS padding, PS3.5 Table 6.2-1). Never fails: anything not listed on
    /// <see cref="SpecificCharacterSet"/> is <see cref="SpecificCharacterSet.Unrecognized"/>.
    /// </summary>
    public static SpecificCharacterSet Parse(ReadOnlySpan<byte> value)
    {
        value = value.Trim((byte)' ').TrimEnd((byte)0).TrimEnd((byte)' ');
        if (value.IsEmpty || value.SequenceEqual("ISO_IR 6"u8) || value.SequenceEqual("ISO 2022 IR 6"u8))
        {
            return SpecificCharacterSet.Default;
        }

        if (value.SequenceEqual("ISO_IR 100"u8) || value.SequenceEqual("ISO 2022 IR 100"u8))
        {
            return SpecificCharacterSet.IsoIr100;
        }

        return value.SequenceEqual("ISO_IR 192"u8) ? SpecificCharacterSet.IsoIr192 : SpecificCharacterSet.Unrecognized;
    }

    /// <summary>
    /// The defined term to write in (0008,0005) for <paramref name="charset"/>: empty for the default
    /// repertoire (the element may then be left out), "ISO_IR 100", "ISO_IR 192".
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="charset"/> is <see cref="SpecificCharacterSet.Unrecognized"/>.</exception>
    public static ReadOnlySpan<byte> GetDefinedTerm(SpecificCharacterSet charset) => charset switch
    {
        SpecificCharacterSet.Default => default,
        SpecificCharacterSet.IsoIr100 => "ISO_IR 100"u8,
        SpecificCharacterSet.IsoIr192 => "ISO_IR 192"u8,
        _ => throw new ArgumentException("Only the default repertoire, ISO_IR 100 and ISO_IR 192 can be written.", nameof(charset)),
    };

    /// <summary>True for the VRs whose values (0008,0005) applies to: SH, LO, ST, LT, PN, UC, UT (PS3.5 §6.1.2.3).</summary>
    public static bool AppliesTo(ValueRepresentation vr) =>
        vr is ValueRepresentation.SH or ValueRepresentation.LO or ValueRepresentation.ST or ValueRepresentation.LT
            or ValueRepresentation.PN or ValueRepresentation.UC or ValueRepresentation.UT;

    /// <summary>
    /// Decodes <paramref name="value"/> as is (padding is the caller's to remove). The default repertoire and
    /// <see cref="SpecificCharacterSet.Unrecognized"/> decode as ISO 8859-1, so bytes outside ASCII from a
    /// non-conformant sender still come through one character each; UTF-8 replaces invalid sequences with
    /// U+FFFD. Never throws.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> value, SpecificCharacterSet charset) =>
        charset == SpecificCharacterSet.IsoIr192 ? Encoding.UTF8.GetString(value) : Encoding.Latin1.GetString(value);

    /// <summary>
    /// The number of bytes <see cref="Encode"/> writes for <paramref name="text"/>.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A character is outside <paramref name="charset"/> (above U+007F for the default repertoire, above U+00FF
    /// for ISO_IR 100, an unpaired surrogate for ISO_IR 192), or the set is <see cref="SpecificCharacterSet.Unrecognized"/>.
    /// </exception>
    public static int GetByteCount(ReadOnlySpan<char> text, SpecificCharacterSet charset)
    {
        switch (charset)
        {
            case SpecificCharacterSet.Default:
                ThrowIfAbove(text, 0x7F, "the default repertoire (ISO-IR 6)");
                return text.Length;
            case SpecificCharacterSet.IsoIr100:
                ThrowIfAbove(text, 0xFF, "ISO_IR 100 (Latin-1)");
                return text.Length;
            case SpecificCharacterSet.IsoIr192:
                // Strict: an unpaired surrogate would silently become U+FFFD (Encoding.UTF8 replaces).
                Span<byte> scratch = stackalloc byte[256];
                int total = 0;
                while (true)
                {
                    OperationStatus status = Utf8.FromUtf16(text, scratch, out int read, out int written, replaceInvalidSequences: false);
                    total += written;
                    text = text[read..];
                    if (status == OperationStatus.Done)
                    {
                        return total;
                    }

                    if (status != OperationStatus.DestinationTooSmall)
                    {
                        throw new ArgumentException("The text holds an unpaired surrogate, which UTF-8 (ISO_IR 192) cannot encode.", nameof(text));
                    }
                }

            default:
                throw new ArgumentException("Text cannot be encoded in an unrecognized Specific Character Set.", nameof(charset));
        }
    }

    /// <summary>
    /// Encodes <paramref name="text"/> into <paramref name="destination"/>, which must hold
    /// <see cref="GetByteCount"/> bytes; returns the number of bytes written. Same exceptions as <see cref="GetByteCount"/>.
    /// </summary>
    public static int Encode(ReadOnlySpan<char> text, SpecificCharacterSet charset, Span<byte> destination)
    {
        int count = GetByteCount(text, charset);
        if (destination.Length < count)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; the text needs {count}.", nameof(destination));
        }

        if (charset == SpecificCharacterSet.IsoIr192)
        {
            Utf8.FromUtf16(text, destination, out _, out int written, replaceInvalidSequences: false);
            return written;
        }

        // Checked above: every character fits one byte of ASCII or Latin-1.
        return Encoding.Latin1.GetBytes(text, destination);
    }

    private static void ThrowIfAbove(ReadOnlySpan<char> text, int limit, string name)
    {
        foreach (char c in text)
        {
            if (c > limit)
            {
                throw new ArgumentException($"U+{(int)c:X4} is not in {name}.", nameof(text));
            }
        }
    }
}
