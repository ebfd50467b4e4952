using System;
using System.Diagnostics.CodeAnalysis;

namespace Embedded.Dicom;

/// <summary>
/// The value of an AT element with VM 1-n in the command group — (0000,0901) OffendingElement and
/// (0000,1005) AttributeIdentifierList — held inline (up to <see cref="Capacity"/> tags) so that decoding
/// allocates nothing. On the wire each tag is a group u16 then an element u16, little endian (PS3.5 §6.2).
/// </summary>
public struct DicomTagList : IEquatable<DicomTagList>
{
    /// <summary>
    /// How many tags the list holds. A command set naming more is refused as a wrong value size: no real
    /// N-GET or status names this many attributes in the command group, and the bound keeps messages fixed-size.
    /// </summary>
    public const int Capacity = 32;

    private InlineTags _tags;
    private byte _count;

    /// <summary>The number of tags.</summary>
    public readonly int Count => _count;

    /// <summary>The tags as 32-bit values.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<uint> Span => ((ReadOnlySpan<uint>)_tags).Slice(0, _count);

    /// <summary>The tag at <paramref name="index"/>.</summary>
    public readonly DicomTag this[int index] => new(Span[index]);

    /// <summary>Creates a list; false when there are more than <see cref="Capacity"/> tags.</summary>
    public static bool TryCreate(ReadOnlySpan<uint> tags, out DicomTagList list)
    {
        list = default;
        if (tags.Length > Capacity)
        {
            return false;
        }

        tags.CopyTo(list._tags);
        list._count = (byte)tags.Length;
        return true;
    }

    /// <summary>Creates a list; throws <see cref="ArgumentException"/> with more than <see cref="Capacity"/> tags.</summary>
    public static DicomTagList Create(params ReadOnlySpan<uint> tags)
    {
        if (!TryCreate(tags, out DicomTagList list))
        {
            throw new ArgumentException($"At most {Capacity} tags fit in a command-group AT value.", nameof(tags));
        }

        return list;
    }

    /// <summary>Appends a tag; false when the list is full.</summary>
    public bool TryAdd(uint tag)
    {
        if (_count == Capacity)
        {
            return false;
        }

        _tags[_count++] = tag;
        return true;
    }

    /// <inheritdoc/>
    public readonly bool Equals(DicomTagList other) => Span.SequenceEqual(other.Span);

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is DicomTagList other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode() => HashCode.Combine(_count, _count > 0 ? _tags[0] : 0u);

    /// <summary>"(gggg,eeee)\(gggg,eeee)…" (allocates).</summary>
    public override readonly string ToString()
    {
        var parts = new string[_count];
        for (int i = 0; i < _count; i++)
        {
            parts[i] = new DicomTag(_tags[i]).ToString();
        }

        return string.Join('\\', parts);
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(DicomTagList left, DicomTagList right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(DicomTagList left, DicomTagList right) => !left.Equals(right);
}
