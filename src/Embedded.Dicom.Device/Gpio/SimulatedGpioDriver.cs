using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Device.Gpio;
using System.Threading;

namespace Embedded.Dicom.Device.Gpio;

/// <summary>
/// A GPIO chip without hardware, for the <c>sim</c> board and for tests. It is a real
/// <see cref="GpioDriver"/>: hand it to <c>new GpioController(driver)</c> and the library's own pin
/// bookkeeping, mode checks and callback plumbing run exactly as over libgpiod.
/// </summary>
/// <remarks>
/// <para>
/// Electrical model per line: an output drives its latch; an input reads the level driven from outside by
/// <see cref="SetInput"/>, or, while nothing drives it, its bias (pull-up high, pull-down low, none low).
/// Outputs loop back: reading or probing an output returns what was written.
/// </para>
/// <para>
/// Edge callbacks run on one driver-owned thread, in order, as libgpiod's event thread does, so code under
/// test meets the same threading as on a board. <see cref="WaitForCallbacks"/> lets a test wait until every
/// edge caused so far has been delivered.
/// </para>
/// </remarks>
public sealed class SimulatedGpioDriver : GpioDriver
{
    private readonly object _gate = new();
    private readonly Line[] _lines;
    private readonly BlockingCollection<Action> _callbacks = new();
    private readonly Thread _callbackThread;
    private bool _disposed;

    /// <summary>Creates a simulated chip.</summary>
    /// <param name="lineCount">The number of lines (54 like the BCM2711/RP1 main chip).</param>
    public SimulatedGpioDriver(int lineCount = 54)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lineCount);
        _lines = new Line[lineCount];
        for (int i = 0; i < lineCount; i++)
        {
            _lines[i] = new Line();
        }

        _callbackThread = new Thread(RunCallbacks) { IsBackground = true, Name = "sim-gpio-events" };
        _callbackThread.Start();
    }

    /// <inheritdoc/>
    protected override int PinCount => _lines.Length;

    /// <summary>Drives an input line from outside (the simulated field wiring).</summary>
    /// <param name="line">The line offset.</param>
    /// <param name="value">The level to drive.</param>
    /// <exception cref="InvalidOperationException">The line is configured as an output.</exception>
    public void SetInput(int line, PinValue value)
    {
        lock (_gate)
        {
            Line l = Get(line);
            if (l.Mode == PinMode.Output)
            {
                throw new InvalidOperationException($"line {line} is an output; it cannot be driven from outside");
            }

            l.Driven = value;
            Update(line);
        }
    }

    /// <summary>Stops driving an input line: it floats to its bias level.</summary>
    /// <param name="line">The line offset.</param>
    public void ReleaseInput(int line)
    {
        lock (_gate)
        {
            Get(line).Driven = null;
            Update(line);
        }
    }

    /// <summary>The level a probe on the line would measure, for inputs and outputs alike.</summary>
    /// <param name="line">The line offset.</param>
    public PinValue GetLevel(int line)
    {
        lock (_gate)
        {
            return Get(line).Level;
        }
    }

    /// <summary>Blocks until every edge callback caused so far has run.</summary>
    /// <param name="timeout">How long to wait at most.</param>
    /// <returns>False on timeout.</returns>
    /// <exception cref="InvalidOperationException">Called from a callback (it would wait for itself).</exception>
    public bool WaitForCallbacks(TimeSpan timeout)
    {
        if (Thread.CurrentThread == _callbackThread)
        {
            throw new InvalidOperationException("WaitForCallbacks cannot be called from an edge callback");
        }

        using var done = new ManualResetEventSlim();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _callbacks.Add(done.Set);
        }

        return done.Wait(timeout);
    }

    /// <inheritdoc/>
    public override GpioChipInfo GetChipInfo() => new(0, "gpiochip-sim", "edicom-sim", _lines.Length);

    /// <inheritdoc/>
    protected override void OpenPin(int pinNumber)
    {
        lock (_gate)
        {
            Get(pinNumber); // validates the number; GpioController keeps the open/closed bookkeeping
        }
    }

    /// <inheritdoc/>
    protected override void ClosePin(int pinNumber)
    {
        lock (_gate)
        {
            Line line = Get(pinNumber);
            line.Handlers.Clear();

            // A released line stops driving, like a libgpiod line request that is closed.
            line.Mode = PinMode.Input;
            Update(pinNumber);
        }
    }

    /// <inheritdoc/>
    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_gate)
        {
            Get(pinNumber).Mode = mode;
            Update(pinNumber);
        }
    }

    /// <inheritdoc/>
    protected override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue)
    {
        // Latch first, then switch to output: the line never shows the wrong level (libgpiod requests an
        // output line with its default value in one call for the same reason).
        lock (_gate)
        {
            Line line = Get(pinNumber);
            line.Latch = initialValue;
            line.Mode = mode;
            Update(pinNumber);
        }
    }

    /// <inheritdoc/>
    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_gate)
        {
            return Get(pinNumber).Mode;
        }
    }

    /// <inheritdoc/>
    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) =>
        mode is PinMode.Input or PinMode.InputPullUp or PinMode.InputPullDown or PinMode.Output;

    /// <inheritdoc/>
    protected override PinValue Read(int pinNumber) => GetLevel(pinNumber);

    /// <inheritdoc/>
    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_gate)
        {
            Line line = Get(pinNumber);
            if (line.Mode != PinMode.Output)
            {
                throw new InvalidOperationException($"line {pinNumber} is not an output");
            }

            line.Latch = value;
            Update(pinNumber);
        }
    }

    /// <inheritdoc/>
    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        PinEventTypes seen = PinEventTypes.None;
        using var hit = new ManualResetEventSlim();
        PinChangeEventHandler handler = (_, e) =>
        {
            seen = e.ChangeType;
            hit.Set();
        };

        AddCallbackForPinValueChangedEvent(pinNumber, eventTypes, handler);
        try
        {
            hit.Wait(cancellationToken);
            return new WaitForEventResult { EventTypes = seen, TimedOut = false };
        }
        catch (OperationCanceledException)
        {
            return new WaitForEventResult { EventTypes = PinEventTypes.None, TimedOut = true };
        }
        finally
        {
            RemoveCallbackForPinValueChangedEvent(pinNumber, handler);
        }
    }

    /// <inheritdoc/>
    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            Get(pinNumber).Handlers.Add((eventTypes, callback));
        }
    }

    /// <inheritdoc/>
    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            Get(pinNumber).Handlers.RemoveAll(h => h.Callback == callback);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                _callbacks.CompleteAdding();
            }

            if (Thread.CurrentThread != _callbackThread)
            {
                _callbackThread.Join(TimeSpan.FromSeconds(5));
            }
        }

        base.Dispose(disposing);
    }

    private Line Get(int line)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (uint)line < (uint)_lines.Length
            ? _lines[line]
            : throw new ArgumentOutOfRangeException(nameof(line), line, $"the simulated chip has lines 0..{_lines.Length - 1}");
    }

    // Caller holds _gate. Recomputes the level and queues the edge callbacks; queuing under the lock keeps
    // the callback order equal to the order of the level changes.
    private void Update(int lineNumber)
    {
        Line line = _lines[lineNumber];
        PinValue level = line.Mode switch
        {
            PinMode.Output => line.Latch,
            _ when line.Driven is PinValue driven => driven,
            PinMode.InputPullUp => PinValue.High,
            _ => PinValue.Low,
        };

        if (level == line.Level)
        {
            return;
        }

        line.Level = level;
        PinEventTypes edge = level == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
        var args = new PinValueChangedEventArgs(edge, lineNumber);
        foreach ((PinEventTypes types, PinChangeEventHandler callback) in line.Handlers)
        {
            if ((types & edge) != 0)
            {
                _callbacks.Add(() => callback(this, args));
            }
        }
    }

    private void RunCallbacks()
    {
        foreach (Action callback in _callbacks.GetConsumingEnumerable())
        {
            try
            {
                callback();
            }
            catch (Exception)
            {
                // libgpiod's event thread would die with the exception; a simulator that keeps going lets
                // the test that caused it report the failure instead of losing every later edge.
            }
        }
    }

    private sealed class Line
    {
        public PinMode Mode = PinMode.Input;
        public PinValue Latch = PinValue.Low;
        public PinValue? Driven;
        public PinValue Level = PinValue.Low;
        public readonly List<(PinEventTypes Types, PinChangeEventHandler Callback)> Handlers = [];
    }
}
