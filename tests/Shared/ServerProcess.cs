using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace Embedded.Dicom.Tests.Shared;

/// <summary>
/// A long-running server process (edicom scp, storescp) whose stdout and stderr are collected line by line
/// while it runs. It is stopped by its PID only: <see cref="Terminate"/> sends SIGTERM, disposal kills it if
/// it still runs. Every wait is bounded. Shared source of the interop and AOT test projects (linked).
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();

    public ServerProcess(ProcessStartInfo info, int port = 0)
    {
        CommandLine = string.Join(' ', info.ArgumentList.Prepend(info.FileName));
        Port = port;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The command line, for messages.</summary>
    public string CommandLine { get; }

    /// <summary>The process ID (servers are stopped by PID, never by name).</summary>
    public int Pid => _process.Id;

    /// <summary>The TCP port it listens on (on every interface for DCMTK; clients use 127.0.0.1 only).</summary>
    public int Port { get; set; }

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code (after it has exited).</summary>
    public int ExitCode => _process.ExitCode;

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

    /// <summary>Waits (at most <paramref name="timeout"/>) until the output matches; returns the match or null.</summary>
    public Match? WaitForOutput(Regex pattern, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (true)
            {
                Match match = pattern.Match(_output.ToString());
                if (match.Success)
                {
                    return match;
                }

                TimeSpan left = deadline - DateTime.UtcNow;
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
    /// How many times <paramref name="pattern"/> occurs in the output once it occurs at least
    /// <paramref name="expected"/> times, or after <paramref name="timeout"/> (a log line may trail the client's exit).
    /// </summary>
    public int WaitForCount(Regex pattern, int expected, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (true)
            {
                int count = pattern.Matches(_output.ToString()).Count;
                TimeSpan left = deadline - DateTime.UtcNow;
                if (count >= expected || left <= TimeSpan.Zero)
                {
                    return count;
                }

                Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250));
            }
        }
    }

    /// <summary>Waits at most <paramref name="timeout"/> for the process to end; true if it did.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            return false;
        }

        _process.WaitForExit(); // drains the asynchronous output readers; the process is gone, so this returns
        return true;
    }

    /// <summary>
    /// Sends SIGTERM to the PID and waits (bounded) for the process to end; returns its exit code, or fails the
    /// test if it did not stop (disposal then kills it).
    /// </summary>
    public int Terminate()
    {
        TimeSpan stopTimeout = TimeSpan.FromSeconds(15);
        if (!_process.HasExited)
        {
            var start = new ProcessStartInfo("kill") { RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-TERM");
            start.ArgumentList.Add(Pid.ToString(CultureInfo.InvariantCulture));
            using Process kill = Process.Start(start)!;
            Assert.True(kill.WaitForExit(10_000), "kill did not finish");
            Assert.True(kill.ExitCode == 0 || _process.HasExited, "kill -TERM failed: " + kill.StandardError.ReadToEnd());
        }

        Assert.True(WaitForExit(stopTimeout), $"SIGTERM did not stop it within {stopTimeout.TotalSeconds:0} s\n{this}");
        return _process.ExitCode;
    }

    /// <summary>Kills the process by PID if it still runs (bounded wait).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Kill();
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
