using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Embedded.Dicom.Native.Tests;

/// <summary>
/// The C ABI as a firmware team uses it: native/harness.c compiled against the published header and linked to
/// the published libedicom.so, then run (arm64 under qemu-aarch64-static) against our SCP started through the
/// C API and DCMTK's storescp, on 127.0.0.1 only.
/// </summary>
[Trait("Native", "c-abi")]
public sealed class NativeHarnessTests : IDisposable
{
    private static readonly string s_root = FindRoot();
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "edicom-native-" + Guid.NewGuid().ToString("N"));

    public NativeHarnessTests() => Directory.CreateDirectory(_scratch);

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void Harness_X64_WithGcc_PassesEveryCheck() => RunHarness("linux-x64", "gcc", qemu: false);

    [Fact]
    public void Harness_Arm64_WithCrossGccUnderQemu_PassesEveryCheck() => RunHarness("linux-arm64", "aarch64-linux-gnu-gcc", qemu: true);

    [Fact]
    public void AgentHarness_X64_EnqueuesAndReadsTheRunningAgent() => RunAgentHarness("linux-x64", "gcc", qemu: false);

    [Fact]
    public void AgentHarness_Arm64_UnderQemu_EnqueuesAndReadsTheRunningAgent() => RunAgentHarness("linux-arm64", "aarch64-linux-gnu-gcc", qemu: true);

    [Fact]
    public void Header_DeclaresExactlyTheExportedFunctions()
    {
        string library = Artifact("linux-x64/libedicom.so");
        string exported = Run("nm", ["-D", "--defined-only", library], TimeSpan.FromSeconds(30)).Output;
        var exports = new System.Collections.Generic.SortedSet<string>(StringComparer.Ordinal);
        foreach (string line in exported.Split('\n'))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3 && parts[1] == "T" && parts[2].StartsWith("edicom_", StringComparison.Ordinal))
            {
                exports.Add(parts[2].Split('@')[0]); // symbol versions: edicom_init@@V1.0
            }
        }

        var declared = new System.Collections.Generic.SortedSet<string>(StringComparer.Ordinal);
        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(
            File.ReadAllText(Artifact("include/edicom.h")), @"\b(edicom_[a-z_0-9]+)\s*\("))
        {
            declared.Add(match.Groups[1].Value);
        }

        Assert.True(exports.Count >= 20, $"only {exports.Count} exports");
        Assert.Equal(declared, exports);
    }

    [Fact]
    public void Example_BuiltWithCMakeThroughPkgConfig_EchoesAndStoresToStorescp()
    {
        string example = Path.Combine(s_root, "src/Embedded.Dicom.Native/examples/c");
        string build = Path.Combine(_scratch, "example-build");
        string pkgConfig = Path.GetDirectoryName(Artifact("lib/pkgconfig/edicom.pc"))!;
        var environment = new System.Collections.Generic.Dictionary<string, string> { ["PKG_CONFIG_PATH"] = pkgConfig };
        var configure = Run("cmake", ["-S", example, "-B", build], TimeSpan.FromMinutes(2), environment);
        Assert.True(configure.ExitCode == 0, configure.Output);
        var compile = Run("cmake", ["--build", build], TimeSpan.FromMinutes(2), environment);
        Assert.True(compile.ExitCode == 0, compile.Output);

        string samples = Path.Combine(_scratch, "samples");
        Assert.Equal(0, Run(Artifact("linux-x64/edicom"), ["demo", "--samples", samples, "--count", "1"], TimeSpan.FromSeconds(60)).ExitCode);
        string received = Path.Combine(_scratch, "storescp");
        Directory.CreateDirectory(received);
        int port = FreePort();
        using Process storescp = Start("storescp", ["-od", received, port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        try
        {
            WaitForPort(port);
            var run = Run(Path.Combine(build, "edicom_example"),
                ["127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), Path.Combine(samples, "sample-0001.dcm"), "1.2.840.10008.5.1.4.1.1.7"],
                TimeSpan.FromMinutes(1));
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("C-ECHO: status 0x0000", run.Output);
            Assert.Contains("C-STORE: status 0x0000", run.Output);
            Assert.Single(Directory.GetFiles(received));
        }
        finally
        {
            storescp.Kill(entireProcessTree: true);
            storescp.WaitForExit(10_000);
        }
    }

    private void RunHarness(string rid, string compiler, bool qemu)
    {
        string library = Artifact($"{rid}/libedicom.so");
        string include = Path.GetDirectoryName(Artifact("include/edicom.h"))!;
        string binary = Path.Combine(_scratch, "harness-" + rid);
        string libraryDirectory = Path.GetDirectoryName(library)!;
        var compile = Run(compiler,
            ["-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-I", include, Path.Combine(s_root, "tests/Embedded.Dicom.Native.Tests/native/harness.c"),
             "-L", libraryDirectory, "-ledicom", "-Wl,-rpath," + libraryDirectory, "-pthread", "-o", binary],
            TimeSpan.FromSeconds(120));
        Assert.True(compile.ExitCode == 0, $"{compiler} failed (install it with ./test.sh):\n{compile.Output}");

        // A Secondary Capture object, written by the x64 CLI: the harness proposes that SOP class.
        string samples = Path.Combine(_scratch, "samples");
        var written = Run(Artifact("linux-x64/edicom"), ["demo", "--samples", samples, "--count", "1"], TimeSpan.FromSeconds(60));
        Assert.True(written.ExitCode == 0, written.Output);
        string sample = Path.Combine(samples, "sample-0001.dcm");

        string received = Path.Combine(_scratch, "storescp");
        Directory.CreateDirectory(received);
        int port = FreePort();
        using Process storescp = Start("storescp", ["-od", received, port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        // Drained: the allocation windows store one instance thousands of times, and storescp warns on each
        // overwrite; unread, its stderr pipe fills and it stops answering.
        storescp.OutputDataReceived += (_, _) => { };
        storescp.ErrorDataReceived += (_, _) => { };
        storescp.BeginOutputReadLine();
        storescp.BeginErrorReadLine();
        try
        {
            WaitForPort(port);
            string[] arguments = [port.ToString(System.Globalization.CultureInfo.InvariantCulture), sample, _scratch];
            var run = qemu
                ? Run("qemu-aarch64-static", ["-L", "/usr/aarch64-linux-gnu", binary, .. arguments], TimeSpan.FromMinutes(4))
                : Run(binary, arguments, TimeSpan.FromMinutes(2));
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains(", 0 failed", run.Output);
            Assert.Contains("allocates 0 bytes per call in steady state", run.Output);
            Assert.Equal(2, Directory.GetFiles(received).Length); // the Part 10 file, and the data set stored from memory over and over
            Assert.Equal(4, Directory.GetFiles(Path.Combine(_scratch, "received")).Length);
        }
        finally
        {
            storescp.Kill(entireProcessTree: true);
            storescp.WaitForExit(10_000);
        }
    }

    /// <summary>
    /// native/agent.c against a running `edicom agent` (sim board) that forwards to a running `edicom scp`: both
    /// objects the C program enqueues (a file, a data set from memory) must arrive at the SCP.
    /// </summary>
    private void RunAgentHarness(string rid, string compiler, bool qemu)
    {
        string library = Artifact($"{rid}/libedicom.so");
        string include = Path.GetDirectoryName(Artifact("include/edicom.h"))!;
        string binary = Path.Combine(_scratch, "agent-" + rid);
        string libraryDirectory = Path.GetDirectoryName(library)!;
        var compile = Run(compiler,
            ["-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-I", include, Path.Combine(s_root, "tests/Embedded.Dicom.Native.Tests/native/agent.c"),
             "-L", libraryDirectory, "-ledicom", "-Wl,-rpath," + libraryDirectory, "-o", binary],
            TimeSpan.FromSeconds(120));
        Assert.True(compile.ExitCode == 0, $"{compiler} failed (install it with ./test.sh):\n{compile.Output}");

        string edicom = Artifact("linux-x64/edicom");
        string samples = Path.Combine(_scratch, "samples");
        Assert.Equal(0, Run(edicom, ["demo", "--samples", samples, "--count", "1"], TimeSpan.FromSeconds(60)).ExitCode);
        string junk = Path.Combine(_scratch, "notes.txt");
        File.WriteAllText(junk, "not DICOM");
        string received = Path.Combine(_scratch, "received-agent");
        Directory.CreateDirectory(received);
        int port = FreePort();
        using Process scp = Start(edicom, ["scp", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", received]);
        string config = Path.Combine(_scratch, "agent.json");
        File.WriteAllText(config, $$"""
            { "incoming": "incoming", "spool": "spool", "quarantine": "quarantine", "settleMs": 0, "scanIntervalMs": 100,
              "destinations": [ { "name": "pacs", "host": "127.0.0.1", "port": {{port}}, "calledAe": "EDICOM" } ] }
            """);
        using Process agent = Start(edicom, ["agent", "--board", Path.Combine(s_root, "boards", "sim"), "--config", config]);
        try
        {
            WaitForPort(port);
            for (int i = 0; i < 200 && !File.Exists(Path.Combine(_scratch, "spool", "agent.sock")); i++)
            {
                Thread.Sleep(50);
            }

            string[] arguments = [config, Path.Combine(samples, "sample-0001.dcm"), junk];
            var run = qemu
                ? Run("qemu-aarch64-static", ["-L", "/usr/aarch64-linux-gnu", binary, .. arguments], TimeSpan.FromMinutes(4))
                : Run(binary, arguments, TimeSpan.FromMinutes(2));
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains(", 0 failed", run.Output);
            Assert.Equal(2, Directory.GetFiles(received, "*.dcm").Length);
            Assert.True(File.Exists(Path.Combine(received, "1.2.826.0.1.3680043.10.1000.7.dcm")), "the data set enqueued from memory arrived");
            Assert.Empty(Directory.GetFiles(Path.Combine(_scratch, "incoming"))); // the refused ones never got there
        }
        finally
        {
            foreach (Process process in (Process[])[agent, scp])
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
    }

    private static string Artifact(string relative)
    {
        string path = Path.Combine(s_root, "artifacts", relative);
        Assert.True(File.Exists(path), $"{path} is missing: run ./build.sh (the README's test command does)");
        return path;
    }

    private static (int ExitCode, string Output) Run(string file, string[] arguments, TimeSpan timeout,
        System.Collections.Generic.Dictionary<string, string>? environment = null)
    {
        using Process process = Start(file, arguments, environment);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} did not finish within {timeout}:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private static Process Start(string file, string[] arguments, System.Collections.Generic.Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TCP_NODELAY"] = "1";
        try
        {
            return Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run {file}: {e.Message} (the README's test command installs it)", e);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void WaitForPort(int port)
    {
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        Assert.Fail($"nothing listens on 127.0.0.1:{port}");
    }

    private static string FindRoot()
    {
        for (string? directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "Embedded.sln")))
            {
                return directory;
            }
        }

        throw new InvalidOperationException("Embedded.sln not found above " + AppContext.BaseDirectory);
    }
}
