using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace Embedded.Dicom.Aot.Tests.Harness;

/// <summary>
/// One published edicom binary, artifacts/&lt;rid&gt;/edicom under the repository root. linux-x64 runs natively;
/// linux-arm64 runs as <c>qemu-aarch64-static -L /usr/aarch64-linux-gnu edicom ARGS</c> (there is no
/// binfmt_misc registration here: starting the arm64 file directly gives "Exec format error").
/// </summary>
internal sealed class EdicomBinary
{
    /// <summary>The aarch64 glibc that Debian's libc6-dev-arm64-cross installs; qemu loads the binary's libraries from it.</summary>
    public const string Arm64SysRoot = "/usr/aarch64-linux-gnu";

    private EdicomBinary(string rid, bool emulated, string? sysRoot = null)
    {
        Rid = rid;
        Emulated = emulated;
        _sysRoot = sysRoot;
    }

    private readonly string? _sysRoot;

    /// <summary>artifacts/linux-x64/edicom, run natively.</summary>
    public static EdicomBinary X64 { get; } = new("linux-x64", emulated: false);

    /// <summary>artifacts/linux-arm64/edicom, run under qemu-aarch64-static.</summary>
    public static EdicomBinary Arm64 { get; } = new("linux-arm64", emulated: true);

    /// <summary>
    /// artifacts/linux-arm64-bullseye/edicom (linked for glibc 2.31 boards), run under qemu-aarch64-static with the
    /// Debian 11 sysroot build.sh made (artifacts/sysroots/bullseye-arm64): it runs on glibc 2.31 itself.
    /// </summary>
    public static EdicomBinary Arm64Bullseye { get; } = new("linux-arm64-bullseye", emulated: true, "artifacts/sysroots/bullseye-arm64");

    /// <summary>The runtime identifier it was published for.</summary>
    public string Rid { get; }

    /// <summary>True when it runs under qemu.</summary>
    public bool Emulated { get; }

    /// <summary>
    /// The binary's full path. Fails the test (never skips it) when ./build.sh has not produced it: these tests
    /// exist to run the real published binaries, and building them is build.sh's job, not the tests'.
    /// </summary>
    public string Path
    {
        get
        {
            string path = System.IO.Path.Combine(RepositoryRoot.Path, "artifacts", Rid, "edicom");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"{path} is missing: run ./build.sh first (it publishes edicom for linux-x64 and linux-arm64; test.sh runs it before the tests). These tests never build the binaries themselves.");
            }

            return path;
        }
    }

    /// <summary>The start info for <c>edicom ARGS</c>, with <c>TCP_NODELAY=1</c> like every process of these tests.</summary>
    public ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var all = new List<string>();
        string fileName;
        if (Emulated)
        {
            fileName = Programs.Resolve("qemu-aarch64-static", "run ./build.sh, which installs qemu-user-static with the arm64 cross toolchain");
            string sysRoot = _sysRoot is null ? Arm64SysRoot : System.IO.Path.Combine(RepositoryRoot.Path, _sysRoot);
            if (!Directory.Exists(sysRoot))
            {
                throw new InvalidOperationException($"{sysRoot} is missing: run ./build.sh (it installs libc6-dev-arm64-cross and makes the bullseye sysroot).");
            }

            all.AddRange(["-L", sysRoot, Path]);
        }
        else
        {
            fileName = Path;
        }

        all.AddRange(arguments);
        return Programs.StartInfo(fileName, all);
    }

    /// <summary>Runs <c>edicom ARGS</c> to completion within <paramref name="timeout"/>.</summary>
    public ToolResult Run(IEnumerable<string> arguments, TimeSpan? timeout = null)
        => Programs.Run(StartInfo(arguments), timeout ?? Programs.DefaultTimeout);

    /// <summary>Runs <c>edicom ARGS</c> and asserts exit code 0.</summary>
    public ToolResult RunChecked(IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        ToolResult result = Run(arguments, timeout);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public override string ToString() => $"edicom {Rid}{(Emulated ? " (qemu)" : "")}";
}

/// <summary>The repository root: the nearest folder above the test assembly that holds Embedded.sln.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> s_path = new(Find);

    public static string Path => s_path.Value;

    private static string Find()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Embedded.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} holds Embedded.sln");
    }
}
