using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace Embedded.Dicom.Device;

/// <summary>
/// The source-independent half of a status input implementation: debounces raw logical levels reported by
/// any thread and publishes stable changes, in order, on one dispatch thread.
/// </summary>
/// <remarks>
/// A change is published when the raw level has differed from the published level for the whole debounce
/// time; every reported edge restarts that time, so a glitch shorter than the debounce time publishes
/// nothing. Durations come from <see cref="TimeProvider.GetTimestamp"/> (monotonic: the wall clock of a
/// board jumps when NTP first syncs), time stamps from <see cref="TimeProvider.GetUtcNow"/>. One timer,
/// re-armed for the earliest pending deadline, does the waiting: no polling, no thread per input.
/// </remarks>
internal sealed class StatusInputEngine : IDisposable
{
    private readonly object _gate = new();
    private readonly object _sender;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly string[] _names;
    private readonly TimeSpan[] _debounce;
    private readonly bool[] _stable;
    private readonly bool[] _raw;
    private readonly TimeSpan[] _rawSince;
    private readonly DateTimeOffset[] _rawSinceUtc;
    private readonly ITimer _timer;
    private readonly BlockingCollection<StatusInputChangedEventArgs> _queue = new();
    private readonly Thread _dispatcher;
    private bool _disposed;

    public StatusInputEngine(object sender, IReadOnlyList<string> names, IReadOnlyList<TimeSpan> debounce, TimeProvider time)
    {
        _sender = sender;
        _time = time;
        _origin = time.GetTimestamp();
        _names = [.. names];
        _debounce = [.. debounce];
        _stable = new bool[_names.Length];
        _raw = new bool[_names.Length];
        _rawSince = new TimeSpan[_names.Length];
        _rawSinceUtc = new DateTimeOffset[_names.Length];
        _timer = time.CreateTimer(static state => ((StatusInputEngine)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _dispatcher = new Thread(Dispatch) { IsBackground = true, Name = "edicom-status-inputs" };
        _dispatcher.Start();
    }

    public event EventHandler<StatusInputChangedEventArgs>? Changed;

    /// <summary>Sets the starting level of an input without publishing it.</summary>
    public void Initialize(int index, bool active)
    {
        lock (_gate)
        {
            _stable[index] = active;
            _raw[index] = active;
            _rawSince[index] = Now();
            _rawSinceUtc[index] = _time.GetUtcNow();
        }
    }

    /// <summary>Reports the raw logical level of an input after an edge or a read; callable from any thread.</summary>
    public void Report(int index, bool active)
    {
        lock (_gate)
        {
            if (_disposed || _raw[index] == active)
            {
                return;
            }

            _raw[index] = active;
            _rawSince[index] = Now();
            _rawSinceUtc[index] = _time.GetUtcNow();
            Evaluate();
        }
    }

    public bool IsActive(int index)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _stable[index];
        }
    }

    public IReadOnlyDictionary<string, bool> Snapshot()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var snapshot = new Dictionary<string, bool>(_names.Length, StringComparer.Ordinal);
            for (int i = 0; i < _names.Length; i++)
            {
                snapshot.Add(_names[i], _stable[i]);
            }

            return snapshot;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _timer.Dispose();
        _queue.CompleteAdding();

        // Changes already queued are still delivered. A handler that disposes its own source must not wait
        // for itself, and a handler that never returns must not hang shutdown.
        if (Thread.CurrentThread != _dispatcher)
        {
            _dispatcher.Join(TimeSpan.FromSeconds(5));
        }
    }

    private TimeSpan Now() => _time.GetElapsedTime(_origin);

    private void OnTimer()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                Evaluate();
            }
        }
    }

    // Caller holds _gate. Events are queued under the lock so their order is the order of the state changes.
    private void Evaluate()
    {
        TimeSpan now = Now();
        TimeSpan next = Timeout.InfiniteTimeSpan;
        for (int i = 0; i < _names.Length; i++)
        {
            if (_raw[i] == _stable[i])
            {
                continue;
            }

            TimeSpan remaining = _rawSince[i] + _debounce[i] - now;
            if (remaining <= TimeSpan.Zero)
            {
                _stable[i] = _raw[i];
                _queue.Add(new StatusInputChangedEventArgs(_names[i], _raw[i], _rawSinceUtc[i]));
            }
            else if (next == Timeout.InfiniteTimeSpan || remaining < next)
            {
                next = remaining;
            }
        }

        // Timers have millisecond resolution and would fire up to 1 ms early with a fractional due time, then
        // spin on a zero due time; rounding up costs at most 1 ms of latency.
        _timer.Change(next == Timeout.InfiniteTimeSpan ? next : TimeSpan.FromMilliseconds(Math.Ceiling(next.TotalMilliseconds)), Timeout.InfiniteTimeSpan);
    }

    private void Dispatch()
    {
        foreach (StatusInputChangedEventArgs change in _queue.GetConsumingEnumerable())
        {
            // One handler at a time: a failing handler must not keep the others from this change, stop later
            // changes, or take the process down from a background thread (documented on IStatusInputs.Changed).
            foreach (EventHandler<StatusInputChangedEventArgs> handler in Delegate.EnumerateInvocationList(Changed))
            {
                try
                {
                    handler(_sender, change);
                }
                catch (Exception)
                {
                }
            }
        }
    }
}
