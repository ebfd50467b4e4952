using System;
using System.Collections.Generic;

namespace Embedded.Dicom.Device;

/// <summary>
/// Status outputs (lamps, relays) by logical name. Outputs are optional on a board: setting one that is not
/// wired is not an error, <see cref="TrySet"/> just returns false.
/// </summary>
public interface IStatusOutputs : IDisposable
{
    /// <summary>The configured output names (roles, see <see cref="StatusRoles"/>), in board profile order.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>Switches an output on or off (active-low already applied).</summary>
    /// <param name="name">An output role.</param>
    /// <param name="on">The logical state.</param>
    /// <returns>False if the board has no output with that name; true once the line has been written.</returns>
    bool TrySet(string name, bool on);

    /// <summary>Returns the logical state of every output, all taken at the same instant.</summary>
    IReadOnlyDictionary<string, bool> Snapshot();
}
