using System;
using System.Collections.Generic;
using System.IO;

namespace Embedded.Dicom.Device;

/// <summary>
/// A board profile: which GPIO driver and chip to open, which lines carry which status inputs and outputs,
/// and the optional MCP23017 expander. Read from <c>boards/&lt;name&gt;/board.json</c> (schema in
/// <c>boards/README.md</c>) and fully validated: an instance is always usable by <see cref="DeviceBoard.Open"/>.
/// </summary>
public sealed partial class BoardProfile
{
    /// <summary>The highest GPIO line offset accepted (BCM2711 and RP1 expose lines 0..53 on their main chip).</summary>
    public const int MaxLine = 53;

    /// <summary>The longest debounce time accepted, in milliseconds.</summary>
    public const int MaxDebounceMs = 10_000;

    /// <summary>The expander polling period used when <c>mcp23017.pollIntervalMs</c> is omitted, in milliseconds.</summary>
    public const int DefaultPollIntervalMs = 10;

    private BoardProfile(
        string source,
        string name,
        string description,
        string rid,
        GpioSettings gpio,
        Mcp23017Settings? mcp23017,
        IReadOnlyList<InputDefinition> inputs,
        IReadOnlyList<OutputDefinition> outputs)
    {
        Source = source;
        Name = name;
        Description = description;
        Rid = rid;
        Gpio = gpio;
        Mcp23017 = mcp23017;
        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>Where the profile was read from (the path given to <see cref="Load"/>).</summary>
    public string Source { get; }

    /// <summary>The board name, as passed to <c>edicom agent --board</c>.</summary>
    public string Name { get; }

    /// <summary>Free text for humans; empty when omitted.</summary>
    public string Description { get; }

    /// <summary>The .NET runtime identifier of the board: <c>linux-arm64</c> or <c>linux-x64</c>.</summary>
    public string Rid { get; }

    /// <summary>The GPIO driver and chip.</summary>
    public GpioSettings Gpio { get; }

    /// <summary>The MCP23017 expander, or null when the board has none.</summary>
    public Mcp23017Settings? Mcp23017 { get; }

    /// <summary>The status inputs, in file order.</summary>
    public IReadOnlyList<InputDefinition> Inputs { get; }

    /// <summary>The status outputs, in file order; empty when the board has none.</summary>
    public IReadOnlyList<OutputDefinition> Outputs { get; }

    /// <summary>True for the <c>sim</c> driver: no hardware is touched.</summary>
    public bool IsSimulated => Gpio.Driver == GpioDriverKind.Sim;

    /// <summary>Reads and validates a board profile file.</summary>
    /// <param name="path">The <c>board.json</c> path; it is repeated in error messages as given.</param>
    /// <exception cref="BoardProfileException">The file cannot be read, is not valid JSON or breaks a rule.</exception>
    public static BoardProfile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BoardProfileException(path, $"cannot read the file: {ex.Message}", ex);
        }

        return Parse(json, path);
    }

    /// <summary>Parses and validates a board profile held in memory.</summary>
    /// <param name="json">The <c>board.json</c> text.</param>
    /// <param name="source">A name for the text, used in error messages and as <see cref="Source"/>.</param>
    /// <exception cref="BoardProfileException">The text is not valid JSON or breaks a rule.</exception>
    public static BoardProfile Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        return Validate(ReadDocument(json, source), source);
    }
}
