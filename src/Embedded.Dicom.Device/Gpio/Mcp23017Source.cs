using System;
using System.Collections.Generic;
using System.Device.Gpio;
using System.Device.I2c;
using System.Threading;
using Iot.Device.Mcp23xxx;

namespace Embedded.Dicom.Device.Gpio;

/// <summary>
/// Status inputs on an MCP23017 expander, through the Iot.Device.Bindings <see cref="Mcp23017"/> binding. Reads
/// both ports in one transaction when the expander's interrupt line falls, or, without an interrupt wire, every
/// poll interval; the levels go to the shared <see cref="StatusInputEngine"/> for debouncing.
/// </summary>
/// <remarks>
/// The interrupt is handled here instead of by the binding (its constructor's interruptA/interruptB pins):
/// the binding's callback support needs one host line per port and a controller it may open lines on, and its
/// <c>EnableInterruptOnChange</c> read-modify-writes IOCON clearing ODR and INTPOL, which would undo the
/// open-drain, mirrored configuration that lets one wire (INTA) carry both ports. So the binding configures
/// pins and reads ports, and the interrupt registers are written directly.
/// </remarks>
internal sealed class Mcp23017Source : IDisposable
{
    private const byte IoconMirror = 0x40; // INTA and INTB both report either port: one wire suffices
    private const byte IoconOdr = 0x04;    // open drain: needs the host line's pull-up, and may be wire-ORed

    private readonly StatusInputEngine _engine;
    private readonly I2cDevice _device;
    private readonly GpioController _host;
    private readonly (int Index, int Pin, bool ActiveLow)[] _inputs;
    private readonly int? _interruptLine;
    private readonly TimeSpan _pollInterval;
    private readonly AutoResetEvent _wake = new(false);
    private readonly GpioController? _pins;
    private readonly Mcp23017? _mcp;
    private readonly PinChangeEventHandler? _onInterrupt;
    private readonly Thread? _thread;
    private volatile bool _stopping;

    /// <summary>Configures the expander and starts reading. Takes ownership of <paramref name="device"/>, also when it throws.</summary>
    public Mcp23017Source(
        Mcp23017Settings settings,
        I2cDevice device,
        GpioController host,
        StatusInputEngine engine,
        IReadOnlyList<(int Index, InputDefinition Input)> inputs)
    {
        _engine = engine;
        _device = device;
        _host = host;
        _interruptLine = settings.InterruptLine;
        _pollInterval = settings.PollInterval;
        _inputs = new (int, int, bool)[inputs.Count];
        try
        {
            // No reset pin, no interrupt pins and no controller: the binding must not open host lines itself.
            _mcp = new Mcp23017(device, -1, -1, -1, null, false);
            _pins = new GpioController(_mcp);
            ushort mask = 0;
            for (int i = 0; i < inputs.Count; i++)
            {
                (int index, InputDefinition input) = inputs[i];
                _pins.OpenPin(input.Line, input.Bias == InputBias.PullUp ? PinMode.InputPullUp : PinMode.Input);
                _inputs[i] = (index, input.Line, input.ActiveLow);
                mask |= (ushort)(1 << input.Line);
            }

            if (_interruptLine is int line)
            {
                _mcp.WriteByte(Register.IOCON, IoconMirror | IoconOdr);
                _mcp.WriteUInt16(Register.INTCON, 0); // compare with the previous value: every change interrupts
                _mcp.WriteUInt16(Register.GPINTEN, mask);
                _host.OpenPin(line, PinMode.InputPullUp);
                _onInterrupt = OnInterrupt;
                _host.RegisterCallbackForPinValueChangedEvent(line, PinEventTypes.Falling, _onInterrupt);
            }
            else
            {
                // No interrupt wire (or no free host line): polling is the only way to see changes. Interrupts
                // a previous configuration left enabled are switched off so INTA stays quiet.
                _mcp.WriteUInt16(Register.GPINTEN, 0);
            }

            // Initial levels. Read after the callback is registered: the read clears a pending interrupt, and
            // any later change raises a new edge, so nothing falls between the two.
            ushort levels = _mcp.ReadUInt16(Register.GPIO);
            foreach ((int index, int pin, bool activeLow) in _inputs)
            {
                _engine.Initialize(index, IsActive(levels, pin, activeLow));
            }

            _thread = new Thread(Run) { IsBackground = true, Name = "edicom-mcp23017" };
            _thread.Start();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _wake.Set();
        if (_thread is not null && Thread.CurrentThread != _thread)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }

        if (_onInterrupt is not null && _interruptLine is int line)
        {
            try
            {
                _host.UnregisterCallbackForPinValueChangedEvent(line, _onInterrupt);
                _host.ClosePin(line);
            }
            catch (Exception)
            {
                // Best effort: the host controller releases the line when it is disposed.
            }
        }

        _pins?.Dispose(); // disposes the binding, which does not dispose its I2cDevice (verified in 4.2.0)
        _device.Dispose();
        _wake.Dispose();
    }

    private static bool IsActive(ushort levels, int pin, bool activeLow) => (((levels >> pin) & 1) != 0) != activeLow;

    // Runs on the GPIO driver's event thread: no I2C here, only a hand-off.
    private void OnInterrupt(object sender, PinValueChangedEventArgs e)
    {
        try
        {
            _wake.Set();
        }
        catch (ObjectDisposedException)
        {
            // An edge racing with Dispose.
        }
    }

    private void Run()
    {
        bool failed = false;
        while (true)
        {
            // A failed read leaves the interrupt asserted and no new edge would come: retry on the poll interval.
            _wake.WaitOne(_interruptLine is null || failed ? _pollInterval : Timeout.InfiniteTimeSpan);
            if (_stopping)
            {
                return;
            }

            try
            {
                // One transaction for both ports (GPIOA, GPIOB by address increment) keeps them consistent and
                // clears the interrupt of both.
                ushort levels = _mcp!.ReadUInt16(Register.GPIO);
                foreach ((int index, int pin, bool activeLow) in _inputs)
                {
                    _engine.Report(index, IsActive(levels, pin, activeLow));
                }

                failed = false;
            }
            catch (Exception)
            {
                // An I2C error (loose wire, bus glitch) must not end the thread or the process: keep the last
                // levels and retry.
                failed = true;
            }
        }
    }
}
