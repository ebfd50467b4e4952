using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace Embedded.Dicom.Interop.Tests.Harness;

/// <summary>
/// A long-running server process (edicom scp, storescp) whose stdout and stderr are collected line by line
/// while it runs. Disposal kills it by PID if it is still running; every wait is bounded.
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
