using System;
using System.Collections.Generic;

namespace Embedded.Dicom.Device;

/// <summary>
/// Debounced status inputs as the DICOM agent sees them: logical names, logical levels (active-low already
/// applied), a consistent snapshot and change notifications. Nothing here exposes GPIO types.
/// </summary>
public interface IStatusInputs : IDisposable
{
    /// <summary>The configured input names (roles, see <see cref="StatusRoles"/>), in board profile order.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>Returns the current debounced logical state of an input.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <exception cref="KeyNotFoundException"><paramref name="name"/> is not a configured input.</exception>
    bool IsActive(string name);

    /// <summary>Returns the debounced state of every input, all taken at the same instant.</summary>
    IReadOnlyDictionary<string, bool> Snapshot();

    /// <summary>
    /// Raised once per debounced change, in the order the changes became stable, on a background thread owned
    /// by the implementation (never on a GPIO driver thread). An exception thrown by a handler is caught and
    /// dropped, so the other handlers still see the change and later changes are still delivered: handlers do
    /// their own error handling.
    /// </summary>
    event EventHandler<StatusInputChangedEventArgs>? Changed;
}
