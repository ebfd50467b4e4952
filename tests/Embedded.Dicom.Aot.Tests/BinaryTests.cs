using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Embedded.Dicom.Aot.Tests.Harness;

namespace Embedded.Dicom.Aot.Tests;

/// <summary>What the published files are, before anything runs them.</summary>
public partial class BinaryTests
{
    /// <summary>
    /// The newest glibc symbol version the arm64 binary may need. Linked against Debian 12's cross glibc 2.36,
    /// NativeAOT output needs GLIBC_2.34 (pthread and dl* moved into libc there); boards with an older glibc
    /// need a publish against their own sysroot (boards/*/Board.props SysRoot), not a silent raise of this floor.
    /// </summary>
    private static readonly Version s_arm64GlibcFloor = new(2, 34);

    private const ushort ElfMachineX86_64 = 62;
    private const ushort ElfMachineAArch64 = 183;

    [Fact]
    public void X64Binary_IsX86_64Elf() => AssertElf(EdicomBinary.X64.Path, ElfMachineX86_64);

    [Fact]
    public void Arm64Binary_IsAArch64Elf() => AssertElf(EdicomBinary.Arm64.Path, ElfMachineAArch64);

    [Fact]
    public void Arm64Binary_NeedsNoGlibcNewerThanFloor() => AssertGlibcFloor(EdicomBinary.Arm64.Path, s_arm64GlibcFloor);

    /// <summary>The bullseye build (edicom and libedicom.so) runs on glibc 2.31: Debian 11, Raspberry Pi OS bullseye, Ubuntu 20.04.</summary>
    [Fact]
    public void Arm64BullseyeArtifacts_NeedNoGlibcNewerThan231()
    {
        AssertGlibcFloor(EdicomBinary.Arm64Bullseye.Path, new Version(2, 31));
        AssertGlibcFloor(Path.Combine(Path.GetDirectoryName(EdicomBinary.Arm64Bullseye.Path)!, "libedicom.so"), new Version(2, 31));
    }

    private static void AssertGlibcFloor(string path, Version floor)
    {
        string readelf = Programs.Resolve("aarch64-linux-gnu-readelf", "run ./build.sh, which installs binutils-aarch64-linux-gnu for linux-arm64");
        ToolResult versions = Programs.Run(Programs.StartInfo(readelf, ["-V", "--wide", path]), Programs.DefaultTimeout);
        Assert.True(versions.ExitCode == 0, versions.ToString());

        Version[] needed = GlibcVersion().Matches(versions.Stdout).Select(m => new Version(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).Distinct().ToArray();
        Assert.NotEmpty(needed);
        Version newest = needed.Max()!;
        Assert.True(newest <= floor, $"{path} needs GLIBC_{newest}, newer than the documented floor GLIBC_{floor}");
    }

    private static void AssertElf(string path, ushort machine)
    {
        // ELF header: 7F 'E' 'L' 'F', EI_CLASS 2 = 64-bit, EI_DATA 1 = little-endian; e_machine at offset 18.
        byte[] header = new byte[20];
        using (FileStream file = File.OpenRead(path))
        {
            file.ReadExactly(header);
        }

        Assert.Equal([0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1], header[..6]);
        Assert.Equal(machine, BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(18)));
    }

    [GeneratedRegex(@"GLIBC_(\d+)\.(\d+)")]
    private static partial Regex GlibcVersion();
}
