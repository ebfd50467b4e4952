using System;
using System.Globalization;
using System.Text.RegularExpressions;
using Embedded.Dicom.Interop.Tests.Harness;

namespace Embedded.Dicom.Interop.Tests;

/// <summary>Verification (C-ECHO) between DCMTK and edicom, both directions, and the SCP's lifecycle.</summary>
[Trait("Interop", "dcmtk")]
public sealed class EchoInteropTests : IDisposable
{
    private readonly TempFolder _temp = new("echo");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void EchoScu_ToEdicomScp_Succeeds()
    {
        using ServerProcess scp = EdicomScp.Start(_temp.Sub("out"));

        ToolResult echo = DcmtkTools.Run("echoscu", ["-v", "-aec", "EDICOM", "-to", "10", "-ta", "10", "-td", "10", "127.0.0.1", Port(scp)]);

        Assert.True(echo.ExitCode == 0, echo.ToString());
        Assert.Contains("Received Echo Response (Success)", echo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void EchoScu_HundredEchoesOnOneAssociation_AllSucceed()
    {
        using ServerProcess scp = EdicomScp.Start(_temp.Sub("out"));

        ToolResult echo = DcmtkTools.Run("echoscu", ["-v", "--repeat", "100", "-aec", "EDICOM", "-to", "10", "-ta", "10", "-td", "10", "127.0.0.1", Port(scp)]);

        Assert.True(echo.ExitCode == 0, echo.ToString());
        Assert.Single(Regex.Matches(echo.Output, "Requesting Association"));
        Assert.Equal(100, Regex.Matches(echo.Output, @"Received Echo Response \(Success\)").Count);
        Assert.Equal(1, EdicomScp.AcceptedAssociations(scp, 1));
    }

    [Fact]
    public void EdicomEcho_ToStoreScp_SucceedsTenTimesOnOneAssociation()
    {
        using ServerProcess storescp = StoreScp.Start(_temp.Sub("storescp"), "STORESCP");

        ToolResult echo = DcmtkTools.RunEdicom(["echo", "127.0.0.1", Port(storescp), "--aec", "STORESCP", "--repeat", "10", "--timeout", "10"]);

        Assert.True(echo.ExitCode == 0, echo.ToString());
        Assert.Contains("10/10 succeeded", echo.Stdout, StringComparison.Ordinal);
        Assert.Equal("", echo.Stderr.Trim());
    }

    [Fact]
    public void EdicomScp_Sigterm_StopsWithExitCodeZero()
    {
        using ServerProcess scp = EdicomScp.Start(_temp.Sub("out"));
        ToolResult echo = DcmtkTools.Run("echoscu", ["-aec", "EDICOM", "-to", "10", "-ta", "10", "-td", "10", "127.0.0.1", Port(scp)]);
        Assert.True(echo.ExitCode == 0, echo.ToString());

        ToolResult kill = DcmtkTools.RunProgram("kill", ["-TERM", scp.Pid.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(kill.ExitCode == 0, kill.ToString());

        Assert.True(scp.WaitForExit(TimeSpan.FromSeconds(20)), "edicom scp did not stop within 20 s of SIGTERM\n" + scp);
        Assert.True(scp.ExitCode == 0, $"edicom scp exited {scp.ExitCode} after SIGTERM\n{scp}");
    }

    private static string Port(ServerProcess server) => server.Port.ToString(CultureInfo.InvariantCulture);
}
