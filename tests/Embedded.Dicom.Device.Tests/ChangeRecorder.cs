using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace Embedded.Dicom.Device.Tests;

/// <summary>Collects <see cref="IStatusInputs.Changed"/> notifications for bounded waits.</summary>
internal sealed class ChangeRecorder
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly BlockingCollection<(StatusInputChangedEventArgs Change, Thread Thread)> _changes = new();

    public ChangeRecorder(IStatusInputs inputs) => inputs.Changed += (_, e) => _changes.Add((e, Thread.CurrentThread));

    public Thread? LastThread { get; private set; }

    public StatusInputChangedEventArgs Next()
    {
        if (!_changes.TryTake(out var item, Timeout))
        {
            throw new TimeoutException($"no Changed notification within {Timeout.TotalSeconds} s");
        }

        LastThread = item.Thread;
        return item.Change;
    }

    /// <summary>
    /// Takes notifications up to and including the first for <paramref name="marker"/>. Notifications are
    /// delivered in order, so the result proves which changes happened before the marker, and which did not.
    /// </summary>
    public List<string> TakeUntil(string marker)
    {
        var seen = new List<string>();
        while (true)
        {
            StatusInputChangedEventArgs change = Next();
            seen.Add($"{change.Name}={change.IsActive}");
            if (change.Name == marker)
            {
                return seen;
            }
        }
    }
}
