using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Embedded.Dicom.Agent;

/// <summary>
/// The agent's configuration file (JSON, camelCase, unknown fields refused). Relative paths are relative to the
/// file's folder. Read with Utf8JsonReader (AgentConfig.Json.cs), no reflection under NativeAOT.
/// </summary>
public sealed partial class AgentConfig
{
    /// <summary>Our AE title (calling AE of every association); default EDICOM.</summary>
    public string AeTitle { get; set; } = "EDICOM";

    /// <summary>Folder the acquisition software drops Part 10 files into.</summary>
    public string Incoming { get; set; } = "incoming";

    /// <summary>The spool folder (should be on the same file system as <see cref="Incoming"/>: intake is then a rename).</summary>
    public string Spool { get; set; } = "spool";

    /// <summary>Where files that are not valid Part 10 go, each with a .reason.txt beside it.</summary>
    public string Quarantine { get; set; } = "quarantine";

    /// <summary>
    /// A file is taken once its size and modification time have not changed for this long. 0 = take files as
    /// soon as they appear, for writers that rename complete files into place. Names starting with '.' or ending
    /// in .part, .tmp or .partial are never taken.
    /// </summary>
    public int SettleMs { get; set; } = 1000;

    /// <summary>Rescan of the incoming folder (inotify wakes the agent earlier; the rescan catches what it misses).</summary>
    public int ScanIntervalMs { get; set; } = 1000;

    /// <summary>The control socket (a Unix domain socket) for status, operator commands and simulated inputs; default SPOOL/agent.sock.</summary>
    public string? Control { get; set; }

    /// <summary>An association with nothing left to send is released after this long.</summary>
    public int IdleReleaseMs { get; set; } = 5000;

    /// <summary>
    /// ADDR:PORT where the agent accepts Storage Commitment reports that a destination sends on a new association
    /// (PS3.4 J.3.3; Orthanc always does), called with our <see cref="AeTitle"/>; null: reports are only taken on
    /// the association that carried the request.
    /// </summary>
    public string? CommitmentListen { get; set; }

    /// <summary>The parsed <see cref="CommitmentListen"/>.</summary>
    public System.Net.IPEndPoint? CommitmentEndPoint { get; private set; }

    /// <summary>Retry timing after a transport failure or an Out of Resources answer.</summary>
    public RetryConfig Retry { get; set; } = new();

    /// <summary>Where objects go; each destination has its own queue and never waits for another.</summary>
    public List<DestinationConfig> Destinations { get; set; } = new();

    /// <summary>Input rules, e.g. "hold-while: exposure-active", "flush-on: study-complete", "pause-on: service-mode".</summary>
    public List<string> Rules { get; set; } = new();

    /// <summary>The file this configuration was loaded from.</summary>
    public string SourcePath { get; private set; } = "";

    /// <summary>The parsed <see cref="Rules"/>.</summary>
    public IReadOnlyList<InputRule> ParsedRules { get; private set; } = [];

    /// <summary>
    /// Loads and validates a configuration file.
    /// </summary>
    /// <exception cref="AgentConfigException">Unreadable file, bad JSON, unknown field or invalid value; the message names the file and the field.</exception>
    public static AgentConfig Load(string path)
    {
        byte[] json;
        try
        {
            json = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AgentConfigException($"{path}: {e.Message}");
        }

        AgentConfig config = Parse(json, path);
        config.SourcePath = Path.GetFullPath(path);
        config.Validate(path);
        return config;
    }

    /// <summary>A configured path resolved against the configuration file's folder.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, Path.GetDirectoryName(SourcePath) ?? Directory.GetCurrentDirectory());

    /// <summary>The control socket path.</summary>
    public string ControlPath => Resolve(Control ?? Path.Combine(Spool, "agent.sock"));

    private void Validate(string path)
    {
        void Fail(string field, string message) => throw new AgentConfigException($"{path}: {field}: {message}");

        if (!IsAeTitle(AeTitle))
        {
            Fail("aeTitle", $"not a valid AE title: '{AeTitle}' (1-16 characters, no backslash or control characters)");
        }

        foreach ((string field, string value) in (ReadOnlySpan<(string, string)>)[("incoming", Incoming), ("spool", Spool), ("quarantine", Quarantine)])
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Fail(field, "must name a folder");
            }
        }

        if (SettleMs is < 0 or > 3_600_000)
        {
            Fail("settleMs", $"must be 0..3600000, got {SettleMs}");
        }

        if (ScanIntervalMs is < 10 or > 3_600_000)
        {
            Fail("scanIntervalMs", $"must be 10..3600000, got {ScanIntervalMs}");
        }

        if (IdleReleaseMs is < 0 or > 3_600_000)
        {
            Fail("idleReleaseMs", $"must be 0..3600000, got {IdleReleaseMs}");
        }

        if (Retry.InitialMs is < 1 or > 3_600_000)
        {
            Fail("retry.initialMs", $"must be 1..3600000, got {Retry.InitialMs}");
        }

        if (Retry.MaxMs < Retry.InitialMs || Retry.MaxMs > 86_400_000)
        {
            Fail("retry.maxMs", $"must be retry.initialMs..86400000, got {Retry.MaxMs}");
        }

        if (Retry.Jitter is < 0 or > 1)
        {
            Fail("retry.jitter", $"must be 0..1, got {Retry.Jitter.ToString(CultureInfo.InvariantCulture)}");
        }

        if (Destinations.Count == 0)
        {
            Fail("destinations", "at least one destination is needed");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Destinations.Count; i++)
        {
            DestinationConfig d = Destinations[i];
            string at = $"destinations[{i}]";
            if (string.IsNullOrEmpty(d.Name) || d.Name.Length > 64 || !IsSafeName(d.Name))
            {
                Fail(at + ".name", $"must be 1-64 characters of A-Z a-z 0-9 . _ - (it names a spool folder), got '{d.Name}'");
            }

            if (!names.Add(d.Name))
            {
                Fail(at + ".name", $"duplicate destination '{d.Name}'");
            }

            if (string.IsNullOrWhiteSpace(d.Host))
            {
                Fail(at + ".host", "missing");
            }

            if (d.Port is < 1 or > 65535)
            {
                Fail(at + ".port", $"must be 1..65535, got {d.Port}");
            }

            if (!IsAeTitle(d.CalledAe))
            {
                Fail(at + ".calledAe", $"not a valid AE title: '{d.CalledAe}'");
            }

            if (d.MaxPdu is < 4096 or > 16 * 1024 * 1024)
            {
                Fail(at + ".maxPdu", $"must be 4096..16777216, got {d.MaxPdu}");
            }

            foreach ((string field, int value) in (ReadOnlySpan<(string, int)>)[("connectTimeoutMs", d.ConnectTimeoutMs), ("acseTimeoutMs", d.AcseTimeoutMs), ("dimseTimeoutMs", d.DimseTimeoutMs)])
            {
                if (value is < 100 or > 3_600_000)
                {
                    Fail($"{at}.{field}", $"must be 100..3600000, got {value}");
                }
            }

            if (d.StorageCommitment is { } c)
            {
                if (c.Batch is < 1 or > 10_000)
                {
                    Fail(at + ".storageCommitment.batch", $"must be 1..10000, got {c.Batch}");
                }

                if (c.WaitMs is < 0 or > 3_600_000)
                {
                    Fail(at + ".storageCommitment.waitMs", $"must be 0..3600000, got {c.WaitMs}");
                }

                if (c.TimeoutMs is < 1000 or > 604_800_000)
                {
                    Fail(at + ".storageCommitment.timeoutMs", $"must be 1000..604800000, got {c.TimeoutMs}");
                }

                if (c.MaxFailures is < 1 or > 1000)
                {
                    Fail(at + ".storageCommitment.maxFailures", $"must be 1..1000, got {c.MaxFailures}");
                }

                if (c.WaitMs == 0 && CommitmentListen is null)
                {
                    Fail(at + ".storageCommitment.waitMs", "0 (do not wait on the association) needs commitmentListen: the report would have nowhere to go");
                }
            }
        }

        if (CommitmentListen is { } listen)
        {
            int colon = listen.LastIndexOf(':');
            if (colon <= 0 || !System.Net.IPAddress.TryParse(listen.AsSpan(0, colon).Trim('[').Trim(']'), out System.Net.IPAddress? address)
                || !int.TryParse(listen.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            {
                Fail("commitmentListen", $"expected ADDRESS:PORT (e.g. 0.0.0.0:11113), got '{listen}'");
            }
            else
            {
                CommitmentEndPoint = new System.Net.IPEndPoint(address, port);
            }
        }

        var rules = new List<InputRule>();
        for (int i = 0; i < Rules.Count; i++)
        {
            if (!InputRule.TryParse(Rules[i], out InputRule? rule, out string? error))
            {
                Fail($"rules[{i}]", error!);
            }

            rules.Add(rule!);
        }

        ParsedRules = rules;
    }

    private static bool IsAeTitle(string value)
    {
        try
        {
            return Embedded.Dicom.AeTitle.Parse(value).Length > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool IsSafeName(string name)
    {
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return name is not "." and not "..";
    }

}

/// <summary>Backoff after a failed attempt: min(maxMs, initialMs × 2^(n-1)) for the n-th consecutive failure, less a random share of up to <see cref="Jitter"/>.</summary>
public sealed class RetryConfig
{
    /// <summary>First delay.</summary>
    public int InitialMs { get; set; } = 1000;

    /// <summary>Longest delay.</summary>
    public int MaxMs { get; set; } = 300_000;

    /// <summary>Share of each delay that is random (0 = none, 1 = anywhere between 0 and the delay), so that devices restarted together do not retry in step.</summary>
    public double Jitter { get; set; } = 0.3;
}

/// <summary>A Storage SCP the agent sends to.</summary>
public sealed class DestinationConfig
{
    /// <summary>Name (spool folder, commands, status).</summary>
    public string Name { get; set; } = "";

    /// <summary>Host name or address.</summary>
    public string Host { get; set; } = "";

    /// <summary>Port.</summary>
    public int Port { get; set; }

    /// <summary>Called AE title.</summary>
    public string CalledAe { get; set; } = "ANY-SCP";

    /// <summary>Maximum PDU length we announce.</summary>
    public int MaxPdu { get; set; } = 131_072;

    /// <summary>TCP connect timeout.</summary>
    public int ConnectTimeoutMs { get; set; } = 5000;

    /// <summary>A-ASSOCIATE / A-RELEASE answer timeout.</summary>
    public int AcseTimeoutMs { get; set; } = 10_000;

    /// <summary>C-STORE-RSP timeout: a destination that stops answering is treated as down after this long.</summary>
    public int DimseTimeoutMs { get; set; } = 30_000;

    /// <summary>When set, an object stays in the spool until this destination commits it (PS3.4 J.3).</summary>
    public CommitmentConfig? StorageCommitment { get; set; }
}

/// <summary>
/// The "keep until committed" policy of a destination: after the queue drains (or <see cref="Batch"/> objects
/// were stored), the agent asks for Storage Commitment of the stored objects with N-ACTION and removes each only
/// when a report says it is committed. Objects reported failed are sent again, and after
/// <see cref="MaxFailures"/> such reports set aside as failed with the reason.
/// </summary>
public sealed class CommitmentConfig
{
    /// <summary>Most objects named by one request.</summary>
    public int Batch { get; set; } = 500;

    /// <summary>How long to wait for the report on the requesting association; 0 releases at once (reports then come to commitmentListen).</summary>
    public int WaitMs { get; set; } = 10_000;

    /// <summary>A request without a report after this long is asked again.</summary>
    public int TimeoutMs { get; set; } = 600_000;

    /// <summary>Reports failing an object before it goes to the failed records (each failure sends it again first).</summary>
    public int MaxFailures { get; set; } = 3;
}

/// <summary>A configuration error; the message names the file and the field.</summary>
public sealed class AgentConfigException(string message) : Exception(message);
