using System;

namespace Embedded.Dicom.Device;

/// <summary>The optional <c>mcp23017</c> section of a board profile: one MCP23017 I2C GPIO expander.</summary>
public sealed class Mcp23017Settings
{
    internal Mcp23017Settings(int bus, int address, int? interruptLine, TimeSpan pollInterval)
    {
        Bus = bus;
        Address = address;
        InterruptLine = interruptLine;
        PollInterval = pollInterval;
    }

    /// <summary>The I2C bus number (<c>/dev/i2c-N</c>).</summary>
    public int Bus { get; }

    /// <summary>The 7-bit I2C address, 0x20..0x27 (A2..A0 straps).</summary>
    public int Address { get; }

    /// <summary>
    /// The host GPIO line wired to the expander's INTA (INTB mirrored onto it, open drain), or null when no
    /// interrupt wire is fitted and the expander is polled.
    /// </summary>
    public int? InterruptLine { get; }

    /// <summary>
    /// The polling period without an interrupt line; with one, the retry period after a failed read (a failed
    /// read leaves the interrupt asserted, so no further edge would arrive).
    /// </summary>
    public TimeSpan PollInterval { get; }
}
