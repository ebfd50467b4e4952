using System;
using System.Globalization;

namespace Embedded.Dicom;

/// <summary>A data element tag (gggg,eeee), PS3.5 §7.1: group in the high 16 bits.</summary>
public readonly struct DicomTag : IEquatable<DicomTag>, IComparable<DicomTag>
{
    /// <summary>Creates a tag from its 32-bit value.</summary>
    public DicomTag(uint value) => Value = value;

    /// <summary>Creates a tag from group and element.</summary>
    public DicomTag(ushort group, ushort element) => Value = ((uint)group << 16) | element;

    /// <summary>(group &lt;&lt; 16) | element.</summary>
    public uint Value { get; }

    /// <summary>The group number.</summary>
    public ushort Group => (ushort)(Value >> 16);

    /// <summary>The element number.</summary>
    public ushort Element => (ushort)Value;

    /// <inheritdoc/>
    public bool Equals(DicomTag other) => Value == other.Value;

    /// <inheritdoc/>
    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DicomTag other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => (int)Value;

    /// <summary>"(gggg,eeee)" in upper-case hexadecimal.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Group:X4},{Element:X4})");

    /// <summary>Equality.</summary>
    public static bool operator ==(DicomTag left, DicomTag right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(DicomTag left, DicomTag right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(DicomTag left, DicomTag right) => left.Value < right.Value;

    /// <summary>Ordering.</summary>
    public static bool operator >(DicomTag left, DicomTag right) => left.Value > right.Value;

    /// <summary>Ordering.</summary>
    public static bool operator <=(DicomTag left, DicomTag right) => left.Value <= right.Value;

    /// <summary>Ordering.</summary>
    public static bool operator >=(DicomTag left, DicomTag right) => left.Value >= right.Value;

    /// <summary>Wraps a 32-bit tag value.</summary>
    public static implicit operator DicomTag(uint value) => new(value);
}
