using System;
using System.Device.Gpio;
using System.Device.I2c;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using Embedded.Dicom.Device.Gpio;

namespace Embedded.Dicom.Device;

/// <summary>
/// The opened hardware of a board profile: its status inputs and outputs. The one entry point the agent needs:
/// <c>using var board = DeviceBoard.Open(BoardProfile.Load(path));</c>.
/// </summary>
/// <remarks>
/// For the <c>sim</c> driver the board is built from <see cref="SimulatedGpioDriver"/> and, when configured,
/// <see cref="SimulatedMcp23017"/> (its INTA wired to <c>mcp23017.interruptLine</c>); the real GpioController,
/// Mcp23017 binding and debouncer run on top, so <see cref="TrySimulateInput"/> exercises the same path as a
/// signal on a real board.
/// </remarks>
public sealed class DeviceBoard : IDisposable
{
    private readonly GpioStatusInputs _inputs;
    private readonly SimulatedGpioDriver? _simulatedGpio;
    private readonly SimulatedMcp23017? _simulatedExpander;

    internal DeviceBoard(BoardProfile profile, GpioStatusInputs inputs, SimulatedGpioDriver? simulatedGpio, SimulatedMcp23017? simulatedExpander)
    {
        Profile = profile;
        _inputs = inputs;
        _simulatedGpio = simulatedGpio;
        _simulatedExpander = simulatedExpander;
    }

    /// <summary>The profile the board was opened from.</summary>
    public BoardProfile Profile { get; }

    /// <summary>The debounced status inputs.</summary>
    public IStatusInputs Inputs => _inputs;

    /// <summary>The status outputs (empty when the profile has none).</summary>
    public IStatusOutputs Outputs => _inputs.Outputs;

    /// <summary>True when the board is simulated and <see cref="TrySimulateInput"/> works.</summary>
    public bool IsSimulated => _simulatedGpio is not null;

    /// <summary>Opens the hardware (or the simulation) a board profile describes.</summary>
    /// <param name="profile">A loaded profile.</param>
    /// <param name="timeProvider">The clock for debouncing; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="BoardOpenException">The GPIO driver, chip, a line, the I2C bus or the expander could not be opened.</exception>
    public static DeviceBoard Open(BoardProfile profile, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.IsSimulated)
        {
            var gpio = new SimulatedGpioDriver();
            SimulatedMcp23017? expander = null;
            if (profile.Mcp23017 is Mcp23017Settings settings)
            {
                expander = new SimulatedMcp23017(settings.Bus, settings.Address);
                if (settings.InterruptLine is int line)
                {
                    expander.ConnectInterrupt(gpio, line);
                }
            }

            return new DeviceBoard(profile, new GpioStatusInputs(profile, gpio, expander, timeProvider), gpio, expander);
        }

        GpioDriver driver = GpioDriverFactory.Create(profile);
        I2cDevice? i2c = null;
        if (profile.Mcp23017 is Mcp23017Settings hardware)
        {
            try
            {
                i2c = I2cDevice.Create(new I2cConnectionSettings(hardware.Bus, hardware.Address));
            }
            catch (Exception ex)
            {
                driver.Dispose();
                throw new BoardOpenException(
                    $"board '{profile.Name}': mcp23017: cannot open I2C bus {hardware.Bus} (/dev/i2c-{hardware.Bus}; enable I2C, user in group i2c): {ex.Message}", ex);
            }
        }

        return new DeviceBoard(profile, new GpioStatusInputs(profile, driver, i2c, timeProvider), null, null);
    }

    /// <summary>
    /// On a simulated board, drives the line of an input to the level that means <paramref name="active"/>
    /// (active-low honoured). The change then travels through the GPIO controller or the expander binding and
    /// the debouncer, and <see cref="IStatusInputs.Changed"/> follows after the input's debounce time.
    /// </summary>
    /// <param name="name">An input name.</param>
    /// <param name="active">The logical state to simulate.</param>
    /// <param name="error">Why nothing was driven: the board is not simulated or has no such input.</param>
    /// <returns>True when the line was driven.</returns>
    /// <exception cref="ObjectDisposedException">The board has been disposed.</exception>
    public bool TrySimulateInput(string name, bool active, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_simulatedGpio is null)
        {
            error = $"board '{Profile.Name}' is not simulated (gpio.driver is not 'sim')";
            return false;
        }

        InputDefinition? input = Profile.Inputs.FirstOrDefault(i => i.Name == name);
        if (input is null)
        {
            error = $"board '{Profile.Name}' has no input '{name}' ({string.Join(", ", Profile.Inputs.Select(i => i.Name))})";
            return false;
        }

        bool high = active != input.ActiveLow;
        if (input.Source == InputSource.Gpio)
        {
            _simulatedGpio.SetInput(input.Line, high ? PinValue.High : PinValue.Low);
        }
        else
        {
            _simulatedExpander!.SetPin(input.Line, high);
        }

        error = null;
        return true;
    }

    /// <summary>Releases the inputs, the outputs and everything opened for them.</summary>
    public void Dispose() => _inputs.Dispose();
}
