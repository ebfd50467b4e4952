using System;
using System.Collections.Generic;

namespace Embedded.Dicom.Agent;

/// <summary>What <c>edicom agent status</c> shows; serialized as JSON with <c>--json</c>.</summary>
public sealed class AgentStatus
{
    /// <summary>When the snapshot was taken (UTC).</summary>
    public DateTimeOffset Time { get; set; }

    /// <summary>Whether a running agent answered (false: read from the spool folder of a stopped agent).</summary>
    public bool Running { get; set; }

    /// <summary>Objects still to be delivered to at least one destination.</summary>
    public int QueueDepth { get; set; }

    /// <summary>Age of the oldest queued object, in seconds.</summary>
    public double? OldestAgeSeconds { get; set; }

    /// <summary>Objects taken from the incoming folder since the agent started.</summary>
    public long Received { get; set; }

    /// <summary>Files moved to quarantine since the agent started.</summary>
    public long Quarantined { get; set; }

    /// <summary>Why intake is stopped, if it is (e.g. the spool's disk is full).</summary>
    public string? IntakeError { get; set; }

    /// <summary>A hold-while rule is in effect.</summary>
    public bool Held { get; set; }

    /// <summary>A pause-on rule is in effect.</summary>
    public bool Paused { get; set; }

    /// <summary>Objects wait for a flush-on input.</summary>
    public bool WaitingForFlush { get; set; }

    /// <summary>The configured rules.</summary>
    public List<string> Rules { get; set; } = new();

    /// <summary>One entry per destination (configured, or with records left in the spool).</summary>
    public List<DestinationStatus> Destinations { get; set; } = new();

    /// <summary>Every status input.</summary>
    public List<SignalState> Inputs { get; set; } = new();

    /// <summary>Every status output.</summary>
    public List<SignalState> Outputs { get; set; } = new();
}

/// <summary>One destination's state.</summary>
public sealed class DestinationStatus
{
    /// <summary>Name.</summary>
    public string Name { get; set; } = "";

    /// <summary>host:port and called AE, or "not configured".</summary>
    public string Peer { get; set; } = "";

    /// <summary>idle, connecting, sending, backoff, held, paused, waiting-for-flush, stopped, not-configured.</summary>
    public string State { get; set; } = "";

    /// <summary>Objects queued for it.</summary>
    public int Queued { get; set; }

    /// <summary>Objects it refused (in the failed records).</summary>
    public int Failed { get; set; }

    /// <summary>Objects stored at the destination and kept until it commits them (Storage Commitment policy).</summary>
    public int AwaitingCommitment { get; set; }

    /// <summary>Commitment requests sent and not yet answered by a report.</summary>
    public int CommitmentRequests { get; set; }

    /// <summary>Objects delivered since the agent started.</summary>
    public long Sent { get; set; }

    /// <summary>Consecutive failed attempts (0 after a success).</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>The last error, with its DICOM status or network failure.</summary>
    public string? LastError { get; set; }

    /// <summary>When the last error happened.</summary>
    public DateTimeOffset? LastErrorAt { get; set; }

    /// <summary>When the next attempt is due (backoff).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>When an object was last delivered.</summary>
    public DateTimeOffset? LastSuccessAt { get; set; }
}

/// <summary>A named input or output line.</summary>
public sealed class SignalState
{
    /// <summary>Name (role).</summary>
    public string Name { get; set; } = "";

    /// <summary>Active (inputs: after active-low and debounce) / on (outputs).</summary>
    public bool Active { get; set; }
}
