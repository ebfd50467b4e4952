using System;
using System.IO;

namespace Embedded.Dicom.Device.Tests;

/// <summary>board.json validation: each broken profile gives the documented message, file and field path first.</summary>
public sealed class BoardProfileTests : IDisposable
{
    private const string Hardware = "'rid': 'linux-arm64', 'gpio': { 'driver': 'libgpiod', 'chipLabel': 'pinctrl-bcm2711' }";
    private const string Sim = "'rid': 'linux-x64', 'gpio': { 'driver': 'sim' }";
    private const string OneInput = "'inputs': [ { 'name': 'exposure-active', 'line': 17 } ]";

    private readonly string _dir = Directory.CreateTempSubdirectory("edicom-board-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> BrokenProfiles => new()
    {
        { $"{{ 'name': 'rpi4', {Hardware}, 'inputs': [ {{ 'name': 'exposure-active', 'line': 17 }}, {{ 'name': 'door-open', 'line': 99 }} ] }}", "inputs[1].line: must be 0..53, got 99" },
        { $"{{ 'name': 'rpi4', 'rid': 'linux-arm64', 'gpio': {{ 'driver': 'foo' }}, {OneInput} }}", "gpio.driver: unknown driver 'foo' (libgpiod, libgpiod2, sim)" },
        { $"{{ {Hardware}, {OneInput} }}", "name: required" },
        { $"{{ 'name': 'Rpi 4', {Hardware}, {OneInput} }}", "name: must be lowercase letters, digits and '-', got 'Rpi 4'" },
        { $"{{ 'name': 'x', 'rid': 'linux-arm', 'gpio': {{ 'driver': 'sim' }}, {OneInput} }}", "rid: unknown RID 'linux-arm' (linux-arm64, linux-x64)" },
        { $"{{ 'name': 'x', 'rid': 'linux-x64', {OneInput} }}", "gpio: required" },
        { $"{{ 'name': 'x', 'rid': 'linux-arm64', 'gpio': {{ 'driver': 'libgpiod', 'chipLabel': 'pinctrl-rp1', 'chip': 0 }}, {OneInput} }}", "gpio: give exactly one of chipLabel or chip for driver 'libgpiod'" },
        { $"{{ 'name': 'x', 'rid': 'linux-arm64', 'gpio': {{ 'driver': 'libgpiod2' }}, {OneInput} }}", "gpio: give exactly one of chipLabel or chip for driver 'libgpiod2'" },
        { $"{{ 'name': 'x', 'rid': 'linux-x64', 'gpio': {{ 'driver': 'sim', 'chipLabel': 'pinctrl-rp1' }}, {OneInput} }}", "gpio.chipLabel: not used by driver 'sim'" },
        { $"{{ 'name': 'x', {Sim} }}", "inputs: required" },
        { $"{{ 'name': 'x', {Sim}, 'inputs': [] }}", "inputs: at least one input is required" },
        { $"{{ 'name': 'x', {Sim}, 'inputs': [ null ] }}", "inputs[0]: expected an object" },
        { $"{{ 'name': 'x', {Sim}, 'inputs': [ {{ 'name': 'xray-on', 'line': 17 }} ] }}", "inputs[0].name: unknown role 'xray-on' (exposure-active, study-complete, service-mode, door-open)" },
        { $"{{ 'name': 'x', {Sim}, 'inputs': [ {{ 'name': 'door-open', 'line': 17 }}, {{ 'name': 'door-open', 'line': 18 }} ] }}", "inputs[1].name: duplicate name 'door-open' (also inputs[0])" },
        { $"{{ 'name': 'x', {Sim}, 'inputs': [ {{ 'name': 'door-open', 'line': 17 }}, {{ 'name': 'service-mode', 'line': 17 }} ] }}", "inputs[1].line: line 17 is already used by inputs[0]" },
        { $"{{ 'name': 'x', {Sim}, {OneInput}, 'outputs': [ {{ 'name': 'error', 'line': 17 }} ] }}", "outputs[0].line: line 17 is already used by inputs[0]" },
        { $"{{ 'name': 'x', {Sim}, {OneInput}, 'outputs': [ {{ 'name': 'buzzer', 'line': 5 }} ] }}", "outputs[0].name: unknown role 'buzzer' (link-up, backlog, error)" },
        { $"{{ 'name': 'x', {Sim}, {OneInput}, 'outputs': [ {{ 'name': 'error' }} ] }}", "outputs[0].line: required" },
        { $"{{ 'name': 'x', {Sim}, 'inputs': [ {{ 'name': 'door-open', 'line': 17, 'activelow': true }} ] }}", "inputs[0].activelow: unknown field" },
        { $"{{ 'name': 'x', {Sim}, 'inputs': [ {{ 'name': 'door-open', 'line': 17, 'bias': 'up' }} ] }}", "inputs[0].bias: unknown bias 'up' (pull-up, pull-down, none)" },
        { $"{{ 'name': 'x', {Sim}, 'inputs': [ {{ 'name': 'door-open', 'line': 17, 'debounceMs': -1 }} ] }}", "inputs[0].debounceMs: must be 0..10000, got -1" },
        { $"{{ 'name': 'x', {Sim}, 'inputs': [ {{ 'name': 'door-open', 'pin': 3 }} ] }}", "inputs[0].pin: only used with source 'mcp23017' (use line)" },
        { $"{{ 'name': 'x', {Sim}, 'inputs': [ {{ 'name': 'door-open', 'source': 'mcp23017', 'pin': 3 }} ] }}", "inputs[0].source: 'mcp23017' needs the top-level mcp23017 section" },
        { $"{{ 'name': 'x', {Sim}, 'inputs': [ {{ 'name': 'door-open', 'source': 'spi', 'line': 3 }} ] }}", "inputs[0].source: unknown source 'spi' (gpio, mcp23017)" },
        { $"{{ 'name': 'x', {Sim}, 'mcp23017': {{ 'bus': 1, 'address': '0x40' }}, {OneInput} }}", "mcp23017.address: must be 0x20..0x27, got 0x40" },
        { $"{{ 'name': 'x', {Sim}, 'mcp23017': {{ 'bus': 1, 'address': 'twenty' }}, {OneInput} }}", "mcp23017.address: expected a number or a hex string such as \"0x20\"" },
        { $"{{ 'name': 'x', {Sim}, 'mcp23017': {{ 'address': '0x20' }}, {OneInput} }}", "mcp23017.bus: required" },
        { $"{{ 'name': 'x', {Sim}, 'mcp23017': {{ 'bus': 1, 'address': '0x20', 'pollIntervalMs': 0 }}, {OneInput} }}", "mcp23017.pollIntervalMs: must be 1..1000, got 0" },
        { $"{{ 'name': 'x', {Sim}, 'mcp23017': {{ 'bus': 1, 'address': '0x20', 'interruptLine': 17 }}, {OneInput} }}", "inputs[0].line: line 17 is already used by mcp23017.interruptLine" },
        { $"{{ 'name': 'x', {Sim}, 'mcp23017': {{ 'bus': 1, 'address': '0x20' }}, 'inputs': [ {{ 'name': 'door-open', 'source': 'mcp23017', 'pin': 16 }} ] }}", "inputs[0].pin: must be 0..15, got 16" },
        { $"{{ 'name': 'x', {Sim}, 'mcp23017': {{ 'bus': 1, 'address': '0x20' }}, 'inputs': [ {{ 'name': 'door-open', 'source': 'mcp23017', 'pin': 7 }} ] }}", "inputs[0].pin: GPA7/GPB7 (pins 7 and 15) are output-only on the MCP23017" },
        { $"{{ 'name': 'x', {Sim}, 'mcp23017': {{ 'bus': 1, 'address': '0x20' }}, 'inputs': [ {{ 'name': 'door-open', 'source': 'mcp23017', 'line': 3 }} ] }}", "inputs[0].line: not used with source 'mcp23017' (use pin)" },
        { $"{{ 'name': 'x', {Sim}, 'mcp23017': {{ 'bus': 1, 'address': '0x20' }}, 'inputs': [ {{ 'name': 'door-open', 'source': 'mcp23017', 'pin': 2, 'bias': 'pull-down' }} ] }}", "inputs[0].bias: the MCP23017 has no pull-down (pull-up, none)" },
        { $"{{ 'name': 'x', {Sim}, 'mcp23017': {{ 'bus': 1, 'address': '0x20' }}, 'inputs': [ {{ 'name': 'door-open', 'source': 'mcp23017', 'pin': 2 }}, {{ 'name': 'service-mode', 'source': 'mcp23017', 'pin': 2 }} ] }}", "inputs[1].pin: pin 2 is already used by inputs[0]" },
    };

    [Theory]
    [MemberData(nameof(BrokenProfiles))]
    public void BrokenProfile_NamesFileAndField(string json, string problem)
    {
        string path = Write(json.Replace('\'', '"'));

        var ex = Assert.Throws<BoardProfileException>(() => BoardProfile.Load(path));

        Assert.Equal($"{path}: {problem}", ex.Message);
        Assert.Equal(problem, ex.Problem);
    }

    [Fact]
    public void SyntaxError_NamesLineAndColumn()
    {
        string path = Write("{\n  \"name\": \"x\",\n  \"rid\": \"linux-x64\"\n  \"gpio\": { \"driver\": \"sim\" }\n}\n");

        var ex = Assert.Throws<BoardProfileException>(() => BoardProfile.Load(path));

        Assert.Equal($"{path}: invalid JSON at line 4, column 3", ex.Message);
    }

    [Fact]
    public void WrongType_NamesFieldLineAndColumn()
    {
        string path = Write("{\n  \"name\": \"x\",\n  \"inputs\": [ { \"name\": \"door-open\", \"line\": \"17\" } ]\n}\n");

        var ex = Assert.Throws<BoardProfileException>(() => BoardProfile.Load(path));

        Assert.Equal($"{path}: inputs[0].line: expected a whole number (line 3, column 46)", ex.Message);
    }

    [Fact]
    public void RepeatedField_IsAnError()
    {
        string path = Write("{ \"name\": \"x\", \"name\": \"y\" }");

        var ex = Assert.Throws<BoardProfileException>(() => BoardProfile.Load(path));

        Assert.Equal($"{path}: name: duplicate field (line 1, column 16)", ex.Message);
    }

    [Fact]
    public void MissingFile_NamesTheFile()
    {
        string path = Path.Combine(_dir, "nope", "board.json");

        var ex = Assert.Throws<BoardProfileException>(() => BoardProfile.Load(path));

        Assert.StartsWith($"{path}: cannot read the file: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionalFields_TakeTheDocumentedDefaults()
    {
        BoardProfile profile = BoardProfile.Parse(
            ("{ 'name': 'x', 'rid': 'linux-arm64', 'gpio': { 'driver': 'libgpiod2', 'chip': 4 }, 'mcp23017': { 'bus': 1, 'address': 39 }," +
             "  'inputs': [ { 'name': 'door-open', 'line': 17 }, { 'name': 'service-mode', 'source': 'mcp23017', 'pin': 8 } ] }").Replace('\'', '"'),
            "inline");

        Assert.Equal(("inline", "", GpioDriverKind.LibGpiod2, 4, (string?)null), (profile.Source, profile.Description, profile.Gpio.Driver, profile.Gpio.Chip, profile.Gpio.ChipLabel));
        Assert.Equal((1, 0x27, (int?)null, TimeSpan.FromMilliseconds(10)), (profile.Mcp23017!.Bus, profile.Mcp23017.Address, profile.Mcp23017.InterruptLine, profile.Mcp23017.PollInterval));
        InputDefinition input = profile.Inputs[0];
        Assert.Equal((InputSource.Gpio, 17, false, InputBias.None, TimeSpan.Zero), (input.Source, input.Line, input.ActiveLow, input.Bias, input.Debounce));
        Assert.Equal((InputSource.Mcp23017, 8), (profile.Inputs[1].Source, profile.Inputs[1].Line));
        Assert.Empty(profile.Outputs);
        Assert.False(profile.IsSimulated);
    }

    private string Write(string json)
    {
        string path = Path.Combine(_dir, "board.json");
        File.WriteAllText(path, json);
        return path;
    }
}
