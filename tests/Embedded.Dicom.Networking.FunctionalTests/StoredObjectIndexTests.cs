using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Services;

namespace Embedded.Dicom.Networking.FunctionalTests;

/// <summary>
/// <see cref="StoredObjectIndex"/> answering C-FIND at every level of the Patient Root and Study Root models
/// (PS3.4 C.6.1, C.6.2) with the matching rules of C.2.2.2, over in-memory associations.
/// </summary>
public sealed class StoredObjectIndexTests : IDisposable
{
    private static readonly DicomUid PatientRoot = QueryInformationModel.PatientRootFind;
    private static readonly DicomUid StudyRoot = QueryInformationModel.StudyRootFind;
    private readonly string _folder = Harness.TempDirectory();

    public StoredObjectIndexTests()
    {
        // Patient PA: study 1.2.3.1 (CT series of two images, MR series of one) and study 1.2.3.2 (one CT image).
        QueryHarness.WriteImage(_folder, "DOE^JOHN", "PA", "1.2.3.1", "20240105", "ACC1", "1.2.3.1.1", "CT", "1.2.3.1.1.1");
        QueryHarness.WriteImage(_folder, "DOE^JOHN", "PA", "1.2.3.1", "20240105", "ACC1", "1.2.3.1.1", "CT", "1.2.3.1.1.2");
        QueryHarness.WriteImage(_folder, "DOE^JOHN", "PA", "1.2.3.1", "20240105", "ACC1", "1.2.3.1.2", "MR", "1.2.3.1.2.1");
        QueryHarness.WriteImage(_folder, "DOE^JOHN", "PA", "1.2.3.2", "20231231", "ACC2", "1.2.3.2.1", "CT", "1.2.3.2.1.1");

        // Patient PB, in ISO_IR 100: study 1.2.3.3 with one US image.
        QueryHarness.WriteImage(_folder, "Müller^Jürgen", "PB", "1.2.3.3", "20240301", "ACC3", "1.2.3.3.1", "US", "1.2.3.3.1.1", SpecificCharacterSet.IsoIr100);

        // Not indexed: a temporary file of the storage handler, and something that is not DICOM.
        File.WriteAllText(Path.Combine(_folder, ".edicom-1-x.part"), "partial");
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), "not dicom");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<(List<Dictionary<uint, string>> Matches, QueryResult Result)> FindAsync(DicomUid model, QueryIdentifier identifier)
    {
        StoredObjectIndex index = StoredObjectIndex.Build(_folder);
        Assert.Equal(5, index.InstanceCount);
        var (association, _) = await QueryHarness.ConnectAsync(index);
        try
        {
            return await QueryHarness.FindAsync(association, model, identifier);
        }
        finally
        {
            await association.ReleaseAsync();
        }
    }

    private static string[] Column(List<Dictionary<uint, string>> matches, DicomTag tag) => matches.Select(m => m[tag.Value]).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task PatientLevel_PatientNameWildcard_IgnoresCaseAndCountsStudies()
    {
        var (matches, result) = await FindAsync(PatientRoot, new QueryIdentifier(QueryLevel.Patient)
            .Set(QueryHarness.PatientName, "doe*").Set(QueryHarness.PatientId).Set(new DicomTag(0x00201200)));

        Assert.Equal(DicomStatus.Success, result.Status);
        Dictionary<uint, string> match = Assert.Single(matches);
        Assert.Equal("PA", match[QueryHarness.PatientId.Value]);
        Assert.Equal("DOE^JOHN", match[QueryHarness.PatientName.Value]);
        Assert.Equal("2", match[0x00201200]);
        Assert.Equal("PATIENT", match[QueryInformationModel.QueryRetrieveLevel.Value]);
    }

    [Fact]
    public async Task StudyLevel_OpenDateRange_MatchesTheStudiesOnOrAfterTheDateWithTheirModalitiesAndCounts()
    {
        var (matches, result) = await FindAsync(StudyRoot, new QueryIdentifier(QueryLevel.Study)
            .Set(QueryHarness.StudyDate, "20240101-").Set(QueryHarness.ModalitiesInStudy).Set(QueryHarness.NumberOfStudyRelatedInstances).Set(QueryHarness.StudyInstanceUid));

        Assert.Equal(DicomStatus.Success, result.Status);
        Assert.Equal(["1.2.3.1", "1.2.3.3"], Column(matches, QueryHarness.StudyInstanceUid));
        Dictionary<uint, string> first = matches.Single(m => m[QueryHarness.StudyInstanceUid.Value] == "1.2.3.1");
        Assert.Equal("CT\\MR", first[QueryHarness.ModalitiesInStudy.Value]);
        Assert.Equal("3", first[QueryHarness.NumberOfStudyRelatedInstances.Value]);
    }

    [Fact]
    public async Task StudyLevel_ClosedDateRange_ExcludesDatesOutside()
    {
        var (matches, _) = await FindAsync(StudyRoot, new QueryIdentifier(QueryLevel.Study).Set(QueryHarness.StudyDate, "20231201-20240131"));

        Assert.Equal(["1.2.3.1", "1.2.3.2"], Column(matches, QueryHarness.StudyInstanceUid));
    }

    [Fact]
    public async Task StudyLevel_UidList_MatchesEachListedStudy()
    {
        var (matches, _) = await FindAsync(StudyRoot, new QueryIdentifier(QueryLevel.Study).Set(QueryHarness.StudyInstanceUid, "1.2.3.2\\1.2.3.3\\9.9.9"));

        Assert.Equal(["1.2.3.2", "1.2.3.3"], Column(matches, QueryHarness.StudyInstanceUid));
    }

    [Fact]
    public async Task StudyLevel_OneValueOfAMultiValuedAttribute_Matches()
    {
        var (matches, _) = await FindAsync(StudyRoot, new QueryIdentifier(QueryLevel.Study).Set(QueryHarness.ModalitiesInStudy, "MR"));

        Assert.Equal(["1.2.3.1"], Column(matches, QueryHarness.StudyInstanceUid));
    }

    [Fact]
    public async Task StudyLevel_PatientKeysMatchInTheStudyRootModel_AndAccessionWildcardWithQuestionMark()
    {
        var (matches, _) = await FindAsync(StudyRoot, new QueryIdentifier(QueryLevel.Study)
            .Set(QueryHarness.PatientId, "PA").Set(QueryHarness.AccessionNumber, "ACC?"));

        Assert.Equal(["ACC1", "ACC2"], Column(matches, QueryHarness.AccessionNumber));
    }

    [Fact]
    public async Task SeriesLevel_WithinAStudy_ReturnsItsSeries()
    {
        var (matches, _) = await FindAsync(StudyRoot, new QueryIdentifier(QueryLevel.Series)
            .Set(QueryHarness.StudyInstanceUid, "1.2.3.1").Set(QueryHarness.Modality).Set(QueryHarness.SeriesInstanceUid));

        Assert.Equal(["1.2.3.1.1", "1.2.3.1.2"], Column(matches, QueryHarness.SeriesInstanceUid));
        Assert.Equal(["CT", "MR"], Column(matches, QueryHarness.Modality));
    }

    [Fact]
    public async Task ImageLevel_ReturnsTheUniqueKeyEvenWhenNotAsked()
    {
        var (matches, _) = await FindAsync(PatientRoot, new QueryIdentifier(QueryLevel.Image)
            .Set(QueryHarness.PatientId, "PA").Set(QueryHarness.StudyInstanceUid, "1.2.3.1").Set(QueryHarness.SeriesInstanceUid, "1.2.3.1.1"));

        Assert.Equal(["1.2.3.1.1.1", "1.2.3.1.1.2"], Column(matches, QueryHarness.SopInstanceUid));
    }

    [Fact]
    public async Task NonAsciiName_MatchesAndComesBackWithItsCharacterSet()
    {
        var (matches, _) = await FindAsync(PatientRoot, new QueryIdentifier(QueryLevel.Patient).Set(QueryHarness.PatientName, "MÜ*"));

        Dictionary<uint, string> match = Assert.Single(matches);
        Assert.Equal("Müller^Jürgen", match[QueryHarness.PatientName.Value]);
        Assert.Equal("ISO_IR 100", match[QueryInformationModel.SpecificCharacterSet.Value]);
    }

    [Fact]
    public async Task UnsupportedKey_ReturnedEmptyWithFF01()
    {
        var statuses = new List<ushort>();
        StoredObjectIndex index = StoredObjectIndex.Build(_folder);
        var (association, _) = await QueryHarness.ConnectAsync(index);
        var manufacturer = new DicomTag(0x00080070);
        QueryResult result = await QueryScu.FindAsync(association, StudyRoot,
            new QueryIdentifier(QueryLevel.Study).Set(QueryHarness.StudyInstanceUid, "1.2.3.3").Set(manufacturer), 1, (in QueryMatch match) =>
            {
                statuses.Add(match.Status.Code);
                Assert.Equal("", QueryHarness.Values(match)[manufacturer.Value]);
                return true;
            });

        Assert.Equal([(ushort)0xFF01], statuses);
        Assert.Equal(DicomStatus.Success, result.Status);
        await association.ReleaseAsync();
    }

    [Theory]
    [InlineData("PATIENT", "STUDY-ROOT")]
    [InlineData("FRAME", "PATIENT-ROOT")]
    [InlineData(null, "PATIENT-ROOT")]
    public async Task LevelNotInTheModel_A900(string? level, string model)
    {
        var identifier = new QueryIdentifier().Set(QueryHarness.PatientName);
        if (level is not null)
        {
            identifier.Set(QueryInformationModel.QueryRetrieveLevel, level);
        }

        var (matches, result) = await FindAsync(model == "STUDY-ROOT" ? StudyRoot : PatientRoot, identifier);

        Assert.Empty(matches);
        Assert.Equal(0xA900, result.Status.Code);
        Assert.NotNull(result.ErrorComment);
    }

    [Fact]
    public async Task ObjectStoredOnTheAssociation_IsFoundByTheNextQuery()
    {
        string output = Harness.TempDirectory();
        StoredObjectIndex index = StoredObjectIndex.Build(output);
        var storage = new FileStorageHandler(output) { Stored = path => index.Add(path) };
        var (association, _) = await QueryHarness.ConnectAsync(index, storage);
        var query = new QueryIdentifier(QueryLevel.Study).Set(QueryHarness.PatientId, "NEW").Set(QueryHarness.StudyInstanceUid);
        Assert.Empty((await QueryHarness.FindAsync(association, StudyRoot, query)).Matches);

        string file = QueryHarness.WriteImage(_folder, "NEW^PATIENT", "NEW", "1.2.3.9", "20240909", "ACC9", "1.2.3.9.1", "OT", "1.2.3.9.1.1");
        StoreResult stored = await StorageScu.StoreFileAsync(association, file, 2);
        Assert.True(stored.IsStored);

        var (matches, _) = await QueryHarness.FindAsync(association, StudyRoot, query, 3);
        Assert.Equal("1.2.3.9", Assert.Single(matches)[QueryHarness.StudyInstanceUid.Value]);
        await association.ReleaseAsync();
        Directory.Delete(output, recursive: true);
    }
}
