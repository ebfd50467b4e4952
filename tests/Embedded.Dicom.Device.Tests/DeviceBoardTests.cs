using System;
using System.IO;
using Embedded.Dicom.Device.Gpio;

namespace Embedded.Dicom.Device.Tests;

/// <summary>The board front door: the sim board end to end, and the refusals of the hardware path.</summary>
public sealed class DeviceBoardTests
{
    [Fact]
    public void SimBoard_TrySimulateInput_TravelsThroughControllerExpanderAndDebouncer()
    {
        using DeviceBoard board = DeviceBoard.Open(LoadBoard("sim"));
        var changes = new ChangeRecorder(board.Inputs);
        Assert.True(board.IsSimulated);
        Assert.All(board.Inputs.Snapshot().Values, Assert.False);

        foreach (string name in board.Inputs.Names) // door-open goes through the simulated MCP23017 and its interrupt
        {
            Assert.True(board.TrySimulateInput(name, true, out string? error), error);
            StatusInputChangedEventArgs change = changes.Next();
            Assert.Equal((name, true), (change.Name, change.IsActive));
            Assert.True(board.Inputs.IsActive(name));

            Assert.True(board.TrySimulateInput(name, false, out error), error);
            Assert.Equal((name, false), (changes.Next().Name, board.Inputs.IsActive(name)));
        }

        Assert.True(board.Outputs.TrySet(StatusRoles.Error, true));
        Assert.True(board.Outputs.Snapshot()[StatusRoles.Error]);
    }

    [Fact]
    public void SimBoard_UnknownInput_IsRefusedWithTheKnownNames()
    {
        using DeviceBoard board = DeviceBoard.Open(LoadBoard("sim"));

        Assert.False(board.TrySimulateInput("xray-on", true, out string? error));
        Assert.Equal("board 'sim' has no input 'xray-on' (exposure-active, study-complete, service-mode, door-open)", error);
    }

    [Fact]
    public void HardwareBoard_RefusesToSimulate()
    {
        BoardProfile rpi4 = LoadBoard("rpi4");
        using var board = new DeviceBoard(rpi4, new GpioStatusInputs(rpi4, new SimulatedGpioDriver()), null, null);

        Assert.False(board.IsSimulated);
        Assert.False(board.TrySimulateInput(StatusRoles.DoorOpen, true, out string? error));
        Assert.Equal("board 'rpi4' is not simulated (gpio.driver is not 'sim')", error);
    }

    [Fact]
    public void HardwareBoard_WithoutGpioHardware_FailsWithTheDriverAndPackage()
    {
        if (File.Exists("/dev/gpiochip0"))
        {
            return; // a machine with GPIO would open the chip for real: nothing to check here
        }

        var ex = Assert.Throws<BoardOpenException>(() => DeviceBoard.Open(LoadBoard("rpi4")));

        Assert.StartsWith("board 'rpi4': ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'libgpiod'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("libgpiod2", ex.Message, StringComparison.Ordinal); // the package to install
    }

    private static BoardProfile LoadBoard(string name) =>
        BoardProfile.Load(Path.Combine(TestProfiles.RepoRoot, "boards", name, "board.json"));
}
