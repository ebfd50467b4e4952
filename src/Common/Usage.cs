using System;

namespace Embedded.Dicom;

/// <summary>
/// How a command element is used in one message, as the PS3.7 message tables give it
/// (PS3.7 §9.3 and §10.3: "M", "U", "C", with "(=)" where a response carries the request's value).
/// </summary>
/// <remarks>Linked source: compiled into the runtime and into the netstandard2.0 generator.</remarks>
[Flags]
public enum Usage
{
    /// <summary>Mandatory: always present; decoding fails without it.</summary>
    M = 1,
    /// <summary>User option: may be present.</summary>
    U = 2,
    /// <summary>Conditional: present when the service's condition holds (for example an error status).</summary>
    C = 4,
    /// <summary>"(=)": in a response, the value equals the one in the request it answers.</summary>
    Equal = 8,
}
