using System;
using System.Collections.Generic;
using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Linq;

namespace Embedded.Dicom.Device.Gpio;

/// <summary>
/// Constructs the GPIO driver a hardware board profile names. Never auto-detects: in System.Device.Gpio 4.2.0
/// the automatic choice throws GpiodException instead of falling back when libgpiod is missing, and the Board
/// API silently hands out a driver with no pins; a wrong driver must fail loudly at start instead.
/// </summary>
internal static class GpioDriverFactory
{
    public static GpioDriver Create(BoardProfile profile)
    {
        GpioSettings gpio = profile.Gpio;
        (string name, string library) = gpio.Driver switch
        {
            GpioDriverKind.LibGpiod => ("libgpiod", "libgpiod 1.x: libgpiod.so.2, Debian package libgpiod2"),
            GpioDriverKind.LibGpiod2 => ("libgpiod2", "libgpiod 2.x: libgpiod.so.3, Debian package libgpiod3"),
            _ => throw new ArgumentException($"board '{profile.Name}' uses the simulated driver", nameof(profile)),
        };

        GpioChipInfo? chip = null;
        try
        {
            if (gpio.ChipLabel is string label)
            {
                IList<GpioChipInfo> chips = gpio.Driver == GpioDriverKind.LibGpiod
                    ? LibGpiodDriver.GetAvailableChips()
                    : LibGpiodV2Driver.GetAvailableChips(); // returns no chips, not an error, when libgpiod.so.3 is missing
                chip = chips.FirstOrDefault(c => c.Label == label)
                    ?? throw new BoardOpenException(
                        $"board '{profile.Name}': gpio.chipLabel: no GPIO chip labelled '{label}' " +
                        $"(found: {(chips.Count == 0 ? "none" : string.Join(", ", chips.Select(c => $"{c.Name} '{c.Label}'")))}; driver '{name}' needs {library})");
            }

            return (gpio.Driver, chip) switch
            {
                (GpioDriverKind.LibGpiod, null) => new LibGpiodDriver(gpio.Chip!.Value),
                (GpioDriverKind.LibGpiod, _) => new LibGpiodDriver(chip),
                (_, null) => new LibGpiodV2Driver(gpio.Chip!.Value),
                _ => new LibGpiodV2Driver(chip),
            };
        }
        catch (Exception ex) when (ex is not BoardOpenException)
        {
            string where = chip is not null ? $"{chip.Name} '{chip.Label}'" : gpio.ChipLabel is null ? $"gpiochip{gpio.Chip}" : $"chip '{gpio.ChipLabel}'";
            throw new BoardOpenException($"board '{profile.Name}': cannot open GPIO driver '{name}' on {where} ({library}): {Describe(ex)}", ex);
        }
    }

    // DllNotFoundException lists a dozen probed paths; the package name says more.
    private static string Describe(Exception ex) =>
        ex is DllNotFoundException || ex.InnerException is DllNotFoundException
            ? "the libgpiod shared library could not be loaded"
            : ex.Message;
}
