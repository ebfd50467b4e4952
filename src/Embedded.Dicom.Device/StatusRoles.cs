using System.Collections.Generic;

namespace Embedded.Dicom.Device;

/// <summary>
/// The logical names (roles) of status inputs and outputs. A board profile may only use these names, so the
/// agent's rules can refer to them without knowing which board it runs on.
/// </summary>
public static class StatusRoles
{
    /// <summary>Input: the modality is exposing (X-ray on, acquisition running).</summary>
    public const string ExposureActive = "exposure-active";

    /// <summary>Input: the modality signals that the current study is complete.</summary>
    public const string StudyComplete = "study-complete";

    /// <summary>Input: the device is in service mode (a key switch); the agent holds back clinical traffic.</summary>
    public const string ServiceMode = "service-mode";

    /// <summary>Input: the examination room door (or the device cover) is open.</summary>
    public const string DoorOpen = "door-open";

    /// <summary>Output: the DICOM peer is reachable.</summary>
    public const string LinkUp = "link-up";

    /// <summary>Output: the spool holds objects that are not yet delivered.</summary>
    public const string Backlog = "backlog";

    /// <summary>Output: the agent needs attention.</summary>
    public const string Error = "error";

    /// <summary>All input roles, in documentation order.</summary>
    public static IReadOnlyList<string> Inputs { get; } = [ExposureActive, StudyComplete, ServiceMode, DoorOpen];

    /// <summary>All output roles, in documentation order.</summary>
    public static IReadOnlyList<string> Outputs { get; } = [LinkUp, Backlog, Error];
}
