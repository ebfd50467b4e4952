using System;
using System.Threading;

namespace Embedded.Dicom.Networking;

/// <summary>The timeouts of one association; <see cref="Timeout.InfiniteTimeSpan"/> disables one.</summary>
public sealed record AssociationTimeouts
{
    /// <summary>Defaults: connect 10 s, ACSE 30 s, DIMSE 30 s, idle 120 s, ARTIM 30 s (the values pynetdicom and DCMTK use).</summary>
    public static AssociationTimeouts Default { get; } = new();

    /// <summary>TCP connect.</summary>
    public TimeSpan Connect { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Waiting for A-ASSOCIATE-AC/RJ and A-RELEASE-RP (an application timeout above the UL, PS3.8 §9.1.4 note).</summary>
    public TimeSpan Acse { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Waiting for a DIMSE response or for the rest of a message once it has started.</summary>
    public TimeSpan Dimse { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An SCP waiting for the next request on an open association.</summary>
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>ARTIM (PS3.8 §9.1.5): waiting for A-ASSOCIATE-RQ after accepting a connection, and for the close in Sta13.</summary>
    public TimeSpan Artim { get; init; } = TimeSpan.FromSeconds(30);
}
