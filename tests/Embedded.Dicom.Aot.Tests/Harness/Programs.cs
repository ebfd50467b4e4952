using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Embedded.Dicom.Aot.Tests.Harness;

/// <summary>What a finished program run printed and returned.</summary>
internal sealed record ToolResult(string CommandLine, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>A description for assertion messages.</summary>
    public override string ToString() => $"`{CommandLine}` exited {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Child processes with bounded waits: a program that outlives its timeout is killed by PID and the test fails
/// with what it printed. Every child gets <c>TCP_NODELAY=1</c> (DCMTK defaults to Nagle, which adds
/// delayed-ACK stalls to every request/response; edicom ignores the variable).
/// </summary>
internal static class Programs
{
    /// <summary>Bound for one client run (echo, store, dcmdump …); generous for qemu, never reached when things work.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The full path of <paramref name="program"/> on PATH; fails the test with <paramref name="hint"/> when it is missing.</summary>
    public static string Resolve(string program, string hint)
    {
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"'{program}' is not on PATH: {hint}.");
    }

    /// <summary>A DCMTK tool (storescp, storescu, echoscu, dcmdump).</summary>
    public static string Dcmtk(string tool) => Resolve(tool, "run ./test.sh (it installs the Debian 'dcmtk' package) or apt-get install dcmtk");

    public static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["TCP_NODELAY"] = "1";
        return info;
    }

    /// <summary>Runs a program to completion within <paramref name="timeout"/>.</summary>
    public static ToolResult Run(ProcessStartInfo info, TimeSpan timeout)
    {
        string commandLine = CommandLine(info);
        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {commandLine}");
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            KillByPid(process);
            string partialOut = stdout.Wait(2000) ? stdout.Result : "";
            string partialErr = stderr.Wait(2000) ? stderr.Result : "";
            throw new TimeoutException($"`{commandLine}` did not end within {timeout.TotalSeconds:0} s and was killed\n--- stdout ---\n{partialOut}\n--- stderr ---\n{partialErr}");
        }

        // The process has ended and its pipes are closed, so these complete (bounded anyway).
        string output = stdout.Wait(10_000) ? stdout.Result : "(stdout not collected)";
        string errors = stderr.Wait(10_000) ? stderr.Result : "(stderr not collected)";
        return new ToolResult(commandLine, process.ExitCode, output, errors);
    }

    /// <summary>Runs a DCMTK tool and asserts exit code 0.</summary>
    public static ToolResult RunDcmtkChecked(string tool, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        ToolResult result = Run(StartInfo(Dcmtk(tool), arguments, workingDirectory), DefaultTimeout);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>Kills a process (and anything it started) by its PID if it still runs; bounded wait.</summary>
    public static void KillByPid(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public static string CommandLine(ProcessStartInfo info)
        => string.Join(' ', info.ArgumentList.Prepend(info.FileName).Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) ? $"'{a}'" : a));
}

/// <summary>A fresh folder under the system temp folder, deleted with everything in it on disposal.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"edicom-aot-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>Creates (if needed) and returns a sub-folder.</summary>
    public string Sub(string name)
    {
        string path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a server killed a moment ago may still hold a file.
        }
    }
}
