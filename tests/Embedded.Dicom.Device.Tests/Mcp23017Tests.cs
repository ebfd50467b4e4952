using System;
using System.Device.Gpio;
using Embedded.Dicom.Device.Gpio;

namespace Embedded.Dicom.Device.Tests;

/// <summary>
/// Inputs on an MCP23017: the real Iot.Device.Bindings Mcp23017 binding talking I2C to
/// <see cref="SimulatedMcp23017"/>, with the interrupt wired to a <see cref="SimulatedGpioDriver"/> line or polled.
/// </summary>
public sealed class Mcp23017Tests
{
    private const string Inputs =
        "[ { 'name': 'service-mode', 'source': 'mcp23017', 'pin': 0, 'activeLow': true, 'bias': 'pull-up' }," +
        "  { 'name': 'door-open', 'source': 'mcp23017', 'pin': 9 }," +
        "  { 'name': 'exposure-active', 'line': 17, 'bias': 'pull-down' } ]";

    // Register addresses, IOCON.BANK = 0.
    private const int IodirA = 0x00, IodirB = 0x01, GpintenA = 0x04, GpintenB = 0x05, IntconA = 0x08, Iocon = 0x0A, GppuA = 0x0C, GppuB = 0x0D;

    [Fact]
    public void InterruptLine_ConfiguresMirroredOpenDrainInterrupts_AndReadsOnTheEdge()
    {
        var gpio = new SimulatedGpioDriver();
        var mcp = new SimulatedMcp23017();
        mcp.ConnectInterrupt(gpio, 4);
        using var inputs = new GpioStatusInputs(TestProfiles.Sim(Inputs, mcp23017: "{ 'bus': 1, 'address': '0x20', 'interruptLine': 4 }"), gpio, mcp);
        var changes = new ChangeRecorder(inputs);

        Assert.Equal(0x44, mcp.GetRegister(Iocon));            // MIRROR | ODR
        Assert.Equal(0x00, mcp.GetRegister(IntconA));          // interrupt on every change
        Assert.Equal((0x01, 0x02), (mcp.GetRegister(GpintenA), mcp.GetRegister(GpintenB)));
        Assert.Equal((0x01, 0x00), (mcp.GetRegister(GppuA), mcp.GetRegister(GppuB)));
        Assert.Equal((0xFF, 0xFF), (mcp.GetRegister(IodirA), mcp.GetRegister(IodirB)));
        Assert.False(inputs.IsActive("service-mode")); // pulled up, active-low
        Assert.False(inputs.IsActive("door-open"));    // floating low

        mcp.SetPin(0, false);
        Assert.Equal(("service-mode", true), Describe(changes.Next()));
        Assert.Equal(PinValue.High, gpio.GetLevel(4)); // the read on the edge cleared the interrupt

        mcp.SetPin(9, true); // port B arrives on INTA through MIRROR
        Assert.Equal(("door-open", true), Describe(changes.Next()));
        Assert.Equal(PinValue.High, gpio.GetLevel(4));

        gpio.SetInput(17, PinValue.High); // host lines still work alongside
        Assert.Equal(("exposure-active", true), Describe(changes.Next()));
    }

    [Fact]
    public void NoInterruptLine_PollsTheExpander()
    {
        var gpio = new SimulatedGpioDriver();
        var mcp = new SimulatedMcp23017();
        using var inputs = new GpioStatusInputs(TestProfiles.Sim(Inputs, mcp23017: "{ 'bus': 1, 'address': 32, 'pollIntervalMs': 2 }"), gpio, mcp);
        var changes = new ChangeRecorder(inputs);

        Assert.Equal((0x00, 0x00), (mcp.GetRegister(GpintenA), mcp.GetRegister(GpintenB))); // nothing to interrupt

        mcp.SetPin(9, true);
        Assert.Equal(("door-open", true), Describe(changes.Next()));
        mcp.SetPin(0, false);
        Assert.Equal(("service-mode", true), Describe(changes.Next()));
        mcp.ReleasePin(0); // back to the pull-up
        Assert.Equal(("service-mode", false), Describe(changes.Next()));
    }

    [Fact]
    public void Dispose_DisposesTheI2cDevice()
    {
        var mcp = new SimulatedMcp23017();
        var inputs = new GpioStatusInputs(TestProfiles.Sim(Inputs, mcp23017: "{ 'bus': 1, 'address': '0x20' }"), new SimulatedGpioDriver(), mcp);

        inputs.Dispose();

        Assert.Throws<ObjectDisposedException>(() => mcp.SetPin(0, true)); // the binding itself would leave it open
    }

    [Fact]
    public void ExpanderThatDoesNotAnswer_FailsToOpenWithTheAddress()
    {
        var ex = Assert.Throws<BoardOpenException>(() =>
            new GpioStatusInputs(TestProfiles.Sim(Inputs, mcp23017: "{ 'bus': 3, 'address': '0x21' }"), new SimulatedGpioDriver(), new FailingI2cDevice()));

        Assert.StartsWith("board 'test': mcp23017 at 0x21 on I2C bus 3: ", ex.Message, StringComparison.Ordinal);
    }

    private static (string, bool) Describe(StatusInputChangedEventArgs change) => (change.Name, change.IsActive);

    private sealed class FailingI2cDevice : System.Device.I2c.I2cDevice
    {
        public override System.Device.I2c.I2cConnectionSettings ConnectionSettings => new(3, 0x21);

        public override byte ReadByte() => throw Nack();

        public override void Read(Span<byte> buffer) => throw Nack();

        public override void WriteByte(byte value) => throw Nack();

        public override void Write(ReadOnlySpan<byte> buffer) => throw Nack();

        public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer) => throw Nack();

        private static System.IO.IOException Nack() => new("Error 121 performing I2C data transfer.");
    }
}
