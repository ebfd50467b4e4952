using System;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Embedded.Dicom;

/// <summary>
/// A UID value (VR UI, PS3.5 §9.1): at most 64 ASCII bytes, held inline so that a decoded command set
/// allocates nothing. Padding (a trailing NUL, or a space from non-conformant peers) is not part of the value.
/// </summary>
public struct DicomUid : IEquatable<DicomUid>
{
    /// <summary>Maximum length of a UID, PS3.5 §9.1.</summary>
    public const int MaxLength = 64;

    private InlineBytes64 _bytes;
    private byte _length;

    /// <summary>The number of bytes in the value.</summary>
    public readonly int Length => _length;

    /// <summary>True when the value is empty.</summary>
    public readonly bool IsEmpty => _length == 0;

    /// <summary>The ASCII bytes of the value, without padding.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> Span => ((ReadOnlySpan<byte>)_bytes).Slice(0, _length);

    /// <summary>
    /// Copies <paramref name="value"/> after removing trailing NUL and space padding; false when it is longer
    /// than <see cref="MaxLength"/>. Characters are not validated here (see <see cref="IsValid"/>): a receiver
    /// must be able to hold a peer's malformed UID to answer about it.
    /// </summary>
    public static bool TryCreate(ReadOnlySpan<byte> value, out DicomUid uid)
    {
        uid = default;
        while (!value.IsEmpty && (value[^1] == 0 || value[^1] == (byte)' '))
        {
            value = value[..^1];
        }

        if (value.Length > MaxLength)
        {
            return false;
        }

        value.CopyTo(uid._bytes);
        uid._length = (byte)value.Length;
        return true;
    }

    /// <summary>
    /// A new UID under the 2.25 root: "2.25." followed by a random UUID as one decimal integer (PS3.5 §B.2),
    /// at most 44 characters, unique without a registered root.
    /// </summary>
    public static DicomUid NewUid()
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(bytes, bigEndian: true, out _);
        UInt128 value = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return Parse("2.25." + value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Creates a UID from text; throws <see cref="ArgumentException"/> when it is longer than 64 bytes or not ASCII.</summary>
    public static DicomUid Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> buffer = stackalloc byte[MaxLength];
        if (value.Length > MaxLength || Encoding.ASCII.GetBytes(value, buffer) != value.Length || !TryCreate(buffer[..value.Length], out DicomUid uid))
        {
            throw new ArgumentException($"'{value}' is not a UID of at most {MaxLength} ASCII characters (PS3.5 §9.1).", nameof(value));
        }

        return uid;
    }

    /// <summary>
    /// True when the value follows PS3.5 §9.1: 1–64 bytes of digits and dots, components not empty and without
    /// a leading zero (except the component "0").
    /// </summary>
    public readonly bool IsValid => IsValidUid(Span);

    /// <summary>The PS3.5 §9.1 check of <see cref="IsValid"/> on raw bytes.</summary>
    public static bool IsValidUid(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.Length > MaxLength)
        {
            return false;
        }

        int componentStart = 0;
        for (int i = 0; i <= value.Length; i++)
        {
            if (i == value.Length || value[i] == (byte)'.')
            {
                int componentLength = i - componentStart;
                if (componentLength == 0 || (componentLength > 1 && value[componentStart] == (byte)'0'))
                {
                    return false;
                }

                componentStart = i + 1;
            }
            else if (value[i] < (byte)'0' || value[i] > (byte)'9')
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public readonly bool Equals(DicomUid other) => Span.SequenceEqual(other.Span);

    /// <summary>Compares with ASCII bytes (no padding).</summary>
    public readonly bool Equals(ReadOnlySpan<byte> other) => Span.SequenceEqual(other);

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is DicomUid other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode()
    {
        HashCode hash = default;
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    /// <summary>The value as text (allocates; for messages to people).</summary>
    public override readonly string ToString() => Encoding.ASCII.GetString(Span);

    /// <summary>Equality of values.</summary>
    public static bool operator ==(DicomUid left, DicomUid right) => left.Equals(right);

    /// <summary>Inequality of values.</summary>
    public static bool operator !=(DicomUid left, DicomUid right) => !left.Equals(right);

    /// <summary>Converts text; see <see cref="Parse"/>.</summary>
    public static implicit operator DicomUid(string value) => Parse(value);
}
