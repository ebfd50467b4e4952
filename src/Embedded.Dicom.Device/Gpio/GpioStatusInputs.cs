using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Device.Gpio;
using System.Device.I2c;
using System.Linq;

namespace Embedded.Dicom.Device.Gpio;

/// <summary>
/// <see cref="IStatusInputs"/> over a <see cref="GpioController"/> built on an explicitly chosen driver, plus
/// the optional MCP23017 expander; also owns the board's <see cref="Outputs"/>, which share the controller.
/// </summary>
/// <remarks>
/// GPIO inputs are watched with edge callbacks on both edges (no polling); the callback only records the level
/// its edge implies and returns, the debouncing and the <see cref="Changed"/> notifications happen elsewhere.
/// Lifetime follows the dotnet/iot rules: this object owns the controller, the driver, the expander and its
/// I2C device, and disposes them all.
/// </remarks>
public sealed class GpioStatusInputs : IStatusInputs
{
    private readonly StatusInputEngine _engine;
    private readonly FrozenDictionary<string, int> _indexByName;
    private readonly GpioController _controller;
    private readonly Mcp23017Source? _expander;
    private readonly GpioStatusOutputs? _outputs;
    private bool _disposed;

    /// <summary>Opens every input and output line of a board profile.</summary>
    /// <param name="profile">The board profile.</param>
    /// <param name="driver">The GPIO driver for the profile's chip. Ownership passes to this object, also when the constructor throws.</param>
    /// <param name="mcp23017Device">The I2C device of the expander, required exactly when the profile has an <c>mcp23017</c> section. Ownership passes as for <paramref name="driver"/>.</param>
    /// <param name="timeProvider">The clock for debouncing; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="BoardOpenException">A line or the expander could not be opened.</exception>
    public GpioStatusInputs(BoardProfile profile, GpioDriver driver, I2cDevice? mcp23017Device = null, TimeProvider? timeProvider = null)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(profile);
            ArgumentNullException.ThrowIfNull(driver);
            if ((profile.Mcp23017 is null) != (mcp23017Device is null))
            {
                throw new ArgumentException($"board '{profile.Name}': pass an I2C device exactly when the profile has an mcp23017 section", nameof(mcp23017Device));
            }
        }
        catch
        {
            driver?.Dispose();
            mcp23017Device?.Dispose();
            throw;
        }

        Names = [.. profile.Inputs.Select(i => i.Name)];
        _indexByName = Names.Select((n, i) => (n, i)).ToFrozenDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        _engine = new StatusInputEngine(this, Names, [.. profile.Inputs.Select(i => i.Debounce)], timeProvider ?? TimeProvider.System);
        _controller = new GpioController(driver);
        try
        {
            for (int i = 0; i < profile.Inputs.Count; i++)
            {
                if (profile.Inputs[i].Source == InputSource.Gpio)
                {
                    OpenInput(profile, i);
                }
            }

            if (profile.Mcp23017 is Mcp23017Settings settings)
            {
                I2cDevice device = mcp23017Device!;
                mcp23017Device = null; // owned by the source from here on, also if it throws
                _expander = OpenExpander(profile, settings, device);
            }

            _outputs = new GpioStatusOutputs(_controller, profile);
        }
        catch
        {
            mcp23017Device?.Dispose();
            Dispose();
            throw;
        }

        Outputs = _outputs;
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The board's status outputs, on the same controller; disposed with this object.</summary>
    public IStatusOutputs Outputs { get; }

    /// <inheritdoc/>
    public event EventHandler<StatusInputChangedEventArgs>? Changed
    {
        add => _engine.Changed += value;
        remove => _engine.Changed -= value;
    }

    /// <inheritdoc/>
    public bool IsActive(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _indexByName.TryGetValue(name, out int index)
            ? _engine.IsActive(index)
            : throw new KeyNotFoundException($"no status input '{name}' (configured: {string.Join(", ", Names)})");
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, bool> Snapshot() => _engine.Snapshot();

    /// <summary>Stops notifications, switches the outputs off and releases every line, the expander and the driver.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // Notifications first, so no handler runs against released hardware.
        _engine.Dispose();
        _expander?.Dispose();
        _outputs?.Dispose();
        _controller.Dispose(); // closes the input lines (and their callbacks), then disposes the driver
    }

    private void OpenInput(BoardProfile profile, int index)
    {
        InputDefinition input = profile.Inputs[index];
        PinMode mode = input.Bias switch
        {
            InputBias.PullUp => PinMode.InputPullUp,
            InputBias.PullDown => PinMode.InputPullDown,
            _ => PinMode.Input,
        };

        try
        {
            _controller.OpenPin(input.Line, mode);

            // Callback before the first read: an edge in between is then either in the read or reported after it.
            _controller.RegisterCallbackForPinValueChangedEvent(
                input.Line,
                PinEventTypes.Rising | PinEventTypes.Falling,
                (_, e) => OnEdge(index, input.ActiveLow, e.ChangeType));
            _engine.Initialize(index, (_controller.Read(input.Line) == PinValue.High) != input.ActiveLow);
        }
        catch (Exception ex)
        {
            throw new BoardOpenException($"board '{profile.Name}': input '{input.Name}': cannot open line {input.Line} as {mode}: {ex.Message}", ex);
        }
    }

    private Mcp23017Source OpenExpander(BoardProfile profile, Mcp23017Settings settings, I2cDevice device)
    {
        var inputs = profile.Inputs
            .Select((input, index) => (index, input))
            .Where(p => p.input.Source == InputSource.Mcp23017)
            .ToArray();
        try
        {
            return new Mcp23017Source(settings, device, _controller, _engine, inputs);
        }
        catch (Exception ex)
        {
            throw new BoardOpenException(
                $"board '{profile.Name}': mcp23017 at 0x{settings.Address:x2} on I2C bus {settings.Bus}: {ex.Message} (check wiring, address straps A2..A0 and the interrupt line)", ex);
        }
    }

    // Runs on the driver's event thread. The edge type carries the level, so no read (and no syscall) here;
    // nothing may escape: an exception would end libgpiod's event thread and every later edge with it.
    private void OnEdge(int index, bool activeLow, PinEventTypes edge)
    {
        try
        {
            _engine.Report(index, (edge == PinEventTypes.Rising) != activeLow);
        }
        catch (Exception)
        {
            // Report does not throw in practice; the catch is the guarantee the driver thread relies on.
        }
    }
}
