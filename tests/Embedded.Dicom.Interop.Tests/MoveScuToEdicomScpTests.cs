using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Embedded.Dicom.Interop.Tests.Harness;

namespace Embedded.Dicom.Interop.Tests;

/// <summary>
/// DCMTK's movescu against <c>edicom scp --qr --move-dest</c> (the C-MOVE SCP, PS3.4 C.4.2.3), with a DCMTK
/// storescp as the move destination, all on 127.0.0.1.
/// </summary>
[Trait("Interop", "dcmtk")]
public sealed class MoveScuToEdicomScpTests : IDisposable
{
    private const string DestAe = "MOVEDEST";

    private readonly TempFolder _temp = new("edicom-move-scp");

    public void Dispose() => _temp.Dispose();

    private (ServerProcess Scp, ServerProcess Destination, string Received) StartPeers()
    {
        string archive = _temp.Sub("archive");
        QueryPeers.CreateObject(archive, new("DOE^JOHN", "PA", "2.25.100", "20240105", "ACC1", "2.25.100.1", "CT"));
        QueryPeers.CreateObject(archive, new("DOE^JOHN", "PA", "2.25.100", "20240105", "ACC1", "2.25.100.1", "CT"));
        QueryPeers.CreateObject(archive, new("DOE^JOHN", "PA", "2.25.100", "20240105", "ACC1", "2.25.100.2", "CT"));
        QueryPeers.CreateObject(archive, new("ROE^RICHARD", "PB", "2.25.300", "20240301", "ACC3", "2.25.300.1", "US"));
        string received = _temp.Sub("received");
        ServerProcess destination = StoreScp.Start(received, DestAe);
        ServerProcess scp = EdicomScp.Start(archive, "--qr", "--move-dest", $"{DestAe}=127.0.0.1:{destination.Port.ToString(CultureInfo.InvariantCulture)}");
        return (scp, destination, received);
    }

    private static ToolResult MoveScu(int port, string destinationAe, params string[] arguments)
        => DcmtkTools.Run("movescu", new[] { "-v", "-aec", "EDICOM", "-aem", destinationAe, "-to", "5", "-ta", "10", "-td", "20" }
            .Concat(arguments).Concat(["127.0.0.1", port.ToString(CultureInfo.InvariantCulture)]));

    [Fact]
    public void MoveScuStudy_ToStoreScp_AllInstancesOfTheStudyArrive()
    {
        (ServerProcess scp, ServerProcess destination, string received) = StartPeers();
        using (scp)
        using (destination)
        {
            ToolResult move = MoveScu(scp.Port, DestAe, "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=2.25.100");

            Assert.True(move.ExitCode == 0, move + "\n" + scp + "\n" + destination);
            Assert.Contains("Final Move Response (Success)", move.Output, StringComparison.Ordinal);
            Assert.Equal(3, Directory.GetFiles(received).Length);
        }
    }

    [Fact]
    public void MoveScuPatientRootSeries_MovesOnlyThatSeries()
    {
        (ServerProcess scp, ServerProcess destination, string received) = StartPeers();
        using (scp)
        using (destination)
        {
            ToolResult move = MoveScu(scp.Port, DestAe, "-P", "-k", "QueryRetrieveLevel=SERIES", "-k", "PatientID=PA", "-k", "StudyInstanceUID=2.25.100",
                "-k", "SeriesInstanceUID=2.25.100.2");

            Assert.True(move.ExitCode == 0, move + "\n" + scp);
            Assert.Single(Directory.GetFiles(received));
        }
    }

    [Fact]
    public void MoveScu_ToUnknownDestination_GetsA801()
    {
        (ServerProcess scp, ServerProcess destination, string received) = StartPeers();
        using (scp)
        using (destination)
        {
            // movescu 3.6.7 exits 69 (EX_UNAVAILABLE) on a refused move and names the status.
            ToolResult move = MoveScu(scp.Port, "NOSUCHAE", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=2.25.100");

            Assert.True(move.Output.Contains("Received Final Move Response (Refused: MoveDestinationUnknown)", StringComparison.Ordinal), move.ToString());
            Assert.Empty(Directory.GetFiles(received));
        }
    }
}
