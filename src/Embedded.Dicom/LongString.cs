using System;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Embedded.Dicom;

/// <summary>
/// A Long String value (VR LO, PS3.5 Table 6.2-1) of at most 64 bytes, held inline; used for
/// (0000,0902) ErrorComment, whose repertoire is the default one (PS3.7 §C.5.2). Trailing space padding is
/// not part of the value.
/// </summary>
public struct LongString : IEquatable<LongString>
{
    /// <summary>Maximum length of an LO value.</summary>
    public const int MaxLength = 64;

    private InlineBytes64 _bytes;
    private byte _length;

    /// <summary>The number of bytes.</summary>
    public readonly int Length => _length;

    /// <summary>The bytes without padding.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> Span => ((ReadOnlySpan<byte>)_bytes).Slice(0, _length);

    /// <summary>Copies <paramref name="value"/> without trailing spaces; false when longer than 64 bytes.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> value, out LongString text)
    {
        text = default;
        while (!value.IsEmpty && (value[^1] == (byte)' ' || value[^1] == 0))
        {
            value = value[..^1];
        }

        if (value.Length > MaxLength)
        {
            return false;
        }

        value.CopyTo(text._bytes);
        text._length = (byte)value.Length;
        return true;
    }

    /// <summary>
    /// Creates a value from text. Text longer than 64 characters is cut at 64 (the comment is informational
    /// and PS3.5 allows no more); characters outside ASCII become '?'.
    /// </summary>
    public static LongString Create(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> buffer = stackalloc byte[MaxLength];
        ReadOnlySpan<char> chars = value.AsSpan(0, Math.Min(value.Length, MaxLength));
        int written = Encoding.ASCII.GetBytes(chars, buffer);
        TryCreate(buffer[..written], out LongString text);
        return text;
    }

    /// <inheritdoc/>
    public readonly bool Equals(LongString other) => Span.SequenceEqual(other.Span);

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is LongString other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode()
    {
        HashCode hash = default;
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    /// <summary>The value as text (allocates).</summary>
    public override readonly string ToString() => Encoding.ASCII.GetString(Span);

    /// <summary>Equality of values.</summary>
    public static bool operator ==(LongString left, LongString right) => left.Equals(right);

    /// <summary>Inequality of values.</summary>
    public static bool operator !=(LongString left, LongString right) => !left.Equals(right);

    /// <summary>Converts text; see <see cref="Create"/>.</summary>
    public static implicit operator LongString(string value) => Create(value);
}
