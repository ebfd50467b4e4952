using System;
using System.Device.Gpio;
using Embedded.Dicom.Device.Gpio;

namespace Embedded.Dicom.Device.Tests;

/// <summary>The register model the binding relies on, checked at the I2C byte level against the data sheet.</summary>
public sealed class SimulatedMcp23017Tests
{
    [Fact]
    public void Write_IncrementsTheAddressPointer_AndWithSeqopTogglesWithinThePair()
    {
        using var mcp = new SimulatedMcp23017();

        mcp.Write([0x00, 0x0F, 0xF0]); // IODIRA, IODIRB
        Assert.Equal((0x0F, 0xF0), (mcp.GetRegister(0x00), mcp.GetRegister(0x01)));

        mcp.Write([0x0A, 0x20]);             // IOCON.SEQOP
        mcp.Write([0x14, 0xAA, 0xBB, 0xCC]); // OLATA, OLATB, OLATA again
        Assert.Equal((0xCC, 0xBB), (mcp.GetRegister(0x14), mcp.GetRegister(0x15)));
        Assert.Equal(0x20, mcp.GetRegister(0x0B)); // IOCON answers at both addresses
    }

    [Fact]
    public void GpioRead_ReturnsBothPortsInOneTransaction_WithIpolOnInputsOnly()
    {
        using var mcp = new SimulatedMcp23017();
        mcp.Write([0x00, 0xFE, 0xFF]); // GPA0 output, the rest inputs
        mcp.Write([0x02, 0x03, 0x00]); // IPOLA inverts GPA0 and GPA1
        mcp.Write([0x14, 0x01]);       // OLATA: drive GPA0 high
        mcp.SetPin(9, true);

        Span<byte> ports = stackalloc byte[2];
        mcp.WriteRead([0x12], ports);

        Assert.Equal(0x03, ports[0]); // GPA0 output high (not inverted), GPA1 low inverted to high
        Assert.Equal(0x02, ports[1]); // GPB1
    }

    [Fact]
    public void InterruptOnChange_CapturesTheFirstChange_UntilGpioIsRead()
    {
        using var mcp = new SimulatedMcp23017();
        mcp.Write([0x04, 0x03]); // GPINTENA: GPA0, GPA1 (INTCON = 0: on change)

        mcp.SetPin(0, true);
        mcp.SetPin(1, true); // while pending: no new capture
        Assert.Equal((0x01, 0x01), (mcp.GetRegister(0x0E), mcp.GetRegister(0x10))); // INTFA, INTCAPA
        Assert.Equal(PinValue.Low, mcp.InterruptA); // push-pull, active-low

        Assert.Equal(0x03, ReadRegister(mcp, 0x12)); // GPIOA shows the present level and clears the interrupt
        Assert.Equal(0x00, mcp.GetRegister(0x0E));
        Assert.Equal(PinValue.High, mcp.InterruptA);
    }

    [Fact]
    public void InterruptAgainstDefval_StaysAssertedWhileThePinDiffers()
    {
        using var mcp = new SimulatedMcp23017();
        mcp.Write([0x06, 0x01]); // DEFVALA: GPA0 expected high
        mcp.Write([0x08, 0x01]); // INTCONA: compare GPA0 with DEFVAL
        mcp.Write([0x04, 0x01]); // GPINTENA: GPA0 (low now: differs)

        Assert.Equal(PinValue.Low, mcp.InterruptA);
        ReadRegister(mcp, 0x10); // INTCAPA read clears, but the condition persists
        Assert.Equal(PinValue.Low, mcp.InterruptA);

        mcp.SetPin(0, true);
        ReadRegister(mcp, 0x12);
        Assert.Equal(PinValue.High, mcp.InterruptA);
    }

    [Fact]
    public void PortBInterrupt_ReachesIntaOnlyWithMirror_AndOpenDrainReleasesHigh()
    {
        using var mcp = new SimulatedMcp23017();
        mcp.Write([0x05, 0x01]); // GPINTENB: GPB0
        mcp.SetPin(8, true);
        Assert.Equal((PinValue.High, PinValue.Low), (mcp.InterruptA, mcp.InterruptB));

        mcp.Write([0x0A, 0x46]); // MIRROR | ODR | INTPOL (INTPOL is ignored with ODR)
        Assert.Equal((PinValue.Low, PinValue.Low), (mcp.InterruptA, mcp.InterruptB));

        ReadRegister(mcp, 0x13);
        Assert.Equal((PinValue.High, PinValue.High), (mcp.InterruptA, mcp.InterruptB));
    }

    [Fact]
    public void DrivingAnOutputPin_Throws()
    {
        using var mcp = new SimulatedMcp23017();
        mcp.Write([0x00, 0xFE]);

        Assert.Throws<InvalidOperationException>(() => mcp.SetPin(0, true));
    }

    private static byte ReadRegister(SimulatedMcp23017 mcp, byte address)
    {
        mcp.WriteByte(address);
        return mcp.ReadByte();
    }
}
