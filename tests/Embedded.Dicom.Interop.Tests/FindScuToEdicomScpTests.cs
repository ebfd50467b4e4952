using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Interop.Tests.Harness;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Interop.Tests;

/// <summary>
/// DCMTK's findscu queries <c>edicom scp --qr</c> (Patient Root -P, Study Root -S, over the objects of its
/// output folder: those there at start and one stored by storescu afterwards) and <c>edicom scp --worklist</c>
/// (-W); and findscu's --cancel against our C-FIND SCP while its handler is still producing matches.
/// </summary>
[Trait("Interop", "dcmtk")]
public sealed class FindScuToEdicomScpTests : IDisposable
{
    private const string Ae = "EDICOM";

    private readonly TempFolder _temp = new("findscu");

    public void Dispose() => _temp.Dispose();

    /// <summary>Patients PA (two studies) and PB in the folder at start; PC stored with storescu once the SCP runs.</summary>
    private ServerProcess StartQueryScp()
    {
        string output = _temp.Sub("out");
        QueryPeers.CreateObject(output, new("DOE^JOHN", "PA", "2.25.100", "20240105", "ACC1", "2.25.100.1", "CT"));
        QueryPeers.CreateObject(output, new("DOE^JOHN", "PA", "2.25.100", "20240105", "ACC1", "2.25.100.2", "MR"));
        QueryPeers.CreateObject(output, new("DOE^JOHN", "PA", "2.25.200", "20231231", "ACC2", "2.25.200.1", "CT"));
        QueryPeers.CreateObject(output, new("ROE^RICHARD", "PB", "2.25.300", "20240301", "ACC3", "2.25.300.1", "US"));
        ServerProcess scp = EdicomScp.Start(output, "--qr");
        Assert.Contains("indexed 4 object(s)", scp.Output, StringComparison.Ordinal);

        string later = QueryPeers.CreateObject(_temp.Sub("later"), new("POE^EDGAR", "PC", "2.25.400", "20240615", "ACC4", "2.25.400.1", "DX"));
        ToolResult store = DcmtkTools.Run("storescu", ["-aec", Ae, "127.0.0.1", scp.Port.ToString(CultureInfo.InvariantCulture), later]);
        Assert.True(store.ExitCode == 0, store + "\n" + scp);
        return scp;
    }

    private static string[] Column(List<Dictionary<string, string>> responses, string tag) => responses.Select(r => r[tag]).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void FindScuPatientRoot_PatientLevel_FindsEveryPatientIncludingOneStoredAfterStart()
    {
        using ServerProcess scp = StartQueryScp();

        var (run, responses) = QueryPeers.FindScu(scp.Port, Ae, _temp.Sub("rsp"), "-P",
            "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientName", "-k", "PatientID", "-k", "NumberOfPatientRelatedStudies");

        Assert.True(run.ExitCode == 0, run + "\n" + scp);
        Assert.Contains("Received Final Find Response (Success)", run.Output, StringComparison.Ordinal);
        Assert.Equal(["PA", "PB", "PC"], Column(responses, "0010,0020"));
        Dictionary<string, string> pa = responses.Single(r => r["0010,0020"] == "PA");
        Assert.Equal("DOE^JOHN", pa["0010,0010"]);
        Assert.Equal("2", pa["0020,1200"]);
        Assert.Equal("PATIENT", pa["0008,0052"]);
    }

    [Fact]
    public void FindScuStudyRoot_DateRangeAndNameWildcard_SelectsStudiesWithTheirModalities()
    {
        using ServerProcess scp = StartQueryScp();

        var (run, responses) = QueryPeers.FindScu(scp.Port, Ae, _temp.Sub("rsp"), "-S",
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyDate=20240101-20240331", "-k", "PatientName=*O*", "-k", "StudyInstanceUID", "-k", "ModalitiesInStudy");

        Assert.True(run.ExitCode == 0, run + "\n" + scp);
        Assert.Equal(["2.25.100", "2.25.300"], Column(responses, "0020,000d"));
        Assert.Equal(@"CT\MR", responses.Single(r => r["0020,000d"] == "2.25.100")["0008,0061"]);
    }

    [Fact]
    public void FindScuStudyRoot_SeriesLevelWithinAStudy_ReturnsItsSeries()
    {
        using ServerProcess scp = StartQueryScp();

        var (run, responses) = QueryPeers.FindScu(scp.Port, Ae, _temp.Sub("rsp"), "-S",
            "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=2.25.100", "-k", "SeriesInstanceUID", "-k", "Modality");

        Assert.True(run.ExitCode == 0, run + "\n" + scp);
        Assert.Equal(["2.25.100.1", "2.25.100.2"], Column(responses, "0020,000e"));
        Assert.Equal(["CT", "MR"], Column(responses, "0008,0060"));
    }

    [Fact]
    public void FindScuPatientRoot_StudyLevelWithUidList_ReturnsTheListedStudies()
    {
        using ServerProcess scp = StartQueryScp();

        var (run, responses) = QueryPeers.FindScu(scp.Port, Ae, _temp.Sub("rsp"), "-P",
            "-k", "QueryRetrieveLevel=STUDY", "-k", @"StudyInstanceUID=2.25.200\2.25.400", "-k", "AccessionNumber");

        Assert.True(run.ExitCode == 0, run + "\n" + scp);
        Assert.Equal(["ACC2", "ACC4"], Column(responses, "0008,0050"));
    }

    [Fact]
    public void FindScuWorklist_AgainstEdicomWorklist_MatchesOnStepModalityAndDateRange()
    {
        string worklist = _temp.Sub("worklist");
        QueryPeers.CreateWorklistItem(worklist, "item1.wl", new("SMITH^ANNA", "W1", "A100", "CT", "CT01", "20240610", "CT HEAD"));
        QueryPeers.CreateWorklistItem(worklist, "item2.wl", new("JONES^BOB", "W2", "A200", "MR", "MR01", "20240611", "MR KNEE"));
        QueryPeers.CreateWorklistItem(worklist, "item3.wl", new("SMITH^CARL", "W3", "A300", "CT", "CT02", "20240720", "CT CHEST"));
        using ServerProcess scp = EdicomScp.Start(_temp.Sub("out"), "--worklist", worklist);

        var (run, responses) = QueryPeers.FindScu(scp.Port, Ae, _temp.Sub("rsp"), "-W",
            "-k", "PatientName", "-k", "PatientID", "-k", "AccessionNumber",
            "-k", "ScheduledProcedureStepSequence[0].Modality=CT",
            "-k", "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=20240601-20240630",
            "-k", "ScheduledProcedureStepSequence[0].ScheduledStationAETitle",
            "-k", "ScheduledProcedureStepSequence[0].ScheduledProcedureStepDescription");

        Assert.True(run.ExitCode == 0, run + "\n" + scp);
        Assert.Contains("Received Final Find Response (Success)", run.Output, StringComparison.Ordinal);
        Dictionary<string, string> match = Assert.Single(responses);
        Assert.Equal("W1", match["0010,0020"]);
        Assert.Equal("A100", match["0008,0050"]);
        Assert.Equal("CT01", match["0040,0001"]);
        Assert.Equal("CT HEAD", match["0040,0007"]);
        Assert.Equal("20240610", match["0040,0002"]);
    }

    [Fact]
    public async Task FindScuCancel_WhileOurHandlerIsStillProducing_FinalResponseIsCancel()
    {
        // In-process SCP: the handler sends three matches, then waits for more work that only a C-CANCEL-RQ
        // ends, so the cancel always finds the query running (edicom scp --qr answers small folders faster
        // than findscu can cancel).
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new BlockingQueryHandler(3, cancelled);
        await using var server = new DicomServer(new DicomServerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
            Query = handler,
            Policy = new AcceptorPolicy { AeTitle = AeTitle.Parse(Ae), IsAbstractSyntaxSupported = handler.IsSupported },
        });
        server.Start();

        var (run, responses) = await Task.Run(() => QueryPeers.FindScu(server.LocalEndPoint.Port, Ae, _temp.Sub("rsp"), "-S", "--cancel", "2",
            "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(new Regex(@"Sending Cancel Request \(MsgID 1"), run.Output);
        Assert.Matches(new Regex(@"Received Final Find Response \(Cancel"), run.Output);
        Assert.InRange(responses.Count, 2, 3);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the handler's token was cancelled
    }

    /// <summary>Sends <c>count</c> matches, then blocks until the C-FIND is cancelled.</summary>
    private sealed class BlockingQueryHandler(int count, TaskCompletionSource cancelled) : IQueryHandler
    {
        public bool IsSupported(in DicomUid sopClassUid) => QueryInformationModel.GetModel(sopClassUid) is QueryModel.StudyRoot or QueryModel.PatientRoot;

        public async ValueTask<QueryCompletion> FindAsync(QueryRequest request, QueryResponder responder, CancellationToken cancellationToken)
        {
            // Registered first: the C-CANCEL may arrive while the matches are still being sent, and SendMatchAsync
            // then throws OperationCanceledException before the handler reaches its wait.
            await using (cancellationToken.Register(() => cancelled.TrySetResult()))
            {
                for (int i = 0; i < count; i++)
                {
                    Data.DataSetWriter writer = responder.BeginMatch();
                    writer.WriteString(QueryInformationModel.QueryRetrieveLevel, "STUDY");
                    writer.WriteString(new DicomTag(0x00100020), "P" + i.ToString(CultureInfo.InvariantCulture));
                    await responder.SendMatchAsync();
                }

                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return QueryCompletion.Success;
        }
    }
}
