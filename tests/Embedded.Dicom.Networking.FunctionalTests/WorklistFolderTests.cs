using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Services;

namespace Embedded.Dicom.Networking.FunctionalTests;

/// <summary><see cref="WorklistFolder"/>: Modality Worklist C-FIND (PS3.4 K.6.1) over worklist files, in-memory associations.</summary>
public sealed class WorklistFolderTests : IDisposable
{
    private static readonly DicomUid Worklist = QueryInformationModel.ModalityWorklistFind;
    private static readonly DicomTag Sps = QueryInformationModel.ScheduledProcedureStepSequence;
    private static readonly DicomTag StationAe = new(0x00400001);
    private static readonly DicomTag StartDate = new(0x00400002);
    private static readonly DicomTag StepDescription = new(0x00400007);
    private static readonly DicomTag StepId = new(0x00400009);
    private readonly string _folder = Harness.TempDirectory();

    public WorklistFolderTests()
    {
        WriteItem("wl1", "SMITH^ANNA", "W1", "A100", "CT", "CT01", "20240610", "CT HEAD", part10: true);
        WriteItem("wl2", "JONES^BOB", "W2", "A200", "MR", "MR01", "20240611", "MR KNEE", part10: true);
        WriteItem("wl3", "SMITH^CARL", "W3", "A300", "CT", "CT02", "20240620", "CT CHEST", part10: false); // a bare data set, Implicit VR
        File.WriteAllBytes(Path.Combine(_folder, "broken.wl"), [1, 2, 3, 4, 5]);
        File.WriteAllText(Path.Combine(_folder, "readme.txt"), "not a worklist");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void WriteItem(string name, string patientName, string patientId, string accession, string modality, string station, string date, string description, bool part10)
    {
        void Write(DataSetWriter w)
        {
            w.WriteString(QueryHarness.AccessionNumber, accession);
            w.WriteString(QueryHarness.PatientName, patientName);
            w.WriteString(QueryHarness.PatientId, patientId);
            w.WriteStartSequence(Sps);
            w.WriteStartItem();
            w.WriteString(QueryHarness.Modality, modality);
            w.WriteString(StationAe, station);
            w.WriteString(StartDate, date);
            w.WriteString(new DicomTag(0x00400003), "080000");
            w.WriteString(StepDescription, description);
            w.WriteString(StepId, "SPS-" + patientId);
            w.WriteEndItem();
            w.WriteEndSequence();
        }

        if (part10)
        {
            string path = QueryHarness.WriteObject(_folder, "1.2.9." + patientId[1..], Write, Worklist, ".wl");
            File.Move(path, Path.Combine(_folder, name + ".wl"));
        }
        else
        {
            var raw = new ArrayBufferWriter<byte>();
            Write(new DataSetWriter(raw, TransferSyntax.ImplicitVRLittleEndian));
            File.WriteAllBytes(Path.Combine(_folder, name + ".wl"), raw.WrittenSpan.ToArray());
        }
    }

    /// <summary>The usual return keys, with the Scheduled Procedure Step keys in its item.</summary>
    private static QueryIdentifier Query(string modality = "", string station = "", string date = "", string patientName = "")
    {
        var identifier = new QueryIdentifier().Set(QueryHarness.AccessionNumber).Set(QueryHarness.PatientName, patientName).Set(QueryHarness.PatientId);
        identifier.Item(Sps).Set(QueryHarness.Modality, modality).Set(StationAe, station).Set(StartDate, date).Set(StepDescription);
        return identifier;
    }

    private async Task<(List<Dictionary<uint, string>> Matches, QueryResult Result)> FindAsync(QueryIdentifier identifier)
    {
        var (association, _) = await QueryHarness.ConnectAsync(new WorklistFolder(_folder));
        try
        {
            return await QueryHarness.FindAsync(association, Worklist, identifier);
        }
        finally
        {
            await association.ReleaseAsync();
        }
    }

    private static string[] Ids(List<Dictionary<uint, string>> matches) => matches.Select(m => m[QueryHarness.PatientId.Value]).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task ModalityInTheStepSequence_SelectsTheItems_AndReturnsTheAskedStepKeys()
    {
        var (matches, result) = await FindAsync(Query(modality: "CT"));

        Assert.Equal(DicomStatus.Success, result.Status);
        Assert.Equal(["W1", "W3"], Ids(matches));
        Dictionary<uint, string> w1 = matches.Single(m => m[QueryHarness.PatientId.Value] == "W1");
        Assert.Equal("[1 items]", w1[Sps.Value]);
        Assert.Equal("CT HEAD", w1[StepDescription.Value]);
        Assert.Equal("CT01", w1[StationAe.Value]);
        Assert.Equal("A100", w1[QueryHarness.AccessionNumber.Value]);
        Assert.False(w1.ContainsKey(StepId.Value)); // not asked for
    }

    [Fact]
    public async Task StartDateRange_SelectsTheStepsScheduledInIt()
    {
        var (matches, _) = await FindAsync(Query(date: "20240610-20240611"));

        Assert.Equal(["W1", "W2"], Ids(matches));
    }

    [Fact]
    public async Task StationWildcardAndPatientName_BothMustMatch()
    {
        var (matches, _) = await FindAsync(Query(station: "CT0?", patientName: "smith^a*"));

        Assert.Equal(["W1"], Ids(matches));
    }

    [Fact]
    public async Task NoMatchingKey_ReturnsEveryReadableItem_AndKeysTheItemLacksComeBackEmpty()
    {
        QueryIdentifier identifier = Query();
        identifier.Set(new DicomTag(0x00100030)); // Patient's Birth Date: in no item
        var (matches, _) = await FindAsync(identifier);

        Assert.Equal(["W1", "W2", "W3"], Ids(matches));
        Assert.All(matches, m => Assert.Equal("", m[0x00100030]));
    }

    [Fact]
    public async Task AccessionNumberAndPatientId_SingleValueMatching()
    {
        var (matches, _) = await FindAsync(Query().Set(QueryHarness.AccessionNumber, "A200"));
        Assert.Equal(["W2"], Ids(matches));

        (matches, _) = await FindAsync(Query().Set(QueryHarness.PatientId, "W3"));
        Assert.Equal(["W3"], Ids(matches));
    }

    [Fact]
    public async Task FileAddedToTheFolder_IsServedByTheNextQuery()
    {
        var folder = new WorklistFolder(_folder);
        Assert.Equal(3, folder.Count);
        var (association, _) = await QueryHarness.ConnectAsync(folder);
        Assert.Empty((await QueryHarness.FindAsync(association, Worklist, Query(modality: "US"))).Matches);

        // Directory time stamps have a coarse resolution on some file systems: make the change visible.
        Directory.SetLastWriteTimeUtc(_folder, DateTime.UtcNow.AddMinutes(-5));
        Assert.Equal(3, folder.Count);
        WriteItem("wl4", "NEW^ONE", "W4", "A400", "US", "US01", "20240701", "US ABDOMEN", part10: true);
        Directory.SetLastWriteTimeUtc(_folder, DateTime.UtcNow);

        var (matches, _) = await QueryHarness.FindAsync(association, Worklist, Query(modality: "US"), 2);
        Assert.Equal(["W4"], Ids(matches));
        await association.ReleaseAsync();
    }
}
