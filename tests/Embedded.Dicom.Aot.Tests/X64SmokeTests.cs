using Embedded.Dicom.Aot.Tests.Harness;

namespace Embedded.Dicom.Aot.Tests;

/// <summary>The published linux-x64 binary talking to itself: the host-side smoke test of what ships.</summary>
public class X64SmokeTests
{
    [Fact]
    public void Echo_X64ToX64Scp_Succeeds() => Scenarios.Echo(EdicomBinary.X64, EdicomBinary.X64);

    [Fact]
    public void Store_X64ToX64Scp_ObjectsArriveIntact() => Scenarios.StoreToEdicom(EdicomBinary.X64, EdicomBinary.X64);
}
