using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Embedded.Dicom.Interop.Tests.Harness;

namespace Embedded.Dicom.Interop.Tests;

/// <summary>
/// <c>edicom get</c> against DCMTK's dcmqrscp (PS3.4 C.4.3): the instances come back as C-STOREs on the same
/// association, on the storage contexts for which edicom asked the SCP role (PS3.7 D.3.3.4).
/// </summary>
[Trait("Interop", "dcmtk")]
public sealed class EdicomGetToDcmtkTests : IDisposable
{
    private const string QrAe = "QRSCP";

    private readonly TempFolder _temp = new("edicom-get");

    public void Dispose() => _temp.Dispose();

    private ServerProcess StartArchive()
    {
        ServerProcess archive = RetrievePeers.StartDcmQrScp(_temp.Path, _temp.Sub("db") + "/" + QrAe, QrAe);
        string source = _temp.Sub("objects");
        var files = new List<string>
        {
            QueryPeers.CreateObject(source, new("DOE^JOHN", "PA", "2.25.100", "20240105", "ACC1", "2.25.100.1", "CT")),
            QueryPeers.CreateObject(source, new("DOE^JOHN", "PA", "2.25.100", "20240105", "ACC1", "2.25.100.2", "CT")),
            QueryPeers.CreateObject(source, new("ROE^RICHARD", "PB", "2.25.300", "20240301", "ACC3", "2.25.300.1", "US")),
        };
        ToolResult store = DcmtkTools.Run("storescu", new[] { "-aec", QrAe, "127.0.0.1", archive.Port.ToString(CultureInfo.InvariantCulture) }.Concat(files));
        Assert.True(store.ExitCode == 0, store + "\n" + archive);
        return archive;
    }

    [Fact]
    public void EdicomGetStudy_FromDcmqrscp_WritesEveryInstance()
    {
        using ServerProcess archive = StartArchive();
        string output = _temp.Sub("got");

        ToolResult get = DcmtkTools.RunEdicom(["get", "127.0.0.1", archive.Port.ToString(CultureInfo.InvariantCulture), "--aec", QrAe, "--timeout", "20",
            "-S", "-k", "StudyInstanceUID=2.25.100", "--out", output]);

        Assert.True(get.ExitCode == 0, get + "\n" + archive);
        Assert.Contains("2 received, final status 0x0000 Success", get.Stdout, StringComparison.Ordinal);
        string[] files = Directory.GetFiles(output);
        Assert.Equal(2, files.Length);
        Assert.All(files, f => Assert.Equal("2.25.100", QueryPeers.DumpValues(f)["0020,000d"]));
    }
}
