using System;
using System.Collections;
using System.Collections.Generic;

namespace Embedded.Dicom.Generators.Helpers;

/// <summary>
/// An immutable array compared by its elements, so that generator models holding collections are equal when
/// their contents are and the incremental pipeline can cache them.
/// </summary>
public sealed class ImmutableEquatableArray<T> : IEquatable<ImmutableEquatableArray<T>>, IReadOnlyList<T>
    where T : IEquatable<T>
{
    private readonly T[] _values;

    /// <summary>The empty array.</summary>
    public static ImmutableEquatableArray<T> Empty { get; } = new(Array.Empty<T>());

    /// <summary>Copies <paramref name="values"/>.</summary>
    public ImmutableEquatableArray(IEnumerable<T> values) => _values = new List<T>(values).ToArray();

    /// <inheritdoc/>
    public T this[int index] => _values[index];

    /// <inheritdoc/>
    public int Count => _values.Length;

    /// <inheritdoc/>
    public bool Equals(ImmutableEquatableArray<T>? other)
    {
        if (other is null || other._values.Length != _values.Length)
        {
            return false;
        }

        for (int i = 0; i < _values.Length; i++)
        {
            if (!_values[i].Equals(other._values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ImmutableEquatableArray<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        int hash = 17;
        foreach (T value in _values)
        {
            hash = unchecked((hash * 31) + (value?.GetHashCode() ?? 0));
        }

        return hash;
    }

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _values.GetEnumerator();
}
