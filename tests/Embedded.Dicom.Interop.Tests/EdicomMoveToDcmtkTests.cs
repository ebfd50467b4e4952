using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Embedded.Dicom.Interop.Tests.Harness;

namespace Embedded.Dicom.Interop.Tests;

/// <summary>
/// <c>edicom move</c> against DCMTK's dcmqrscp (PS3.4 C.4.2): dcmqrscp sends the matching instances to a DCMTK
/// storescp listed in its HostTable, all on 127.0.0.1.
/// </summary>
[Trait("Interop", "dcmtk")]
public sealed class EdicomMoveToDcmtkTests : IDisposable
{
    private const string QrAe = "QRSCP";
    private const string DestAe = "MOVEDEST";

    private readonly TempFolder _temp = new("edicom-move");

    public void Dispose() => _temp.Dispose();

    private (ServerProcess Archive, ServerProcess Destination, string Received) StartPeers()
    {
        string received = _temp.Sub("received");
        ServerProcess destination = StoreScp.Start(received, DestAe);
        ServerProcess archive = RetrievePeers.StartDcmQrScp(_temp.Path, _temp.Sub("db") + "/" + QrAe, QrAe, (DestAe, destination.Port));
        string source = _temp.Sub("objects");
        var files = new List<string>
        {
            QueryPeers.CreateObject(source, new("DOE^JOHN", "PA", "2.25.100", "20240105", "ACC1", "2.25.100.1", "CT")),
            QueryPeers.CreateObject(source, new("DOE^JOHN", "PA", "2.25.100", "20240105", "ACC1", "2.25.100.1", "CT")),
            QueryPeers.CreateObject(source, new("DOE^JOHN", "PA", "2.25.100", "20240105", "ACC1", "2.25.100.2", "CT")),
            QueryPeers.CreateObject(source, new("ROE^RICHARD", "PB", "2.25.300", "20240301", "ACC3", "2.25.300.1", "US")),
        };
        ToolResult store = DcmtkTools.Run("storescu", new[] { "-aec", QrAe, "127.0.0.1", archive.Port.ToString(CultureInfo.InvariantCulture) }.Concat(files));
        Assert.True(store.ExitCode == 0, store + "\n" + archive);
        return (archive, destination, received);
    }

    private static ToolResult EdicomMove(int port, params string[] arguments)
        => DcmtkTools.RunEdicom(new[] { "move", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), "--aec", QrAe, "--timeout", "20" }.Concat(arguments));

    [Fact]
    public void EdicomMoveStudy_ToStoreScp_AllInstancesOfTheStudyArrive()
    {
        (ServerProcess archive, ServerProcess destination, string received) = StartPeers();
        using (archive)
        using (destination)
        {
            ToolResult move = EdicomMove(archive.Port, "--dest", DestAe, "-S", "-k", "StudyInstanceUID=2.25.100");

            Assert.True(move.ExitCode == 0, move + "\n" + archive + "\n" + destination);
            Assert.Contains("final status 0x0000 Success", move.Stdout, StringComparison.Ordinal);
            Assert.Contains("completed 3, failed 0", move.Stdout, StringComparison.Ordinal);
            Assert.Equal(3, Directory.GetFiles(received).Length);
        }
    }

    [Fact]
    public void EdicomMovePatientRootSeries_MovesOnlyThatSeries()
    {
        (ServerProcess archive, ServerProcess destination, string received) = StartPeers();
        using (archive)
        using (destination)
        {
            ToolResult move = EdicomMove(archive.Port, "--dest", DestAe, "-P", "-L", "SERIES", "-k", "PatientID=PA", "-k", "StudyInstanceUID=2.25.100", "-k", "SeriesInstanceUID=2.25.100.2");

            Assert.True(move.ExitCode == 0, move + "\n" + archive);
            Assert.Contains("completed 1, failed 0", move.Stdout, StringComparison.Ordinal);
            Assert.Single(Directory.GetFiles(received));
        }
    }

    [Fact]
    public void EdicomMove_ToUnknownDestination_ReportsA801()
    {
        (ServerProcess archive, ServerProcess destination, string received) = StartPeers();
        using (archive)
        using (destination)
        {
            ToolResult move = EdicomMove(archive.Port, "--dest", "NOSUCHAE", "-S", "-k", "StudyInstanceUID=2.25.100");

            Assert.True(move.ExitCode == 1, move + "\n" + archive);
            Assert.Contains("final status 0xA801", move.Stdout, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(received));
        }
    }
}
