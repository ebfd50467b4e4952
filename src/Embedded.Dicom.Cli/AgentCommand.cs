using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Agent;
using Embedded.Dicom.Agent.Control;

namespace Embedded.Dicom.Cli;

/// <summary>
/// <c>edicom agent --board NAME --config FILE</c> runs the store-and-forward agent; <c>edicom agent status|failed|
/// retry|purge|reroute --config FILE</c> talk to the running agent over its control socket (status also reads a
/// stopped agent's spool); <c>edicom input set NAME 0|1 --config FILE</c> drives a simulated board's input.
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config", "-c") { Description = "agent configuration (JSON)", Required = true, Recursive = true };
        var board = new Option<string?>("--board", "-b") { Description = "board profile: a name under boards/ (rpi4, rpi5, sim …) or a path to a board.json" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "log every object taken and sent" };
        var command = new Command("agent", "store-and-forward agent: incoming folder -> durable spool -> C-STORE to every destination") { config, board, verbose };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(config)!, result.GetValue(board), result.GetValue(verbose), cancellationToken));

        var json = new Option<bool>("--json") { Description = "print the status as JSON" };
        var status = new Command("status", "queue depth, oldest object, each destination's state and last error, inputs") { json };
        status.SetAction((result, cancellationToken) => StatusAsync(result.GetValue(config)!, result.GetValue(json), cancellationToken));
        command.Subcommands.Add(status);

        var failed = new Command("failed", "list the objects a destination refused, with the status");
        failed.SetAction((result, cancellationToken) => SendAsync(result.GetValue(config)!, "failed", cancellationToken));
        command.Subcommands.Add(failed);

        command.Subcommands.Add(Operation("retry", "queue failed objects again", (s, d, _, _, q) => $"retry {s}{d}"));
        command.Subcommands.Add(Operation("purge", "delete failed objects' records (and queued ones with --queued); the data goes when nothing refers to it", (s, d, _, _, q) => $"purge {s}{d}{(q ? " queued" : "")}"));
        command.Subcommands.Add(Operation("reroute", "move queued and failed objects from one destination to another", (s, _, f, t, _) => $"reroute {s} from {f} to {t}"));
        return command;

        Command Operation(string name, string description, Func<string, string, string?, string?, bool, string> build)
        {
            var sop = new Option<string?>("--sop") { Description = "by SOP Instance UID" };
            var study = new Option<string?>("--study") { Description = "by Study Instance UID" };
            var all = new Option<bool>("--all") { Description = "every object" };
            var dest = new Option<string?>("--dest") { Description = "only this destination" };
            var from = new Option<string?>("--from") { Description = "source destination" };
            var to = new Option<string?>("--to") { Description = "target destination" };
            var queued = new Option<bool>("--queued") { Description = "purge queued objects too (they will never be sent)" };
            var sub = new Command(name, description) { sop, study, all, dest };
            if (name == "reroute")
            {
                sub.Options.Add(from);
                sub.Options.Add(to);
            }

            if (name == "purge")
            {
                sub.Options.Add(queued);
            }

            sub.SetAction((result, cancellationToken) =>
            {
                int given = (result.GetValue(sop) is null ? 0 : 1) + (result.GetValue(study) is null ? 0 : 1) + (result.GetValue(all) ? 1 : 0);
                if (given != 1)
                {
                    Console.Error.WriteLine($"edicom agent {name}: give exactly one of --sop UID, --study UID, --all");
                    return Task.FromResult(2);
                }

                if (name == "reroute" && (result.GetValue(from) is null || result.GetValue(to) is null))
                {
                    Console.Error.WriteLine("edicom agent reroute: --from NAME and --to NAME are required");
                    return Task.FromResult(2);
                }

                string selector = result.GetValue(sop) is string s ? $"sop {s}" : result.GetValue(study) is string st ? $"study {st}" : "all";
                string destination = result.GetValue(dest) is string d ? $" dest {d}" : "";
                return SendAsync(result.GetValue(config)!, build(selector, destination, result.GetValue(from), result.GetValue(to), result.GetValue(queued)), cancellationToken);
            });
            return sub;
        }
    }

    /// <summary><c>edicom input set NAME 0|1 --config FILE</c>.</summary>
    public static Command CreateInput()
    {
        var config = new Option<string>("--config", "-c") { Description = "agent configuration (JSON): where the agent's control socket is", Required = true, Recursive = true };
        var name = new Argument<string>("name") { Description = "input name (its role in the board profile)" };
        var value = new Argument<string>("value") { Description = "1 (active) or 0 (inactive)" };
        var set = new Command("set", "drive a simulated status input of the running agent (sim board)") { name, value };
        set.SetAction((result, cancellationToken) => SendAsync(result.GetValue(config)!, $"input set {result.GetValue(name)} {result.GetValue(value)}", cancellationToken));
        return new Command("input", "status inputs of a simulated board") { config, set };
    }

    private static async Task<int> RunAsync(string configPath, string? boardName, bool verbose, CancellationToken cancellationToken)
    {
        AgentConfig config;
        BoardSession board;
        try
        {
            config = AgentConfig.Load(configPath);
            board = BoardSession.Open(boardName);
        }
        catch (Exception e) when (e is AgentConfigException or BoardException)
        {
            Console.Error.WriteLine($"edicom agent: {e.Message}");
            return 2;
        }

        using (board)
        {
            using var stop = new StopSignal(cancellationToken);

            var log = new LineLog();
            var agent = new StoreForwardAgent(config, board.Inputs, board.Outputs, board.Simulate, log.Write) { Verbose = verbose };
            try
            {
                agent.Start();
            }
            catch (Exception e) when (e is AgentConfigException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"edicom agent: {e.Message}");
                await agent.DisposeAsync().ConfigureAwait(false);
                return 2;
            }

            await using (agent.ConfigureAwait(false))
            {
                Console.WriteLine($"agent running on board {board.Name}; control socket {config.ControlPath}");
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    log.Write("agent: stopping (objects in flight stay queued)");
                }
            }
        }

        return 0;
    }

    private static AgentConfig? LoadConfig(string configPath)
    {
        try
        {
            return AgentConfig.Load(configPath);
        }
        catch (AgentConfigException e)
        {
            Console.Error.WriteLine($"edicom: {e.Message}");
            return null;
        }
    }

    private static async Task<int> StatusAsync(string configPath, bool json, CancellationToken cancellationToken)
    {
        if (LoadConfig(configPath) is not AgentConfig config)
        {
            return 2;
        }

        (bool Ok, string Body)? answer = await AgentControl.SendAsync(config.ControlPath, "status", cancellationToken).ConfigureAwait(false);
        AgentStatus? status = answer is { Ok: true } a ? StoreForwardAgent.FromJson(a.Body) : StoreForwardAgent.ReadOffline(config);
        if (status is null)
        {
            Console.Error.WriteLine("edicom agent status: unreadable answer from the agent");
            return 1;
        }

        Console.Write(json ? StoreForwardAgent.ToJson(status) + "\n" : Format(status));
        return 0;
    }

    private static async Task<int> SendAsync(string configPath, string command, CancellationToken cancellationToken)
    {
        if (LoadConfig(configPath) is not AgentConfig config)
        {
            return 2;
        }

        (bool Ok, string Body)? answer = await AgentControl.SendAsync(config.ControlPath, command, cancellationToken).ConfigureAwait(false);
        if (answer is null)
        {
            Console.Error.WriteLine($"edicom: no agent is running on {config.ControlPath} (start it with edicom agent --board NAME --config {configPath})");
            return 1;
        }

        if (!answer.Value.Ok)
        {
            Console.Error.WriteLine($"edicom: {answer.Value.Body}");
            return 1;
        }

        Console.Write(answer.Value.Body);
        return 0;
    }

    private static string Format(AgentStatus s)
    {
        var text = new StringBuilder();
        IFormatProvider c = CultureInfo.InvariantCulture;
        text.Append(c, $"agent: {(s.Running ? "running" : "not running (read from the spool)")}\n");
        text.Append(c, $"queue: {s.QueueDepth} object(s){(s.OldestAgeSeconds is double age ? $", oldest {age:0.0} s" : "")}\n");
        if (s.Running)
        {
            text.Append(c, $"intake: {s.Received} received, {s.Quarantined} quarantined{(s.IntakeError is null ? "" : $"; STOPPED: {s.IntakeError}")}\n");
            string state = s.Paused ? "PAUSED" : s.Held ? "HOLDING" : s.WaitingForFlush ? "waiting for flush" : "sending";
            text.Append(c, $"rules: {(s.Rules.Count == 0 ? "none" : string.Join("; ", s.Rules))} -> {state}\n");
        }

        foreach (DestinationStatus d in s.Destinations)
        {
            text.Append(c, $"destination {d.Name} ({d.Peer}): {d.State}, {d.Queued} queued, {d.Failed} failed, {d.Sent} sent");
            if (d.AwaitingCommitment > 0 || d.CommitmentRequests > 0)
            {
                text.Append(c, $", {d.AwaitingCommitment} awaiting storage commitment ({d.CommitmentRequests} request(s) outstanding)");
            }

            if (d.ConsecutiveFailures > 0)
            {
                text.Append(c, $", {d.ConsecutiveFailures} failed attempt(s)");
            }

            if (d.NextAttemptAt is DateTimeOffset next && next > s.Time)
            {
                text.Append(c, $", next attempt in {(next - s.Time).TotalSeconds:0.0} s");
            }

            text.Append('\n');
            if (d.LastError is not null)
            {
                text.Append(c, $"  last error ({d.LastErrorAt:O}): {d.LastError}\n");
            }
        }

        foreach (SignalState input in s.Inputs)
        {
            text.Append(c, $"input {input.Name} = {(input.Active ? 1 : 0)}\n");
        }

        foreach (SignalState output in s.Outputs)
        {
            text.Append(c, $"output {output.Name} = {(output.Active ? 1 : 0)}\n");
        }

        return text.ToString();
    }

    /// <summary>Timestamped log lines on stdout, written whole (the delivery loops log concurrently).</summary>
    private sealed class LineLog
    {
        private readonly object _lock = new();

        public void Write(string line)
        {
            lock (_lock)
            {
                Console.Out.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {line}");
                Console.Out.Flush();
            }
        }
    }
}
