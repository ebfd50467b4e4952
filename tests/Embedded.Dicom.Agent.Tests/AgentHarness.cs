using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Device;

namespace Embedded.Dicom.Agent.Tests;

/// <summary>An agent in this process with its folders in a fresh temporary directory and short timings.</summary>
internal sealed class AgentHarness : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private readonly Action<string>? _onLog;

    public AgentHarness(IEnumerable<(string Name, int Port)> destinations, IEnumerable<string>? rules = null, IStatusInputs? inputs = null,
        Func<string, bool, string?>? simulate = null, string? spool = null, int dimseTimeoutMs = 5000, int retryMaxMs = 200, IStatusOutputs? outputs = null, int settleMs = 0, Action<string>? onLog = null,
        string? destinationExtra = null, string? topExtra = null)
    {
        _onLog = onLog;
        Root = TestObjects.TempDirectory();
        var json = new StringBuilder();
        json.Append("{\n  \"aeTitle\": \"AGENT\",\n  \"incoming\": \"incoming\",\n");
        json.Append($"  \"spool\": \"{spool ?? "spool"}\",\n  \"quarantine\": \"quarantine\",\n");
        json.Append($"  \"settleMs\": {settleMs},\n  \"scanIntervalMs\": 50,\n  \"idleReleaseMs\": 300,\n");
        json.Append($"  \"retry\": {{ \"initialMs\": 50, \"maxMs\": {retryMaxMs}, \"jitter\": 0 }},\n");
        json.Append(topExtra is null ? "" : $"  {topExtra},\n");
        json.Append("  \"destinations\": [\n");
        bool first = true;
        foreach ((string name, int port) in destinations)
        {
            json.Append(first ? "" : ",\n");
            json.Append($"    {{ \"name\": \"{name}\", \"host\": \"127.0.0.1\", \"port\": {port}, \"calledAe\": \"PACS\", \"connectTimeoutMs\": 1000, \"acseTimeoutMs\": 2000, \"dimseTimeoutMs\": {dimseTimeoutMs}{(destinationExtra is null ? "" : ", " + destinationExtra)} }}");
            first = false;
        }

        json.Append("\n  ],\n  \"rules\": [");
        json.Append(string.Join(", ", Array.ConvertAll([.. rules ?? []], r => $"\"{r}\"")));
        json.Append("]\n}\n");
        ConfigPath = Path.Combine(Root, "agent.json");
        File.WriteAllText(ConfigPath, json.ToString());
        Config = AgentConfig.Load(ConfigPath);
        Incoming = Config.Resolve("incoming");
        Directory.CreateDirectory(Incoming);
        Agent = new StoreForwardAgent(Config, inputs, outputs, simulate, Log) { Verbose = true };
    }

    public string Root { get; }

    public string ConfigPath { get; }

    public string Incoming { get; }

    public AgentConfig Config { get; }

    public StoreForwardAgent Agent { get; private set; }

    public string LogText
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public void Start() => Agent.Start();

    /// <summary>Stops the agent and starts a fresh one on the same configuration and spool (a clean restart).</summary>
    public async Task RestartAsync(IStatusInputs? inputs = null)
    {
        await Agent.DisposeAsync();
        Agent = new StoreForwardAgent(Config, inputs, null, null, Log) { Verbose = true };
        Agent.Start();
    }

    public DestinationStatus Destination(string name) => Agent.GetStatus().Destinations.Find(d => d.Name == name)!;

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public override string ToString() => LogText;

    private void Log(string line)
    {
        _onLog?.Invoke(line);
        lock (_log)
        {
            _log.Append(DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)).Append(' ').AppendLine(line);
        }
    }
}

internal static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes; the caller asserts on the result.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, int seconds = 20)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
