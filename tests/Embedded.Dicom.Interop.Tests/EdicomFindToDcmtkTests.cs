using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Interop.Tests.Harness;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Interop.Tests;

/// <summary>
/// <c>edicom find</c> against DCMTK's dcmqrscp (objects stored into it with storescu) and <c>edicom worklist</c>
/// against DCMTK's wlmscpfs (worklist files made with dump2dcm), both started on free ports of 127.0.0.1.
/// </summary>
[Trait("Interop", "dcmtk")]
public sealed partial class EdicomFindToDcmtkTests : IDisposable
{
    private const string QrAe = "QRSCP";
    private const string WlAe = "WLSCP";

    private readonly TempFolder _temp = new("edicom-find");

    public void Dispose() => _temp.Dispose();

    private ServerProcess StartArchive()
    {
        ServerProcess archive = QueryPeers.StartDcmQrScp(_temp.Path, _temp.Sub("db") + "/" + QrAe, QrAe);
        string source = _temp.Sub("objects");
        var files = new List<string>
        {
            QueryPeers.CreateObject(source, new("DOE^JOHN", "PA", "2.25.100", "20240105", "ACC1", "2.25.100.1", "CT")),
            QueryPeers.CreateObject(source, new("DOE^JOHN", "PA", "2.25.200", "20231231", "ACC2", "2.25.200.1", "MR")),
            QueryPeers.CreateObject(source, new("ROE^RICHARD", "PB", "2.25.300", "20240301", "ACC3", "2.25.300.1", "US")),
        };
        ToolResult store = DcmtkTools.Run("storescu", new[] { "-aec", QrAe, "127.0.0.1", archive.Port.ToString(CultureInfo.InvariantCulture) }.Concat(files));
        Assert.True(store.ExitCode == 0, store + "\n" + archive);
        return archive;
    }

    private static ToolResult EdicomFind(int port, string calledAe, params string[] arguments)
        => DcmtkTools.RunEdicom(new[] { "find", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), "--aec", calledAe, "--timeout", "20" }.Concat(arguments));

    [GeneratedRegex(@"^StudyInstanceUID = (\S+)$", RegexOptions.Multiline)]
    private static partial Regex StudyLine();

    [Fact]
    public void EdicomFindStudyRoot_AgainstDcmqrscp_PrintsEachMatchingStudy()
    {
        using ServerProcess archive = StartArchive();

        ToolResult find = EdicomFind(archive.Port, QrAe, "-S", "-k", "PatientName=DOE*", "-k", "StudyInstanceUID", "-k", "StudyDate");

        Assert.True(find.ExitCode == 0, find + "\n" + archive);
        Assert.Equal(["2.25.100", "2.25.200"], StudyLine().Matches(find.Stdout).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal));
        Assert.Contains("QueryRetrieveLevel = STUDY", find.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 match(es), final status 0x0000 Success", find.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void EdicomFindPatientRootJson_AgainstDcmqrscp_IsOneArrayOfMatches()
    {
        using ServerProcess archive = StartArchive();

        ToolResult find = EdicomFind(archive.Port, QrAe, "-P", "-L", "STUDY", "-k", "PatientID=PB", "-k", "(0020,000D)", "-k", "0008,0050=", "--json");

        Assert.True(find.ExitCode == 0, find + "\n" + archive);
        using JsonDocument json = JsonDocument.Parse(find.Stdout);
        JsonElement match = Assert.Single(json.RootElement.EnumerateArray().ToArray());
        Assert.Equal("2.25.300", match.GetProperty("StudyInstanceUID").GetString());
        Assert.Equal("ACC3", match.GetProperty("AccessionNumber").GetString());
        Assert.Equal("PB", match.GetProperty("PatientID").GetString());
        Assert.Contains("final status 0x0000 Success", find.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void EdicomFindSeriesLevel_AgainstDcmqrscp_ReturnsTheStudysSeries()
    {
        using ServerProcess archive = StartArchive();

        ToolResult find = EdicomFind(archive.Port, QrAe, "-S", "-L", "SERIES", "-k", "StudyInstanceUID=2.25.300", "-k", "SeriesInstanceUID", "-k", "Modality", "--json");

        Assert.True(find.ExitCode == 0, find + "\n" + archive);
        using JsonDocument json = JsonDocument.Parse(find.Stdout);
        JsonElement match = Assert.Single(json.RootElement.EnumerateArray().ToArray());
        Assert.Equal("2.25.300.1", match.GetProperty("SeriesInstanceUID").GetString());
        Assert.Equal("US", match.GetProperty("Modality").GetString());
    }

    [Fact]
    public void EdicomFindCancelAfterOne_AgainstDcmqrscp_DeliversOneMatchAndEndsCleanly()
    {
        // dcmqrscp answers three studies faster than a C-CANCEL-RQ crosses the loopback, so its final status may
        // be Success as well as Cancel; what edicom promises is one match shown and a clean end either way.
        using ServerProcess archive = StartArchive();

        ToolResult find = EdicomFind(archive.Port, QrAe, "-S", "-k", "StudyInstanceUID", "--cancel-after", "1");

        Assert.True(find.ExitCode == 0, find + "\n" + archive);
        Assert.Single(StudyLine().Matches(find.Stdout));
        Assert.Matches(new Regex(@"1 match\(es\), final status 0x(FE00 Cancel|0000 Success)"), find.Stdout);
    }

    [Fact]
    public async Task EdicomFindCancelAfterTwo_AgainstAnScpStillProducing_EndsWithCancel()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new EndlessQueryHandler(cancelled);
        await using var server = new DicomServer(new DicomServerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
            Query = handler,
            Policy = new AcceptorPolicy { AeTitle = AeTitle.Parse("ENDLESS"), IsAbstractSyntaxSupported = handler.IsSupported },
        });
        server.Start();

        ToolResult find = await Task.Run(() => EdicomFind(server.LocalEndPoint.Port, "ENDLESS", "-S", "-k", "StudyInstanceUID", "--cancel-after", "2"));

        Assert.True(find.ExitCode == 0, find.ToString());
        Assert.Equal(2, StudyLine().Matches(find.Stdout).Count);
        Assert.Contains("2 match(es), final status 0xFE00 Cancel", find.Stdout, StringComparison.Ordinal);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30)); // generous: the whole interop suite shares 2 cores
    }

    [Fact]
    public void EdicomWorklist_AgainstWlmscpfs_FiltersOnModalityAndStartDate()
    {
        string database = _temp.Sub("wlist");
        string items = Path.Combine(database, WlAe);
        Directory.CreateDirectory(items);
        QueryPeers.CreateWorklistItem(items, "item1.wl", new("SMITH^ANNA", "W1", "A100", "CT", "CT01", "20240610", "CT HEAD"));
        QueryPeers.CreateWorklistItem(items, "item2.wl", new("JONES^BOB", "W2", "A200", "MR", "MR01", "20240611", "MR KNEE"));
        QueryPeers.CreateWorklistItem(items, "item3.wl", new("SMITH^CARL", "W3", "A300", "CT", "CT02", "20240720", "CT CHEST"));
        using ServerProcess wlm = QueryPeers.StartWlmScpFs(database, WlAe);

        ToolResult worklist = DcmtkTools.RunEdicom(["worklist", "127.0.0.1", wlm.Port.ToString(CultureInfo.InvariantCulture), "--aec", WlAe,
            "-k", "Modality=CT", "-k", "ScheduledProcedureStepStartDate=20240601-20240630", "--json"]);

        Assert.True(worklist.ExitCode == 0, worklist + "\n" + wlm);
        using JsonDocument json = JsonDocument.Parse(worklist.Stdout);
        JsonElement match = Assert.Single(json.RootElement.EnumerateArray().ToArray());
        Assert.Equal("SMITH^ANNA", match.GetProperty("PatientName").GetString());
        Assert.Equal("A100", match.GetProperty("AccessionNumber").GetString());
        JsonElement step = Assert.Single(match.GetProperty("ScheduledProcedureStepSequence").EnumerateArray().ToArray());
        Assert.Equal("CT", step.GetProperty("Modality").GetString());
        Assert.Equal("CT01", step.GetProperty("ScheduledStationAETitle").GetString());
        Assert.Equal("CT HEAD", step.GetProperty("ScheduledProcedureStepDescription").GetString());
    }

    [Fact]
    public void EdicomWorklist_TextOutput_AgainstWlmscpfs_ListsEveryItemOfAStation()
    {
        string database = _temp.Sub("wlist");
        string items = Path.Combine(database, WlAe);
        Directory.CreateDirectory(items);
        QueryPeers.CreateWorklistItem(items, "item1.wl", new("SMITH^ANNA", "W1", "A100", "CT", "CT01", "20240610", "CT HEAD"));
        QueryPeers.CreateWorklistItem(items, "item2.wl", new("JONES^BOB", "W2", "A200", "MR", "MR01", "20240611", "MR KNEE"));
        using ServerProcess wlm = QueryPeers.StartWlmScpFs(database, WlAe);

        ToolResult worklist = DcmtkTools.RunEdicom(["worklist", "127.0.0.1", wlm.Port.ToString(CultureInfo.InvariantCulture), "--aec", WlAe,
            "-k", "ScheduledStationAETitle=MR01"]);

        Assert.True(worklist.ExitCode == 0, worklist + "\n" + wlm);
        Assert.Contains("PatientName = JONES^BOB", worklist.Stdout, StringComparison.Ordinal);
        Assert.Contains("    Modality = MR", worklist.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("SMITH", worklist.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 match(es), final status 0x0000 Success", worklist.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Produces a match every 50 ms until cancelled.</summary>
    private sealed class EndlessQueryHandler(TaskCompletionSource cancelled) : IQueryHandler
    {
        public bool IsSupported(in DicomUid sopClassUid) => QueryInformationModel.GetModel(sopClassUid) == QueryModel.StudyRoot;

        public async ValueTask<QueryCompletion> FindAsync(QueryRequest request, QueryResponder responder, CancellationToken cancellationToken)
        {
            await using CancellationTokenRegistration registration = cancellationToken.Register(() => cancelled.TrySetResult());
            for (int i = 0; ; i++)
            {
                Data.DataSetWriter writer = responder.BeginMatch();
                writer.WriteString(QueryInformationModel.QueryRetrieveLevel, "STUDY");
                writer.WriteString(new DicomTag(0x0020000D), "2.25." + i.ToString(CultureInfo.InvariantCulture));
                await responder.SendMatchAsync();
                await Task.Delay(50, cancellationToken);
            }
        }
    }
}
