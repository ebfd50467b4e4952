using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Embedded.Dicom.Device;

// Checking board.json: BoardProfile.Json.cs only maps the text onto nullable documents; every rule is
// checked here, so each message can name the field path the user has to fix.
public sealed partial class BoardProfile
{
    private static readonly string[] s_rids = ["linux-arm64", "linux-x64"];
    private static readonly string[] s_drivers = ["libgpiod", "libgpiod2", "sim"];
    private static readonly string[] s_sources = ["gpio", "mcp23017"];
    private static readonly string[] s_biases = ["pull-up", "pull-down", "none"];

    private static BoardProfile Validate(BoardDocument document, string source)
    {
        var v = new Validator(source);
        v.NoUnknownFields("", document.Unknown);

        string name = v.RequiredString("name", document.Name);
        if (!name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') || name[0] == '-')
        {
            throw v.Fail("name", $"must be lowercase letters, digits and '-', got '{name}'");
        }

        string rid = v.RequiredString("rid", document.Rid);
        v.OneOf("rid", rid, s_rids, "RID");

        GpioSettings gpio = ReadGpio(v, document.Gpio);

        // Every host line may be claimed once: by the expander's interrupt, an input or an output.
        var lineOwners = new Dictionary<int, string>();
        Mcp23017Settings? mcp23017 = ReadMcp23017(v, document.Mcp23017, lineOwners);

        if (document.Inputs is null)
        {
            throw v.Fail("inputs", "required");
        }

        if (document.Inputs.Count == 0)
        {
            throw v.Fail("inputs", "at least one input is required");
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var pinOwners = new Dictionary<int, string>();
        var inputs = new InputDefinition[document.Inputs.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = ReadInput(v, $"inputs[{i}]", document.Inputs[i], mcp23017 is not null, names, lineOwners, pinOwners);
        }

        var outputs = new OutputDefinition[document.Outputs?.Count ?? 0];
        for (int i = 0; i < outputs.Length; i++)
        {
            outputs[i] = ReadOutput(v, $"outputs[{i}]", document.Outputs![i], names, lineOwners);
        }

        return new BoardProfile(source, name, document.Description ?? "", rid, gpio, mcp23017, inputs, outputs);
    }

    private static GpioSettings ReadGpio(Validator v, GpioDocument? gpio)
    {
        if (gpio is null)
        {
            throw v.Fail("gpio", "required");
        }

        v.NoUnknownFields("gpio", gpio.Unknown);
        string driverName = v.RequiredString("gpio.driver", gpio.Driver);
        v.OneOf("gpio.driver", driverName, s_drivers, "driver");
        GpioDriverKind driver = driverName switch
        {
            "libgpiod" => GpioDriverKind.LibGpiod,
            "libgpiod2" => GpioDriverKind.LibGpiod2,
            _ => GpioDriverKind.Sim,
        };

        if (driver == GpioDriverKind.Sim)
        {
            if (gpio.ChipLabel is not null)
            {
                throw v.Fail("gpio.chipLabel", "not used by driver 'sim'");
            }

            if (gpio.Chip is not null)
            {
                throw v.Fail("gpio.chip", "not used by driver 'sim'");
            }

            return new GpioSettings(driver, null, null);
        }

        if ((gpio.ChipLabel is null) == (gpio.Chip is null))
        {
            throw v.Fail("gpio", $"give exactly one of chipLabel or chip for driver '{driverName}'");
        }

        if (gpio.ChipLabel is not null)
        {
            v.RequiredString("gpio.chipLabel", gpio.ChipLabel);
        }
        else
        {
            v.Range("gpio.chip", gpio.Chip!.Value, 0, 63);
        }

        return new GpioSettings(driver, gpio.ChipLabel, gpio.Chip);
    }

    private static Mcp23017Settings? ReadMcp23017(Validator v, Mcp23017Document? mcp, Dictionary<int, string> lineOwners)
    {
        if (mcp is null)
        {
            return null;
        }

        v.NoUnknownFields("mcp23017", mcp.Unknown);
        int bus = v.Range("mcp23017.bus", v.Required("mcp23017.bus", mcp.Bus), 0, 255);

        if (mcp.Address is not AddressValue addressValue)
        {
            throw v.Fail("mcp23017.address", "required");
        }

        int address = ParseAddress(v, addressValue);
        if (address is < 0x20 or > 0x27)
        {
            throw v.Fail("mcp23017.address", $"must be 0x20..0x27, got 0x{address:x2}");
        }

        if (mcp.InterruptLine is int line)
        {
            v.Range("mcp23017.interruptLine", line, 0, MaxLine);
            lineOwners.Add(line, "mcp23017.interruptLine");
        }

        int pollMs = v.Range("mcp23017.pollIntervalMs", mcp.PollIntervalMs ?? DefaultPollIntervalMs, 1, 1000);
        return new Mcp23017Settings(bus, address, mcp.InterruptLine, TimeSpan.FromMilliseconds(pollMs));
    }

    private static int ParseAddress(Validator v, AddressValue value)
    {
        // JSON has no hex literals and I2C addresses are always written in hex: accept "0x20" as well as 32.
        if (value.Number is int number)
        {
            return number;
        }

        if (value.Text is string text
            && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int hex))
        {
            return hex;
        }

        throw v.Fail("mcp23017.address", "expected a number or a hex string such as \"0x20\"");
    }

    private static InputDefinition ReadInput(
        Validator v,
        string path,
        InputDocument? input,
        bool hasMcp23017,
        Dictionary<string, string> names,
        Dictionary<int, string> lineOwners,
        Dictionary<int, string> pinOwners)
    {
        if (input is null)
        {
            throw v.Fail(path, "expected an object");
        }

        v.NoUnknownFields(path, input.Unknown);
        string name = v.RequiredString($"{path}.name", input.Name);
        v.OneOf($"{path}.name", name, StatusRoles.Inputs, "role");
        v.Unique($"{path}.name", name, names, path);

        string sourceName = input.Source ?? "gpio";
        v.OneOf($"{path}.source", sourceName, s_sources, "source");
        InputSource source = sourceName == "gpio" ? InputSource.Gpio : InputSource.Mcp23017;

        string biasName = input.Bias ?? "none";
        v.OneOf($"{path}.bias", biasName, s_biases, "bias");
        InputBias bias = biasName switch
        {
            "pull-up" => InputBias.PullUp,
            "pull-down" => InputBias.PullDown,
            _ => InputBias.None,
        };

        int line;
        if (source == InputSource.Gpio)
        {
            if (input.Pin is not null)
            {
                throw v.Fail($"{path}.pin", "only used with source 'mcp23017' (use line)");
            }

            line = v.Range($"{path}.line", v.Required($"{path}.line", input.Line), 0, MaxLine);
            v.Unique($"{path}.line", line, lineOwners, path, "line");
        }
        else
        {
            if (!hasMcp23017)
            {
                throw v.Fail($"{path}.source", "'mcp23017' needs the top-level mcp23017 section");
            }

            if (input.Line is not null)
            {
                throw v.Fail($"{path}.line", "not used with source 'mcp23017' (use pin)");
            }

            line = v.Range($"{path}.pin", v.Required($"{path}.pin", input.Pin), 0, 15);

            // Microchip's current MCP23017 data sheet makes GPA7/GPB7 output-only: an input there can corrupt
            // the I2C transfer that reads it.
            if (line is 7 or 15)
            {
                throw v.Fail($"{path}.pin", "GPA7/GPB7 (pins 7 and 15) are output-only on the MCP23017");
            }

            if (bias == InputBias.PullDown)
            {
                throw v.Fail($"{path}.bias", "the MCP23017 has no pull-down (pull-up, none)");
            }

            v.Unique($"{path}.pin", line, pinOwners, path, "pin");
        }

        int debounceMs = v.Range($"{path}.debounceMs", input.DebounceMs ?? 0, 0, MaxDebounceMs);
        return new InputDefinition(name, source, line, input.ActiveLow ?? false, bias, TimeSpan.FromMilliseconds(debounceMs));
    }

    private static OutputDefinition ReadOutput(
        Validator v,
        string path,
        OutputDocument? output,
        Dictionary<string, string> names,
        Dictionary<int, string> lineOwners)
    {
        if (output is null)
        {
            throw v.Fail(path, "expected an object");
        }

        v.NoUnknownFields(path, output.Unknown);
        string name = v.RequiredString($"{path}.name", output.Name);
        v.OneOf($"{path}.name", name, StatusRoles.Outputs, "role");
        v.Unique($"{path}.name", name, names, path);
        int line = v.Range($"{path}.line", v.Required($"{path}.line", output.Line), 0, MaxLine);
        v.Unique($"{path}.line", line, lineOwners, path, "line");
        return new OutputDefinition(name, line, output.ActiveLow ?? false);
    }

    private readonly struct Validator(string source)
    {
        public BoardProfileException Fail(string path, string problem) => new(source, $"{path}: {problem}");

        public void NoUnknownFields(string path, List<string>? unknown)
        {
            if (unknown is { Count: > 0 })
            {
                string field = unknown[0];
                throw Fail(path.Length == 0 ? field : $"{path}.{field}", "unknown field");
            }
        }

        public string RequiredString(string path, string? value)
        {
            if (value is null)
            {
                throw Fail(path, "required");
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                throw Fail(path, "must not be empty");
            }

            return value;
        }

        public int Required(string path, int? value) => value ?? throw Fail(path, "required");

        public int Range(string path, int value, int min, int max) =>
            value >= min && value <= max ? value : throw Fail(path, $"must be {min}..{max}, got {value}");

        public void OneOf(string path, string value, IReadOnlyList<string> allowed, string what)
        {
            if (!allowed.Contains(value))
            {
                throw Fail(path, $"unknown {what} '{value}' ({string.Join(", ", allowed)})");
            }
        }

        public void Unique(string path, string name, Dictionary<string, string> owners, string owner)
        {
            if (!owners.TryAdd(name, owner))
            {
                throw Fail(path, $"duplicate name '{name}' (also {owners[name]})");
            }
        }

        public void Unique(string path, int number, Dictionary<int, string> owners, string owner, string what)
        {
            if (!owners.TryAdd(number, owner))
            {
                throw Fail(path, $"{what} {number} is already used by {owners[number]}");
            }
        }
    }
}

// The JSON documents: every member nullable so a missing field reaches the validator instead of defaulting
// silently, and the names of unknown (typically misspelled) fields so they are reported, not ignored.
internal sealed class BoardDocument
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? Rid { get; set; }

    public GpioDocument? Gpio { get; set; }

    public Mcp23017Document? Mcp23017 { get; set; }

    public List<InputDocument?>? Inputs { get; set; }

    public List<OutputDocument?>? Outputs { get; set; }

    public List<string>? Unknown;
}

internal sealed class GpioDocument
{
    public string? Driver { get; set; }

    public string? ChipLabel { get; set; }

    public int? Chip { get; set; }

    public List<string>? Unknown;
}

internal sealed class Mcp23017Document
{
    public int? Bus { get; set; }

    public AddressValue? Address { get; set; }

    public int? InterruptLine { get; set; }

    public int? PollIntervalMs { get; set; }

    public List<string>? Unknown;
}

internal sealed class InputDocument
{
    public string? Name { get; set; }

    public string? Source { get; set; }

    public int? Line { get; set; }

    public int? Pin { get; set; }

    public bool? ActiveLow { get; set; }

    public string? Bias { get; set; }

    public int? DebounceMs { get; set; }

    public List<string>? Unknown;
}

internal sealed class OutputDocument
{
    public string? Name { get; set; }

    public int? Line { get; set; }

    public bool? ActiveLow { get; set; }

    public List<string>? Unknown;
}

/// <summary>mcp23017.address as written: a whole number, a string (to be read as hex), or neither (both null).</summary>
internal readonly record struct AddressValue(int? Number, string? Text);
