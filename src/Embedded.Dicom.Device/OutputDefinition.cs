namespace Embedded.Dicom.Device;

/// <summary>One entry of a board profile's <c>outputs</c> array: a GPIO line driving a lamp or a relay.</summary>
public sealed class OutputDefinition
{
    internal OutputDefinition(string name, int line, bool activeLow)
    {
        Name = name;
        Line = line;
        ActiveLow = activeLow;
    }

    /// <summary>The logical name (role, see <see cref="StatusRoles"/>).</summary>
    public string Name { get; }

    /// <summary>The line offset on the GPIO chip.</summary>
    public int Line { get; }

    /// <summary>True when "on" drives the line low (typical of relay modules).</summary>
    public bool ActiveLow { get; }
}
