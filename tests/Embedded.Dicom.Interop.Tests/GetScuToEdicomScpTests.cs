using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Embedded.Dicom.Interop.Tests.Harness;

namespace Embedded.Dicom.Interop.Tests;

/// <summary>
/// DCMTK's getscu against <c>edicom scp --qr</c> (the C-GET SCP, PS3.4 C.4.3.3): the C-STOREs come back on the
/// same association, on the storage contexts getscu proposed with the SCP role (PS3.7 D.3.3.4).
/// </summary>
[Trait("Interop", "dcmtk")]
public sealed class GetScuToEdicomScpTests : IDisposable
{
    private readonly TempFolder _temp = new("edicom-get-scp");

    public void Dispose() => _temp.Dispose();

    private ServerProcess StartScp()
    {
        string archive = _temp.Sub("archive");
        QueryPeers.CreateObject(archive, new("DOE^JOHN", "PA", "2.25.100", "20240105", "ACC1", "2.25.100.1", "CT"));
        QueryPeers.CreateObject(archive, new("DOE^JOHN", "PA", "2.25.100", "20240105", "ACC1", "2.25.100.1", "CT"));
        QueryPeers.CreateObject(archive, new("DOE^JOHN", "PA", "2.25.100", "20240105", "ACC1", "2.25.100.2", "CT"));
        QueryPeers.CreateObject(archive, new("ROE^RICHARD", "PB", "2.25.300", "20240301", "ACC3", "2.25.300.1", "US"));
        return EdicomScp.Start(archive, "--qr");
    }

    private static ToolResult GetScu(int port, string output, params string[] arguments)
        => DcmtkTools.Run("getscu", new[] { "-v", "-aec", "EDICOM", "-to", "5", "-ta", "10", "-td", "20", "-od", output }
            .Concat(arguments).Concat(["127.0.0.1", port.ToString(CultureInfo.InvariantCulture)]));

    [Fact]
    public void GetScuStudy_ReceivesEveryInstanceOfTheStudy()
    {
        using ServerProcess scp = StartScp();
        string output = _temp.Sub("got");

        ToolResult get = GetScu(scp.Port, output, "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=2.25.100");

        Assert.True(get.ExitCode == 0, get + "\n" + scp);
        Assert.Contains("Received C-GET Response (Success)", get.Output, StringComparison.Ordinal);
        Assert.Contains("Number of Completed Suboperations : 3", get.Output, StringComparison.Ordinal);
        Assert.Contains("Number of Failed Suboperations    : 0", get.Output, StringComparison.Ordinal);
        string[] files = Directory.GetFiles(output);
        Assert.True(files.Length == 3, get + "\n" + scp);
        Assert.All(files, f => Assert.Equal("2.25.100", QueryPeers.DumpValues(f)["0020,000d"]));
    }

    [Fact]
    public void GetScuImage_ReceivesTheOneInstance()
    {
        using ServerProcess scp = StartScp();
        string output = _temp.Sub("got");

        ToolResult get = GetScu(scp.Port, output, "-P", "-k", "QueryRetrieveLevel=SERIES", "-k", "PatientID=PB", "-k", "StudyInstanceUID=2.25.300",
            "-k", "SeriesInstanceUID=2.25.300.1");

        Assert.True(get.ExitCode == 0, get + "\n" + scp);
        Assert.Single(Directory.GetFiles(output));
    }
}
