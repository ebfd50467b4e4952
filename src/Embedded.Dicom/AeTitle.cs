using System;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Embedded.Dicom;

/// <summary>
/// An Application Entity title (VR AE, PS3.5 Table 6.2-1): at most 16 bytes of the default repertoire,
/// held inline. Leading and trailing spaces are not significant and are removed on creation, so two titles
/// compare equal after trimming (interop: peers pad differently).
/// </summary>
public struct AeTitle : IEquatable<AeTitle>
{
    /// <summary>Maximum length, PS3.5 Table 6.2-1.</summary>
    public const int MaxLength = 16;

    private InlineBytes16 _bytes;
    private byte _length;

    /// <summary>The number of significant bytes.</summary>
    public readonly int Length => _length;

    /// <summary>True when the title is empty (all spaces on the wire, which PS3.5 does not allow).</summary>
    public readonly bool IsEmpty => _length == 0;

    /// <summary>The significant bytes, without padding.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> Span => ((ReadOnlySpan<byte>)_bytes).Slice(0, _length);

    /// <summary>
    /// Copies <paramref name="value"/> without leading and trailing spaces (and trailing NULs); false when the
    /// rest is longer than 16 bytes or holds a backslash or a control character (PS3.5 Table 6.2-1).
    /// </summary>
    public static bool TryCreate(ReadOnlySpan<byte> value, out AeTitle title)
    {
        title = default;
        while (!value.IsEmpty && (value[^1] == (byte)' ' || value[^1] == 0))
        {
            value = value[..^1];
        }

        while (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        if (value.Length > MaxLength)
        {
            return false;
        }

        foreach (byte b in value)
        {
            if (b < 0x20 || b == (byte)'\\' || b > 0x7E)
            {
                return false;
            }
        }

        value.CopyTo(title._bytes);
        title._length = (byte)value.Length;
        return true;
    }

    /// <summary>Creates a title from text; throws <see cref="ArgumentException"/> when it is not a valid AE value.</summary>
    public static AeTitle Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> buffer = stackalloc byte[64];
        if (value.Length > buffer.Length || Encoding.ASCII.GetBytes(value, buffer) != value.Length || !TryCreate(buffer[..value.Length], out AeTitle title))
        {
            throw new ArgumentException($"'{value}' is not an AE title: at most {MaxLength} characters of the default repertoire, no backslash or control characters (PS3.5 Table 6.2-1).", nameof(value));
        }

        return title;
    }

    /// <summary>Writes the 16-byte space-padded form used in A-ASSOCIATE-RQ/AC (PS3.8 §9.3.2).</summary>
    public readonly void WritePadded16(Span<byte> destination)
    {
        destination = destination[..MaxLength];
        destination.Fill((byte)' ');
        Span.CopyTo(destination);
    }

    /// <inheritdoc/>
    public readonly bool Equals(AeTitle other) => Span.SequenceEqual(other.Span);

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is AeTitle other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode()
    {
        HashCode hash = default;
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    /// <summary>The title as text (allocates).</summary>
    public override readonly string ToString() => Encoding.ASCII.GetString(Span);

    /// <summary>Equality after trimming.</summary>
    public static bool operator ==(AeTitle left, AeTitle right) => left.Equals(right);

    /// <summary>Inequality after trimming.</summary>
    public static bool operator !=(AeTitle left, AeTitle right) => !left.Equals(right);

    /// <summary>Converts text; see <see cref="Parse"/>.</summary>
    public static implicit operator AeTitle(string value) => Parse(value);
}
