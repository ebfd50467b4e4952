using System;
using System.Device.Gpio;
using System.Device.I2c;
using System.IO;

namespace Embedded.Dicom.Device.Gpio;

/// <summary>
/// An MCP23017 16-bit I/O expander on a simulated I2C bus, for the <c>sim</c> board and for tests. The real
/// <c>Iot.Device.Mcp23xxx.Mcp23017</c> binding runs against it unchanged.
/// </summary>
/// <remarks>
/// <para>
/// Modelled after the data sheet, IOCON.BANK = 0 (the power-on addressing the binding assumes): the 22 registers
/// IODIR, IPOL, GPINTEN, DEFVAL, INTCON, IOCON, GPPU, INTF, INTCAP, GPIO and OLAT, port A at even and port B at
/// odd addresses 0x00..0x15. A write transaction sets the address pointer with its first byte and writes the
/// following bytes; a read transaction reads from the pointer. The pointer increments after each byte
/// (IOCON.SEQOP = 0, wrapping after 0x15) or toggles between the A/B pair (SEQOP = 1). The binding reads a
/// register as two transactions (pointer write, then read) and writes 16-bit values as A then B with the
/// increment.
/// </para>
/// <para>
/// Pins: an output shows OLAT; an input shows the level driven by <see cref="SetPin"/>, or while undriven its
/// pull-up (GPPU) or low. Interrupt-on-change per port: an enabled input (GPINTEN) that changes (INTCON = 0) or
/// differs from DEFVAL (INTCON = 1) sets INTF and captures the port in INTCAP, unless an interrupt is already
/// pending; reading GPIO or INTCAP of the port clears it. INTA/INTB follow IOCON.MIRROR, ODR and INTPOL; an
/// open-drain output reads high when released (the host's pull-up). <see cref="ConnectInterrupt"/> wires INTA
/// to a line of a <see cref="SimulatedGpioDriver"/>.
/// </para>
/// </remarks>
public sealed class SimulatedMcp23017 : I2cDevice
{
    private const int RegisterCount = 0x16;
    private const int Iodir = 0x00;
    private const int Ipol = 0x02;
    private const int Gpinten = 0x04;
    private const int Defval = 0x06;
    private const int Intcon = 0x08;
    private const int Iocon = 0x0A;
    private const int Gppu = 0x0C;
    private const int Intf = 0x0E;
    private const int Intcap = 0x10;
    private const int GpioRegister = 0x12;
    private const int Olat = 0x14;

    private const byte IoconBank = 0x80;
    private const byte IoconMirror = 0x40;
    private const byte IoconSeqop = 0x20;
    private const byte IoconOdr = 0x04;
    private const byte IoconIntpol = 0x02;

    private readonly object _gate = new();
    private readonly I2cConnectionSettings _settings;
    private readonly byte[] _registers = new byte[RegisterCount];
    private int _pointer;
    private ushort _driven;
    private ushort _drivenLevels;
    private ushort _lastLevels;
    private SimulatedGpioDriver? _interruptDriver;
    private int _interruptLine;
    private bool _disposed;

    /// <summary>Creates an expander in its power-on state (all pins inputs, no pull-ups, no interrupts).</summary>
    /// <param name="busId">The bus number reported in <see cref="ConnectionSettings"/>.</param>
    /// <param name="deviceAddress">The address reported in <see cref="ConnectionSettings"/>.</param>
    public SimulatedMcp23017(int busId = 1, int deviceAddress = 0x20)
    {
        _settings = new I2cConnectionSettings(busId, deviceAddress);
        _registers[Iodir] = 0xFF;
        _registers[Iodir + 1] = 0xFF;
    }

    /// <inheritdoc/>
    public override I2cConnectionSettings ConnectionSettings => new(_settings.BusId, _settings.DeviceAddress);

    /// <summary>The level of the INTA pin (with IOCON.MIRROR it reports both ports).</summary>
    public PinValue InterruptA
    {
        get
        {
            lock (_gate)
            {
                return InterruptLevel(0);
            }
        }
    }

    /// <summary>The level of the INTB pin.</summary>
    public PinValue InterruptB
    {
        get
        {
            lock (_gate)
            {
                return InterruptLevel(1);
            }
        }
    }

    /// <summary>Drives an input pin from outside (the simulated field wiring).</summary>
    /// <param name="pin">0..7 = GPA0..GPA7, 8..15 = GPB0..GPB7.</param>
    /// <param name="high">The level to drive.</param>
    /// <exception cref="InvalidOperationException">The pin is configured as an output (IODIR bit clear).</exception>
    public void SetPin(int pin, bool high)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pin);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pin, 15);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if ((Word(Iodir) & (1 << pin)) == 0)
            {
                throw new InvalidOperationException($"pin {pin} is an output; it cannot be driven from outside");
            }

            ushort bit = (ushort)(1 << pin);
            _driven |= bit;
            _drivenLevels = high ? (ushort)(_drivenLevels | bit) : (ushort)(_drivenLevels & ~bit);
            Evaluate();
        }
    }

    /// <summary>Stops driving an input pin: it floats to its pull-up (GPPU) or low.</summary>
    /// <param name="pin">0..15.</param>
    public void ReleasePin(int pin)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pin);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pin, 15);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _driven = (ushort)(_driven & ~(1 << pin));
            Evaluate();
        }
    }

    /// <summary>
    /// Wires INTA to an input line of a simulated GPIO chip, as the <c>mcp23017.interruptLine</c> of a board
    /// profile describes; the line follows INTA from now on.
    /// </summary>
    /// <param name="driver">The host chip.</param>
    /// <param name="line">The host line.</param>
    public void ConnectInterrupt(SimulatedGpioDriver driver, int line)
    {
        ArgumentNullException.ThrowIfNull(driver);
        lock (_gate)
        {
            _interruptDriver = driver;
            _interruptLine = line;
            driver.SetInput(line, InterruptLevel(0));
        }
    }

    /// <summary>Returns a register as the bus would read it (BANK = 0 address), without the side effect of clearing an interrupt.</summary>
    /// <param name="address">0x00..0x15.</param>
    public byte GetRegister(int address)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(address);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(address, RegisterCount);
        lock (_gate)
        {
            return Peek(address);
        }
    }

    /// <inheritdoc/>
    public override byte ReadByte()
    {
        Span<byte> value = stackalloc byte[1];
        Read(value);
        return value[0];
    }

    /// <inheritdoc/>
    public override void Read(Span<byte> buffer)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = ReadRegister(_pointer);
                Advance();
            }
        }
    }

    /// <inheritdoc/>
    public override void WriteByte(byte value) => Write([value]);

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (buffer.IsEmpty)
            {
                return;
            }

            if (buffer[0] >= RegisterCount)
            {
                // The real part would NACK; an I2C driver reports that as an I/O error.
                throw new IOException($"MCP23017 has no register 0x{buffer[0]:x2}");
            }

            _pointer = buffer[0];
            for (int i = 1; i < buffer.Length; i++)
            {
                WriteRegister(_pointer, buffer[i]);
                Advance();
            }
        }
    }

    /// <inheritdoc/>
    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        lock (_gate)
        {
            Write(writeBuffer);
            Read(readBuffer);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        lock (_gate)
        {
            _disposed = true;
        }

        base.Dispose(disposing);
    }

    private ushort Word(int baseAddress) => (ushort)(_registers[baseAddress] | (_registers[baseAddress + 1] << 8));

    private ushort PinLevels()
    {
        ushort outputs = (ushort)~Word(Iodir);
        ushort inputs = (ushort)((_drivenLevels & _driven) | (Word(Gppu) & ~_driven));
        return (ushort)((Word(Olat) & outputs) | (inputs & ~outputs));
    }

    // GPIO as read: IPOL inverts input bits only.
    private byte PortValue(int port)
    {
        byte levels = (byte)(PinLevels() >> (8 * port));
        return (byte)(levels ^ (_registers[Ipol + port] & _registers[Iodir + port]));
    }

    private byte Peek(int address) => address switch
    {
        GpioRegister or GpioRegister + 1 => PortValue(address - GpioRegister),
        Iocon + 1 => _registers[Iocon],
        _ => _registers[address],
    };

    private byte ReadRegister(int address)
    {
        byte value = Peek(address);
        if (address is GpioRegister or GpioRegister + 1 or Intcap or Intcap + 1)
        {
            _registers[Intf + (address & 1)] = 0;
            Evaluate();
        }

        return value;
    }

    private void WriteRegister(int address, byte value)
    {
        switch (address)
        {
            case Iocon or Iocon + 1:
                if ((value & IoconBank) != 0)
                {
                    throw new NotSupportedException("SimulatedMcp23017 models IOCON.BANK = 0 addressing only");
                }

                _registers[Iocon] = (byte)(value & 0xFE); // bit 0 is unimplemented and reads 0
                break;
            case Intf or Intf + 1 or Intcap or Intcap + 1:
                break; // read-only
            case GpioRegister or GpioRegister + 1:
                _registers[Olat + (address & 1)] = value; // a GPIO write goes to the output latch
                break;
            default:
                _registers[address] = value;
                break;
        }

        Evaluate();
    }

    private void Advance() =>
        _pointer = (_registers[Iocon] & IoconSeqop) != 0 ? _pointer ^ 1 : (_pointer + 1) % RegisterCount;

    // Applies interrupt-on-change after any change of pins or configuration, then updates the INTA wire.
    private void Evaluate()
    {
        ushort levels = PinLevels();
        ushort changed = (ushort)(levels ^ _lastLevels);
        _lastLevels = levels;
        for (int port = 0; port < 2; port++)
        {
            int shift = 8 * port;
            int enabled = _registers[Gpinten + port] & _registers[Iodir + port];
            int onChange = ~_registers[Intcon + port] & (changed >> shift);
            int onCompare = _registers[Intcon + port] & ((levels >> shift) ^ _registers[Defval + port]);
            int triggered = enabled & (onChange | onCompare) & 0xFF;
            if (triggered != 0 && _registers[Intf + port] == 0)
            {
                _registers[Intf + port] = (byte)triggered;
                _registers[Intcap + port] = PortValue(port);
            }
        }

        try
        {
            _interruptDriver?.SetInput(_interruptLine, InterruptLevel(0));
        }
        catch (ObjectDisposedException)
        {
            _interruptDriver = null; // the host chip is gone: the wire is cut
        }
    }

    private PinValue InterruptLevel(int port)
    {
        byte iocon = _registers[Iocon];
        bool asserted = _registers[Intf + port] != 0 || ((iocon & IoconMirror) != 0 && _registers[Intf + (1 - port)] != 0);
        if ((iocon & IoconOdr) != 0)
        {
            return asserted ? PinValue.Low : PinValue.High;
        }

        return asserted == ((iocon & IoconIntpol) != 0) ? PinValue.High : PinValue.Low;
    }
}
