using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Embedded.Dicom.Interop.Tests.Harness;

/// <summary>What a finished tool run printed and returned.</summary>
internal sealed record ToolResult(string CommandLine, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout and stderr together, for "the output mentions …" checks.</summary>
    public string Output => Stdout + Stderr;

    /// <summary>A description for assertion messages.</summary>
    public override string ToString() => $"`{CommandLine}` exited {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs the DCMTK tools and the edicom CLI as child processes, always with <c>TCP_NODELAY=1</c> (DCMTK
/// defaults to Nagle, which adds delayed-ACK stalls to every request/response) and always with a bounded wait:
/// a tool that outlives its timeout is killed by PID and the test fails with what it printed so far.
/// </summary>
internal static class DcmtkTools
{
    /// <summary>Bound for one short tool run (dcmdump, dump2dcm, echoscu …).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string> s_resolved = new(StringComparer.Ordinal);

    /// <summary>The full path of a DCMTK tool on PATH; fails the test with a clear message when it is missing.</summary>
    public static string Resolve(string tool)
    {
        lock (s_resolved)
        {
            if (s_resolved.TryGetValue(tool, out string? known))
            {
                return known;
            }

            string? found = FindOnPath(tool);
            if (found is not null)
            {
                s_resolved[tool] = found;
                return found;
            }
        }

        throw new InvalidOperationException(
            $"DCMTK tool '{tool}' is not on PATH. These interop tests need DCMTK 3.6.7: run ./test.sh (it installs the Debian 'dcmtk' package) or `apt-get install dcmtk`.");
    }

    private static string? FindOnPath(string program)
    {
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The edicom CLI under test, built next to this assembly.</summary>
    public static string EdicomDll
    {
        get
        {
            string path = Path.Combine(AppContext.BaseDirectory, "edicom.dll");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"edicom.dll is missing from {AppContext.BaseDirectory}; the project reference to Embedded.Dicom.Cli should copy it there.");
            }

            return path;
        }
    }

    /// <summary>The dotnet host that runs edicom.dll.</summary>
    public static string DotnetHost
    {
        get
        {
            string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host))
            {
                return host;
            }

            string? current = Environment.ProcessPath;
            if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
            {
                return current;
            }

            return "dotnet";
        }
    }

    /// <summary>Runs a DCMTK tool to completion within <paramref name="timeout"/>.</summary>
    public static ToolResult Run(string tool, IEnumerable<string> arguments, TimeSpan? timeout = null, string? workingDirectory = null)
        => RunProcess(Resolve(tool), arguments, timeout ?? DefaultTimeout, workingDirectory);

    /// <summary>Runs <c>dotnet edicom.dll ARGS</c> to completion within <paramref name="timeout"/>.</summary>
    public static ToolResult RunEdicom(IEnumerable<string> arguments, TimeSpan? timeout = null)
        => RunProcess(DotnetHost, arguments.Prepend(EdicomDll), timeout ?? DefaultTimeout, null);

    /// <summary>Runs a program found on PATH that is not part of DCMTK (e.g. <c>kill</c>) within a bound.</summary>
    public static ToolResult RunProgram(string program, IEnumerable<string> arguments, TimeSpan? timeout = null)
        => RunProcess(FindOnPath(program) ?? throw new InvalidOperationException($"'{program}' is not on PATH"), arguments, timeout ?? DefaultTimeout, null);

    /// <summary>Runs a tool and asserts exit code 0, returning its result.</summary>
    public static ToolResult RunChecked(string tool, IEnumerable<string> arguments, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        ToolResult result = Run(tool, arguments, timeout, workingDirectory);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>
    /// Starts a tool without waiting for it (to run several at once); <see cref="RunningTool.WaitForExit"/>
    /// collects it within a bound.
    /// </summary>
    public static RunningTool Start(string tool, IEnumerable<string> arguments, string? workingDirectory = null)
        => new(CreateStartInfo(Resolve(tool), arguments, workingDirectory));

    /// <summary>Starts <c>dotnet edicom.dll ARGS</c> without waiting for it.</summary>
    public static RunningTool StartEdicom(IEnumerable<string> arguments)
        => new(CreateStartInfo(DotnetHost, arguments.Prepend(EdicomDll), null));

    internal static ProcessStartInfo CreateStartInfo(string fileName, IEnumerable<string> arguments, string? workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["TCP_NODELAY"] = "1";
        return info;
    }

    private static ToolResult RunProcess(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory)
    {
        using var tool = new RunningTool(CreateStartInfo(fileName, arguments, workingDirectory));
        return tool.WaitForExit(timeout);
    }
}

/// <summary>A started child process whose output is being collected; killed by PID on disposal if still running.</summary>
internal sealed class RunningTool : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    public RunningTool(ProcessStartInfo info)
    {
        CommandLine = string.Join(' ', info.ArgumentList.Prepend(info.FileName).Select(Quote));
        _process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {info.FileName}");
        _process.StandardInput.Close();
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    /// <summary>The command line, for messages.</summary>
    public string CommandLine { get; }

    /// <summary>The process ID.</summary>
    public int Pid => _process.Id;

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Waits at most <paramref name="timeout"/>; a process still running then is killed and the test fails.</summary>
    public ToolResult WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            Kill();
            string partialOut = _stdout.Wait(2000) ? _stdout.Result : "";
            string partialErr = _stderr.Wait(2000) ? _stderr.Result : "";
            throw new TimeoutException($"`{CommandLine}` did not end within {timeout.TotalSeconds:0} s and was killed\n--- stdout ---\n{partialOut}\n--- stderr ---\n{partialErr}");
        }

        // The process has ended: its pipes close, so these complete (bounded anyway).
        string stdout = _stdout.Wait(10_000) ? _stdout.Result : "(stdout not collected)";
        string stderr = _stderr.Wait(10_000) ? _stderr.Result : "(stderr not collected)";
        return new ToolResult(CommandLine, _process.ExitCode, stdout, stderr);
    }

    /// <summary>Kills the process (by its PID) if it is still running.</summary>
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

    private static string Quote(string argument) => argument.Length == 0 || argument.Any(char.IsWhiteSpace) ? $"'{argument}'" : argument;
}
