namespace Embedded.Dicom.Device;

/// <summary>The GPIO driver a board uses. Chosen explicitly in the profile: there is no auto-detection.</summary>
public enum GpioDriverKind
{
    /// <summary><c>libgpiod</c>: System.Device.Gpio's <c>LibGpiodDriver</c>, libgpiod 1.x (<c>libgpiod.so.2</c>, Debian package <c>libgpiod2</c>).</summary>
    LibGpiod,

    /// <summary><c>libgpiod2</c>: <c>LibGpiodV2Driver</c>, libgpiod 2.x API (<c>libgpiod.so.3</c>, Debian package <c>libgpiod3</c>).</summary>
    LibGpiod2,

    /// <summary><c>sim</c>: <see cref="Gpio.SimulatedGpioDriver"/>; no hardware, inputs are driven through <see cref="DeviceBoard.TrySimulateInput"/>.</summary>
    Sim,
}

/// <summary>The <c>gpio</c> section of a board profile.</summary>
public sealed class GpioSettings
{
    internal GpioSettings(GpioDriverKind driver, string? chipLabel, int? chip)
    {
        Driver = driver;
        ChipLabel = chipLabel;
        Chip = chip;
    }

    /// <summary>The driver to construct.</summary>
    public GpioDriverKind Driver { get; }

    /// <summary>The kernel label of the GPIO chip (preferred: chip numbers move between kernels), or null.</summary>
    public string? ChipLabel { get; }

    /// <summary>The chip number (<c>/dev/gpiochipN</c>), or null when <see cref="ChipLabel"/> is given or the driver is simulated.</summary>
    public int? Chip { get; }
}
