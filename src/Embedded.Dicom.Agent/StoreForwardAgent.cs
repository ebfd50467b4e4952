using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Agent.Control;
using Embedded.Dicom.Agent.Delivery;
using Embedded.Dicom.Agent.Intake;
using Embedded.Dicom.Agent.Spool;
using Embedded.Dicom.Data;
using Embedded.Dicom.Device;

namespace Embedded.Dicom.Agent;

/// <summary>
/// The store-and-forward agent: takes complete files from the incoming folder, validates them (invalid ones
/// to quarantine), records them durably in the spool, and delivers them with C-STORE to every destination,
/// each in its own loop, under the rules the status inputs drive. Operator commands and status go through the
/// control socket.
/// </summary>
public sealed class StoreForwardAgent : IAsyncDisposable
{
    private readonly AgentConfig _config;
    private readonly IStatusInputs? _inputs;
    private readonly IStatusOutputs? _outputs;
    private readonly Func<string, bool, string?>? _simulateInput;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<DestinationWorker> _workers = new();
    private readonly List<Task> _loops = new();
    private ObjectSpool? _spool;
    private AgentGate? _gate;
    private IncomingWatcher? _intake;
    private ControlServer? _control;
    private Networking.Sockets.DicomServer? _commitmentListener;
    private int _disposed;

    /// <summary>Creates the agent (nothing runs before <see cref="Start"/>).</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="inputs">Status inputs (null: no inputs; rules naming one are an error).</param>
    /// <param name="outputs">Status outputs: "link-up", "backlog" and "error" are driven when present.</param>
    /// <param name="simulateInput">For simulated boards: drives an input (name, active) and returns an error text or null.</param>
    /// <param name="log">One line per event (intake, delivery, rules, failures).</param>
    public StoreForwardAgent(AgentConfig config, IStatusInputs? inputs, IStatusOutputs? outputs, Func<string, bool, string?>? simulateInput, Action<string> log)
    {
        _config = config;
        _inputs = inputs;
        _outputs = outputs;
        _simulateInput = simulateInput;
        _log = log;
    }

    /// <summary>The spool (after <see cref="Start"/>).</summary>
    public ObjectSpool Spool => _spool ?? throw new InvalidOperationException("the agent is not started");

    /// <summary>
    /// Opens the spool (recovering from an interrupted run), then starts intake, one delivery loop per
    /// destination and the control socket.
    /// </summary>
    /// <exception cref="AgentConfigException">A rule names an input the board does not have.</exception>
    /// <exception cref="IOException">The spool is locked by another agent or cannot be created.</exception>
    public void Start()
    {
        var inputNames = new HashSet<string>(_inputs?.Names ?? [], StringComparer.Ordinal);
        foreach (InputRule rule in _config.ParsedRules)
        {
            if (!inputNames.Contains(rule.Input))
            {
                throw new AgentConfigException($"{_config.SourcePath}: rules: '{rule}' names input '{rule.Input}', which the board does not have ({(inputNames.Count == 0 ? "no inputs" : string.Join(", ", inputNames))})");
            }
        }

        var names = new List<string>();
        foreach (DestinationConfig destination in _config.Destinations)
        {
            names.Add(destination.Name);
        }

        _spool = ObjectSpool.Open(_config.Resolve(_config.Spool), names, Describe, line => _log("spool: " + line));
        _gate = new AgentGate(_config.ParsedRules, _inputs?.Snapshot() ?? new Dictionary<string, bool>(), _spool.Root, line => _log(line));
        foreach (DestinationConfig destination in _config.Destinations)
        {
            var worker = new DestinationWorker(destination, _config, _spool, _gate, _log, Verbose ? _log : null);
            worker.StateChanged += UpdateOutputs;
            _workers.Add(worker);
        }

        _spool.Queued += name =>
        {
            foreach (DestinationWorker worker in _workers)
            {
                if (worker.Name == name)
                {
                    worker.Wake();
                }
            }

            UpdateOutputs();
        };
        _gate.Changed += OnRulesChanged;
        if (_inputs is not null)
        {
            _inputs.Changed += OnInputChanged;
        }

        _intake = new IncomingWatcher(_config, _spool, _gate, _log, Verbose ? _log : null);
        _control = new ControlServer(_config.ControlPath, Execute);
        if (_config.CommitmentEndPoint is { } endPoint)
        {
            StartCommitmentListener(endPoint);
        }

        foreach (DestinationWorker worker in _workers)
        {
            _loops.Add(Task.Run(() => worker.RunAsync(_stop.Token)));
        }

        _loops.Add(Task.Run(() => _intake.RunAsync(_stop.Token)));
        UpdateOutputs();
        _log($"agent: started; {_spool.QueueDepth} object(s) queued, {_workers.Count} destination(s), control socket {_config.ControlPath}");
    }

    /// <summary>
    /// Accepts the Storage Commitment reports destinations send on a new association (PS3.4 J.3.3): each is applied
    /// to the spool before it is answered, so that a report is acknowledged only once recorded.
    /// </summary>
    private void StartCommitmentListener(System.Net.IPEndPoint endPoint)
    {
        var receiver = new Networking.Services.StorageCommitmentReportReceiver();
        ObjectSpool spool = _spool!;
        receiver.ReportReceived += (report, from) => DestinationWorker.ApplyReport(spool, _config, report, line => _log($"{line} (reported by {from})"));
        try
        {
            _commitmentListener = new Networking.Sockets.DicomServer(new Networking.Sockets.DicomServerOptions
            {
                Endpoint = endPoint,
                MaxAssociations = 4,
                Normalized = receiver,
                Log = Verbose ? (id, text) => _log($"commitment listener [{id}]: {text}") : null,
                Policy = new Networking.Acse.AcceptorPolicy
                {
                    AeTitle = AeTitle.Parse(_config.AeTitle),
                    IsAbstractSyntaxSupported = (in DicomUid uid) => uid.Equals(Networking.Services.StorageCommitment.SopClassUid),
                },
            });
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new IOException($"commitmentListen {endPoint}: {e.Message}", e);
        }

        _commitmentListener.Start();
        _log($"agent: accepting storage commitment reports on {_commitmentListener.LocalEndPoint}");
    }

    /// <summary>Logs each object taken and delivered too (one line each).</summary>
    public bool Verbose { get; init; }

    /// <summary>
    /// The status of a stopped agent, read from its spool folder without taking the lock or changing anything:
    /// queued and failed records per destination and the oldest queued object's age.
    /// </summary>
    public static AgentStatus ReadOffline(AgentConfig config)
    {
        string root = config.Resolve(config.Spool);
        var status = new AgentStatus { Time = DateTimeOffset.UtcNow, Running = false };
        var queued = new HashSet<string>(StringComparer.Ordinal);
        DateTimeOffset? oldest = null;
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string kind in (ReadOnlySpan<string>)["queue", "failed", "stored"])
        {
            string folder = Path.Combine(root, kind);
            if (Directory.Exists(folder))
            {
                foreach (string destination in Directory.EnumerateDirectories(folder))
                {
                    names.Add(Path.GetFileName(destination));
                }
            }
        }

        foreach (DestinationConfig d in config.Destinations)
        {
            names.Add(d.Name);
        }

        foreach (string name in names)
        {
            DestinationConfig? configured = config.Destinations.Find(d => d.Name == name);
            var d = new DestinationStatus
            {
                Name = name,
                Peer = configured is null ? "not configured" : $"{configured.CalledAe}@{configured.Host}:{configured.Port}",
                State = configured is null ? "not-configured" : "stopped",
            };
            string queue = Path.Combine(root, "queue", name);
            if (Directory.Exists(queue))
            {
                foreach (string record in Directory.EnumerateFiles(queue))
                {
                    d.Queued++;
                    queued.Add(Path.GetFileName(record));
                    try
                    {
                        if (SpoolRecord.TryParse(File.ReadAllText(record), out _, out DateTimeOffset received, out _) && (oldest is null || received < oldest))
                        {
                            oldest = received;
                        }
                    }
                    catch (IOException)
                    {
                        // Sent and removed while we looked.
                    }
                }
            }

            string failed = Path.Combine(root, "failed", name);
            d.Failed = Directory.Exists(failed) ? Directory.GetFiles(failed).Length : 0;
            string stored = Path.Combine(root, "stored", name);
            d.AwaitingCommitment = Directory.Exists(stored) ? Directory.GetFiles(stored).Length : 0;
            string requests = Path.Combine(root, "commitments", name);
            d.CommitmentRequests = Directory.Exists(requests) ? Directory.GetFiles(requests).Length : 0;
            status.Destinations.Add(d);
        }

        status.QueueDepth = queued.Count;
        if (oldest is DateTimeOffset o)
        {
            status.OldestAgeSeconds = Math.Round((status.Time - o).TotalSeconds, 1);
        }

        foreach (InputRule rule in config.ParsedRules)
        {
            status.Rules.Add(rule.ToString());
        }

        return status;
    }

    /// <summary>A snapshot of queue, destinations, rules and inputs.</summary>
    public AgentStatus GetStatus()
    {
        ObjectSpool spool = Spool;
        var status = new AgentStatus
        {
            Time = DateTimeOffset.UtcNow,
            Running = true,
            QueueDepth = spool.QueueDepth,
            Received = _intake?.Received ?? 0,
            Quarantined = _intake?.Quarantined ?? 0,
            IntakeError = _intake?.Error,
            Held = _gate!.Held,
            Paused = _gate.Paused,
        };
        if (spool.OldestQueued is DateTimeOffset oldest)
        {
            status.OldestAgeSeconds = Math.Round((status.Time - oldest).TotalSeconds, 1);
        }

        foreach (InputRule rule in _config.ParsedRules)
        {
            status.Rules.Add(rule.ToString());
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (DestinationWorker worker in _workers)
        {
            DestinationStatus d = worker.Snapshot();
            status.WaitingForFlush |= d.State == "waiting-for-flush";
            status.Destinations.Add(d);
            seen.Add(worker.Name);
        }

        foreach (string name in spool.KnownDestinations)
        {
            if (seen.Add(name))
            {
                status.Destinations.Add(new DestinationStatus { Name = name, Peer = "not configured", State = "not-configured", Queued = spool.QueuedCount(name), Failed = spool.FailedCount(name) });
            }
        }

        if (_inputs is not null)
        {
            foreach ((string name, bool active) in _inputs.Snapshot())
            {
                status.Inputs.Add(new SignalState { Name = name, Active = active });
            }
        }

        if (_outputs is not null)
        {
            foreach ((string name, bool on) in _outputs.Snapshot())
            {
                status.Outputs.Add(new SignalState { Name = name, Active = on });
            }
        }

        return status;
    }

    /// <summary>The status as indented JSON (the format of <c>edicom agent status --json</c>).</summary>
    public static string ToJson(AgentStatus status) => AgentStatusJson.Write(status);

    /// <summary>Reads status JSON written by <see cref="ToJson"/>.</summary>
    public static AgentStatus? FromJson(string json) => AgentStatusJson.Parse(json);

    /// <summary>
    /// Runs one control command: <c>status</c>; <c>failed</c>; <c>retry|purge SELECTOR [dest NAME] [queued]</c>;
    /// <c>reroute SELECTOR from NAME to NAME</c>; <c>input set NAME 0|1</c>. SELECTOR is <c>all</c>,
    /// <c>sop UID</c> or <c>study UID</c>. Never throws: failures come back as (false, message).
    /// </summary>
    public (bool Ok, string Body) Execute(string command)
    {
        string[] words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        try
        {
            switch (words)
            {
                case ["status"]:
                    return (true, ToJson(GetStatus()));
                case ["failed"]:
                    var text = new StringBuilder();
                    foreach ((SpoolObject item, string destination, DeliveryFailure failure) in Spool.ListFailed())
                    {
                        text.Append(CultureInfo.InvariantCulture, $"{destination}\t{item.Description.SopInstanceUid}\t{item.Description.StudyInstanceUid}\t{failure}\n");
                    }

                    return (true, text.ToString());
                case ["input", "set", string name, string value]:
                    if (_simulateInput is null)
                    {
                        return (false, "this board has no simulated inputs: its lines are driven by the hardware");
                    }

                    bool? active = value switch { "1" or "on" or "true" or "active" => true, "0" or "off" or "false" or "inactive" => false, _ => null };
                    if (active is null)
                    {
                        return (false, $"input value must be 1 or 0, got '{value}'");
                    }

                    string? error = _simulateInput(name, active.Value);
                    return error is null ? (true, $"{name} = {(active.Value ? 1 : 0)}\n") : (false, error);
                case ["retry", ..] or ["purge", ..] or ["reroute", ..]:
                    return Operate(words);
                default:
                    return (false, $"unknown command '{command}' (status, failed, retry, purge, reroute, input set)");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (false, $"spool: {e.Message}");
        }
    }

    /// <summary>Stops intake and delivery (an object being sent stays queued and is sent again later), then the control socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        if (_inputs is not null)
        {
            _inputs.Changed -= OnInputChanged;
        }

        if (_control is not null)
        {
            await _control.DisposeAsync().ConfigureAwait(false);
        }

        if (_commitmentListener is not null)
        {
            await _commitmentListener.DisposeAsync().ConfigureAwait(false);
        }

        _intake?.Dispose();
        _spool?.Dispose();
        _stop.Dispose();
    }

    private (bool, string) Operate(string[] words)
    {
        string verb = words[0];
        int i = 1;
        ObjectSelector selector;
        switch (words.Length > i ? words[i] : "")
        {
            case "all":
                selector = ObjectSelector.All;
                i++;
                break;
            case "sop" when words.Length > i + 1:
                selector = new ObjectSelector(ObjectSelectorKind.SopInstance, words[i + 1]);
                i += 2;
                break;
            case "study" when words.Length > i + 1:
                selector = new ObjectSelector(ObjectSelectorKind.Study, words[i + 1]);
                i += 2;
                break;
            default:
                return (false, $"{verb}: which objects? all, sop UID or study UID");
        }

        string? destination = null;
        string? from = null;
        string? to = null;
        bool queued = false;
        for (; i < words.Length; i++)
        {
            switch (words[i])
            {
                case "dest" when i + 1 < words.Length:
                    destination = words[++i];
                    break;
                case "from" when i + 1 < words.Length:
                    from = words[++i];
                    break;
                case "to" when i + 1 < words.Length:
                    to = words[++i];
                    break;
                case "queued":
                    queued = true;
                    break;
                default:
                    return (false, $"{verb}: unexpected '{words[i]}'");
            }
        }

        int count;
        switch (verb)
        {
            case "retry":
                count = Spool.Retry(selector, destination);
                foreach (DestinationWorker worker in _workers)
                {
                    if (destination is null || worker.Name == destination)
                    {
                        worker.RetryNow();
                    }
                }

                _log($"operator: retry {string.Join(' ', words[1..])}: {count} object(s) queued again");
                return (true, $"{count} object(s) queued again\n");
            case "purge":
                count = Spool.Purge(selector, destination, queued);
                _log($"operator: purge {string.Join(' ', words[1..])}: {count} record(s) removed");
                UpdateOutputs();
                return (true, $"{count} record(s) removed\n");
            default:
                if (from is null || to is null)
                {
                    return (false, "reroute: needs 'from NAME to NAME'");
                }

                if (!_config.Destinations.Exists(d => d.Name == to))
                {
                    return (false, $"reroute: '{to}' is not a configured destination");
                }

                count = Spool.Reroute(selector, from, to);
                _log($"operator: reroute {string.Join(' ', words[1..])}: {count} object(s) moved");
                return (true, $"{count} object(s) moved from {from} to {to}\n");
        }
    }

    private static ObjectDescription? Describe(string path)
        => ObjectValidator.TryValidate(path, out ObjectDescription? description, out _, out _) ? description : null;

    private void OnInputChanged(object? sender, StatusInputChangedEventArgs e)
    {
        try
        {
            _log($"input {e.Name} = {(e.IsActive ? 1 : 0)}");
            _gate!.OnInput(e.Name, e.IsActive, Spool);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log($"input {e.Name}: {ex.Message}");
        }
    }

    private void OnRulesChanged()
    {
        foreach (DestinationWorker worker in _workers)
        {
            worker.RetryNow();
        }

        _intake?.Wake();
        UpdateOutputs();
    }

    /// <summary>link-up: some destination delivered and is not failing; backlog: objects queued; error: failed objects, a failing destination, or intake stopped.</summary>
    private void UpdateOutputs()
    {
        if (_outputs is null || _spool is null)
        {
            return;
        }

        bool linkUp = false;
        bool backlog = false;
        bool error = _intake?.Error is not null;
        foreach (DestinationWorker worker in _workers)
        {
            DestinationStatus d = worker.Snapshot();
            linkUp |= d.LastSuccessAt is not null && d.ConsecutiveFailures == 0;
            backlog |= d.Queued > 0;
            error |= d.Failed > 0 || d.ConsecutiveFailures > 0;
        }

        _outputs.TrySet("link-up", linkUp);
        _outputs.TrySet("backlog", backlog);
        _outputs.TrySet("error", error);
    }
}
