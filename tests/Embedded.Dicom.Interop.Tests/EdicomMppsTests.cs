using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Embedded.Dicom.Interop.Tests.Harness;

namespace Embedded.Dicom.Interop.Tests;

/// <summary>
/// End to end, two processes: <c>edicom mpps</c> (N-CREATE / N-SET, PS3.4 F.7) against <c>edicom scp --mpps DIR</c>;
/// the instance file the SCP writes is read back with DCMTK's dcmdump (DCMTK has no MPPS SCU or SCP), which
/// also proves it is a valid Part 10 file.
/// </summary>
[Trait("Interop", "dcmtk")]
public sealed class EdicomMppsTests : IDisposable
{
    private readonly TempFolder _temp = new("mpps");

    public void Dispose() => _temp.Dispose();

    private static ToolResult Mpps(int port, params string[] arguments)
    {
        var all = new List<string> { "mpps", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture) };
        all.AddRange(arguments);
        all.AddRange(["--aec", "EDICOM", "--timeout", "20"]);
        return DcmtkTools.RunEdicom(all);
    }

    [Fact]
    public void EdicomMpps_CreateSetCompleted_FileIsUpdated_ThenFurtherSetAndDuplicateCreateAreRefused()
    {
        string folder = _temp.Sub("mpps");
        using ServerProcess scp = EdicomScp.Start(_temp.Sub("out"), "--mpps", folder);
        const string Uid = "1.2.826.0.1.3680043.2.1125.77.1";
        string file = Path.Combine(folder, Uid + ".dcm");

        ToolResult create = Mpps(scp.Port, "create", "--uid", Uid, "-k", "PatientName=DOE^JANE", "-k", "PatientID=P77", "-k", "Modality=CT");
        Assert.True(create.ExitCode == 0, create + "\n" + scp);
        Assert.Contains("status 0x0000", create.Stdout, StringComparison.Ordinal);
        Dictionary<string, string> inProgress = QueryPeers.DumpValues(file);
        Assert.Equal("IN PROGRESS", inProgress["0040,0252"]);
        Assert.Equal("DOE^JANE", inProgress["0010,0010"]);
        string meta = DcmtkTools.RunChecked("dcmdump", ["-Un", file]).Stdout;
        Assert.Contains("(0002,0002) UI [1.2.840.10008.3.1.2.3.3]", meta, StringComparison.Ordinal);
        Assert.Contains($"(0002,0003) UI [{Uid}]", meta, StringComparison.Ordinal);

        ToolResult set = Mpps(scp.Port, "set", "--uid", Uid, "--status", "COMPLETED", "-k", "PerformedProcedureStepEndDate=20261126");
        Assert.True(set.ExitCode == 0, set + "\n" + scp);
        Dictionary<string, string> completed = QueryPeers.DumpValues(file);
        Assert.Equal("COMPLETED", completed["0040,0252"]);
        Assert.Equal("20261126", completed["0040,0250"]);
        Assert.Equal("P77", completed["0010,0020"]);

        ToolResult again = Mpps(scp.Port, "set", "--uid", Uid, "--status", "DISCONTINUED");
        Assert.True(again.ExitCode == 1, again + "\n" + scp);
        Assert.Contains("0x0110", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("may no longer be updated", again.Stdout, StringComparison.Ordinal);

        ToolResult duplicate = Mpps(scp.Port, "create", "--uid", Uid);
        Assert.True(duplicate.ExitCode == 1, duplicate + "\n" + scp);
        Assert.Contains("0x0111", duplicate.Stdout, StringComparison.Ordinal);
        Assert.Equal("COMPLETED", QueryPeers.DumpValues(file)["0040,0252"]);
    }

    [Fact]
    public void EdicomMpps_SetOfUnknownInstance_IsRefused0112()
    {
        using ServerProcess scp = EdicomScp.Start(_temp.Sub("out"), "--mpps", _temp.Sub("mpps"));

        ToolResult set = Mpps(scp.Port, "set", "--uid", "1.2.826.0.1.3680043.2.1125.77.2", "--status", "COMPLETED");

        Assert.True(set.ExitCode == 1, set + "\n" + scp);
        Assert.Contains("0x0112", set.Stdout, StringComparison.Ordinal);
    }
}
