using Embedded.Dicom.Aot.Tests.Harness;

namespace Embedded.Dicom.Aot.Tests;

/// <summary>
/// The published linux-arm64 binary under qemu-aarch64-static, as SCU and as SCP, against the x64 binary and
/// against DCMTK. qemu timings say nothing about a board, so nothing here looks at the clock.
/// </summary>
public class Arm64UnderQemuTests
{
    [Fact]
    public void Echo_Arm64ToX64Scp_Succeeds() => Scenarios.Echo(EdicomBinary.Arm64, EdicomBinary.X64);

    [Fact]
    public void Store_Arm64ToX64Scp_ObjectsArriveIntact() => Scenarios.StoreToEdicom(EdicomBinary.Arm64, EdicomBinary.X64);

    [Fact]
    public void Store_Arm64ToStorescp_ObjectsArriveIntact() => Scenarios.StoreToStorescp(EdicomBinary.Arm64);

    [Fact]
    public void Scp_Arm64_ReceivesFromX64Store() => Scenarios.StoreToEdicom(EdicomBinary.X64, EdicomBinary.Arm64);

    [Fact]
    public void Scp_Arm64_ReceivesFromStorescu() => Scenarios.StorescuToEdicom(EdicomBinary.Arm64);

    // The build for glibc 2.31 boards, run on the Debian 11 C library itself.
    [Fact]
    public void Echo_Arm64BullseyeOnGlibc231ToX64Scp_Succeeds() => Scenarios.Echo(EdicomBinary.Arm64Bullseye, EdicomBinary.X64);

    [Fact]
    public void Store_Arm64BullseyeOnGlibc231ToX64Scp_ObjectsArriveIntact() => Scenarios.StoreToEdicom(EdicomBinary.Arm64Bullseye, EdicomBinary.X64);

    [Fact]
    public void Scp_Arm64BullseyeOnGlibc231_ReceivesFromStorescu() => Scenarios.StorescuToEdicom(EdicomBinary.Arm64Bullseye);
}
