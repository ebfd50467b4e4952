using System;

namespace Embedded.Dicom.Device;

/// <summary>Where a status input is read from.</summary>
public enum InputSource
{
    /// <summary>A line of the board's GPIO chip.</summary>
    Gpio,

    /// <summary>A pin of the board's MCP23017 expander.</summary>
    Mcp23017,
}

/// <summary>The bias (internal pull resistor) of an input line.</summary>
public enum InputBias
{
    /// <summary>No internal pull: the external circuit defines the idle level.</summary>
    None,

    /// <summary>Pull-up: the line idles high (use with active-low, open-collector optocouplers).</summary>
    PullUp,

    /// <summary>Pull-down: the line idles low. Not available on the MCP23017.</summary>
    PullDown,
}

/// <summary>One entry of a board profile's <c>inputs</c> array.</summary>
public sealed class InputDefinition
{
    internal InputDefinition(string name, InputSource source, int line, bool activeLow, InputBias bias, TimeSpan debounce)
    {
        Name = name;
        Source = source;
        Line = line;
        ActiveLow = activeLow;
        Bias = bias;
        Debounce = debounce;
    }

    /// <summary>The logical name (role, see <see cref="StatusRoles"/>).</summary>
    public string Name { get; }

    /// <summary>Where the input is read from.</summary>
    public InputSource Source { get; }

    /// <summary>The line offset on the GPIO chip (<see cref="InputSource.Gpio"/>) or the expander pin 0..15 (<see cref="InputSource.Mcp23017"/>: 0-7 = GPA0-7, 8-15 = GPB0-7).</summary>
    public int Line { get; }

    /// <summary>True when a low level means active.</summary>
    public bool ActiveLow { get; }

    /// <summary>The internal pull resistor.</summary>
    public InputBias Bias { get; }

    /// <summary>How long the line must be stable before a change is published; zero publishes every edge.</summary>
    public TimeSpan Debounce { get; }
}
