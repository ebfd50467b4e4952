using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace Embedded.Dicom.Device.Tests;

/// <summary>The board folders in the repository: each board.json loads and agrees with its Board.props and unit.</summary>
public sealed class BoardFilesTests
{
    [Theory]
    [InlineData("rpi4", "linux-arm64", "armv8-a")]
    [InlineData("rpi5", "linux-arm64", "armv8.2-a,lse,rcpc")]
    [InlineData("sim", "linux-x64", null)]
    public void BoardFolder_IsConsistent(string board, string rid, string? instructionSet)
    {
        string dir = Path.Combine(TestProfiles.RepoRoot, "boards", board);

        BoardProfile profile = BoardProfile.Load(Path.Combine(dir, "board.json"));

        Assert.Equal(board, profile.Name);
        Assert.Equal(rid, profile.Rid);
        Assert.Equal(StatusRoles.Inputs.Order(), profile.Inputs.Select(i => i.Name).Order());
        Assert.Equal(StatusRoles.Outputs.Order(), profile.Outputs.Select(o => o.Name).Order());

        XElement props = XDocument.Load(Path.Combine(dir, "Board.props")).Root!;
        Assert.Equal(rid, props.Descendants("RuntimeIdentifier").Single().Value);
        Assert.Equal(instructionSet, props.Descendants("IlcInstructionSet").SingleOrDefault()?.Value);
        Assert.Equal(rid == "linux-arm64" ? "lld" : null, props.Descendants("LinkerFlavor").SingleOrDefault()?.Value);

        string unit = File.ReadAllText(Path.Combine(dir, "systemd", "edicom-agent.service"));
        Assert.Contains($"ExecStart=/usr/local/bin/edicom agent --board {board} --config /etc/edicom/agent.json\n", unit, StringComparison.Ordinal);
        Assert.Contains("Restart=always\n", unit, StringComparison.Ordinal);
        Assert.Contains("StateDirectory=edicom\n", unit, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "README.md")));
    }

    [Fact]
    public void Rpi4_UsesLibgpiodOnTheBcm2711Chip()
    {
        BoardProfile profile = Load("rpi4");

        Assert.Equal((GpioDriverKind.LibGpiod, "pinctrl-bcm2711"), (profile.Gpio.Driver, profile.Gpio.ChipLabel));
        Assert.Null(profile.Mcp23017);
        Assert.All(profile.Inputs, i => Assert.Equal((InputSource.Gpio, true, InputBias.PullUp), (i.Source, i.ActiveLow, i.Bias)));
    }

    [Fact]
    public void Rpi5_UsesLibgpiodOnRp1_AndAnInterruptDrivenMcp23017()
    {
        BoardProfile profile = Load("rpi5");

        Assert.Equal((GpioDriverKind.LibGpiod, "pinctrl-rp1"), (profile.Gpio.Driver, profile.Gpio.ChipLabel));
        Assert.Equal((1, 0x20, (int?)4), (profile.Mcp23017!.Bus, profile.Mcp23017.Address, profile.Mcp23017.InterruptLine));
        Assert.Contains(profile.Inputs, i => i.Source == InputSource.Mcp23017);

        string unit = File.ReadAllText(Path.Combine(TestProfiles.RepoRoot, "boards", "rpi5", "systemd", "edicom-agent.service"));
        Assert.Contains("SupplementaryGroups=gpio i2c\n", unit, StringComparison.Ordinal);
        Assert.Contains("DeviceAllow=char-i2c rw\n", unit, StringComparison.Ordinal);
    }

    [Fact]
    public void Sim_IsSimulated_AndRoutesOneInputThroughTheExpander()
    {
        BoardProfile profile = Load("sim");

        Assert.True(profile.IsSimulated);
        Assert.NotNull(profile.Mcp23017!.InterruptLine);
        Assert.Single(profile.Inputs, i => i.Source == InputSource.Mcp23017);
    }

    private static BoardProfile Load(string board) =>
        BoardProfile.Load(Path.Combine(TestProfiles.RepoRoot, "boards", board, "board.json"));
}
