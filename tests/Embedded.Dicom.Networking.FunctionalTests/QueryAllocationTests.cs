using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Networking.FunctionalTests;

/// <summary>
/// Zero bytes per Pending C-FIND response in steady state, on both sides: the SCP's handler writing each match
/// through the <see cref="QueryResponder"/> and the provider sending it, and <see cref="QueryScu"/> receiving
/// it and handing it to the callback. Both run in this process over loopback TCP; the count is
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/> (every thread), as in <see cref="AllocationTests"/>.
/// </summary>
[Collection(nameof(AllocationTestsCollection))]
public class QueryAllocationTests
{
    private const int Warmup = 2_000;
    private const int Window = 2_000;
    private const int Windows = 8;

    [Fact]
    public async Task SteadyStatePendingResponses_AllocateNothingPerMatchOnEitherSide()
    {
        const int total = Warmup + (Window * Windows);

        // Each side samples the process-wide counter at its own window boundaries: the SCP may run far ahead of
        // the SCU (socket buffers hold thousands of small responses), but whatever one side allocates per
        // response shows in every one of its own windows.
        long[] serverMarks = new long[Windows];
        long[] clientMarks = new long[Windows];
        var handler = new ScriptedQueryHandler(async (request, responder, token) =>
        {
            for (int i = 0; i < total && !token.IsCancellationRequested; i++)
            {
                Mark(serverMarks, i);
                DataSetWriter writer = responder.BeginMatch();
                writer.WriteString(QueryInformationModel.QueryRetrieveLevel, "STUDY");
                writer.WriteString(QueryHarness.PatientName, "DOE^JOHN");
                writer.WriteString(QueryHarness.PatientId, "PATIENT-0001");
                writer.WriteUid(QueryHarness.StudyInstanceUid, s_study);
                await responder.SendMatchAsync();
            }

            return QueryCompletion.Success;
        });
        await using var server = new DicomServer(new DicomServerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
            Policy = QueryHarness.Policy(QueryInformationModel.StudyRootFind),
            Query = handler,
            Timeouts = Harness.ShortTimeouts,
        });
        server.Start();
        var options = new DicomClientOptions { Host = "127.0.0.1", Port = server.LocalEndPoint.Port, CalledAeTitle = AeTitle.Parse("QR-SCP"), Timeouts = Harness.ShortTimeouts };
        DicomAssociation association = await DicomClient.ConnectAsync(options, [(QueryInformationModel.StudyRootFind, QueryScu.TransferSyntaxes)]);

        // The callback checks each identifier without allocating.
        int verified = 0;
        QueryResult result = await Harness.WithTimeout(QueryScu.FindAsync(association, QueryInformationModel.StudyRootFind,
            new QueryIdentifier(QueryLevel.Study).Set(QueryHarness.PatientName).Set(QueryHarness.PatientId), 1, (in QueryMatch match) =>
            {
                Mark(clientMarks, match.Index);
                DataSetReader reader = match.CreateReader();
                while (reader.Read())
                {
                    if (reader.Tag == QueryHarness.PatientId && reader.ValueIsEqualTo("PATIENT-0001"u8))
                    {
                        verified++;
                    }
                }

                return true;
            }), seconds: 120);

        Assert.Equal(DicomStatus.Success, result.Status);
        Assert.Equal(total, result.MatchCount);
        Assert.Equal(total, verified);

        // Windows end at the last mark, before the final response (one Task and one result object per query).
        // What the runtime allocates now and then on its own lands in some windows only, so the contract is that
        // the quietest window of each side stays under one byte per pending response.
        AssertQuietWindow("SCP (handler, responder, send)", serverMarks);
        AssertQuietWindow("SCU (receive, callback)", clientMarks);
        await association.ReleaseAsync();
    }

    private static void Mark(long[] marks, int index)
    {
        int measured = index - Warmup;
        if (measured >= 0 && measured % Window == 0)
        {
            marks[measured / Window] = GC.GetTotalAllocatedBytes(precise: true);
        }
    }

    private static void AssertQuietWindow(string side, long[] marks)
    {
        long[] windows = new long[marks.Length - 1];
        for (int w = 0; w < windows.Length; w++)
        {
            windows[w] = marks[w + 1] - marks[w];
        }

        Assert.True(windows.Min() < Window, $"{side}: every window of {Window} pending C-FIND responses allocated at least one byte per response: {string.Join(", ", windows)} bytes");
    }

    private static readonly DicomUid s_study = DicomUid.Parse("1.2.826.0.1.3680043.2.1143.1");
}
