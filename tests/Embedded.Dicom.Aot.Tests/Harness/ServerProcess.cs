using System;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace Embedded.Dicom.Aot.Tests.Harness;

/// <summary>
/// A long-running server (edicom scp, storescp) whose stdout and stderr are collected line by line. It is
/// stopped by its PID only: <see cref="Terminate"/> sends SIGTERM, disposal kills it if it still runs. Every
/// wait is bounded.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();

    public ServerProcess(ProcessStartInfo info, int port = 0)
    {
        CommandLine = Programs.CommandLine(info);
        Port = port;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string CommandLine { get; }

    /// <summary>The process ID.</summary>
    public int Pid => _process.Id;

    /// <summary>The TCP port it listens on; clients only ever use 127.0.0.1.</summary>
    public int Port { get; set; }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything printed so far (stdout and stderr interleaved by line).</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Waits at most <paramref name="timeout"/> until the output matches; returns the match or null.</summary>
    public Match? WaitForOutput(Regex pattern, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        lock (_gate)
        {
            while (true)
            {
                Match match = pattern.Match(_output.ToString());
                if (match.Success)
                {
                    return match;
                }

                TimeSpan left = timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero || _process.HasExited)
                {
                    // One last look: the process may have printed its last line as it exited.
                    Monitor.Wait(_gate, 200);
                    match = pattern.Match(_output.ToString());
                    return match.Success ? match : null;
                }

                Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250));
            }
        }
    }

    /// <summary>
    /// Sends SIGTERM to the PID and waits (bounded) for the process to end; returns its exit code, or fails
    /// the test if it did not stop (disposal then kills it).
    /// </summary>
    public int Terminate()
    {
        if (!_process.HasExited)
        {
            ToolResult kill = Programs.Run(Programs.StartInfo(Programs.Resolve("kill", "procps provides kill"), ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]), TimeSpan.FromSeconds(10));
            Assert.True(kill.ExitCode == 0 || _process.HasExited, kill.ToString());
        }

        Assert.True(_process.WaitForExit(s_stopTimeout), $"SIGTERM did not stop it within {s_stopTimeout.TotalSeconds:0} s\n{this}");
        _process.WaitForExit(); // drains the asynchronous output readers; the process is gone, so this returns
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Programs.KillByPid(_process);
        _process.Dispose();
    }

    /// <summary>A description for assertion messages.</summary>
    public override string ToString() => $"`{CommandLine}` (pid {Pid}, port {Port})\n--- output ---\n{Output}";

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
            Monitor.PulseAll(_gate);
        }
    }
}
