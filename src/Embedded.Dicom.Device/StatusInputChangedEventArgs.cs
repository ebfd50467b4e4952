using System;

namespace Embedded.Dicom.Device;

/// <summary>A debounced change of one status input.</summary>
public sealed class StatusInputChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="name">The input name (role).</param>
    /// <param name="isActive">The new logical state.</param>
    /// <param name="timestamp">When the line reached the new level (UTC).</param>
    public StatusInputChangedEventArgs(string name, bool isActive, DateTimeOffset timestamp)
    {
        Name = name;
        IsActive = isActive;
        Timestamp = timestamp;
    }

    /// <summary>The input name (role).</summary>
    public string Name { get; }

    /// <summary>The new debounced logical state.</summary>
    public bool IsActive { get; }

    /// <summary>
    /// When the line reached the new level (UTC): the start of the stable period, not the end of the debounce
    /// time, so the time stamp is as close to the real signal as the edge report allows.
    /// </summary>
    public DateTimeOffset Timestamp { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}={(IsActive ? "active" : "inactive")} @ {Timestamp:O}";
}
