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

    // --- The index file (.edicom-index): restart without reading unchanged files, crash and corruption handling. ---

    private string IndexPath => Path.Combine(_folder, StoredObjectIndex.IndexFileName);

    private string ImagePath(string sopInstance) => Path.Combine(_folder, sopInstance + ".dcm");

    /// <summary>Every study with its patient, date, accession, modalities and instance count, one line each, in order.</summary>
    private static async Task<string[]> StudyAnswersAsync(StoredObjectIndex index)
    {
        var (association, _) = await QueryHarness.ConnectAsync(index);
        try
        {
            var (matches, result) = await QueryHarness.FindAsync(association, StudyRoot, new QueryIdentifier(QueryLevel.Study)
                .Set(QueryHarness.PatientName).Set(QueryHarness.PatientId).Set(QueryHarness.StudyDate).Set(QueryHarness.AccessionNumber)
                .Set(QueryHarness.ModalitiesInStudy).Set(QueryHarness.NumberOfStudyRelatedInstances).Set(QueryHarness.StudyInstanceUid));
            Assert.Equal(DicomStatus.Success, result.Status);
            return matches.Select(m => string.Join("|", m.OrderBy(e => e.Key).Select(e => $"{e.Key:X8}={e.Value}"))).Order(StringComparer.Ordinal).ToArray();
        }
        finally
        {
            await association.ReleaseAsync();
        }
    }

    /// <summary>Overwrites a file with bytes that are not DICOM, keeping its length and last-write time.</summary>
    private static void ReplaceWithGarbageKeepingLengthAndTime(string path)
    {
        DateTime written = File.GetLastWriteTimeUtc(path);
        byte[] garbage = new byte[new FileInfo(path).Length];
        garbage.AsSpan().Fill(0x5A);
        File.WriteAllBytes(path, garbage);
        File.SetLastWriteTimeUtc(path, written);
    }

    [Fact]
    public async Task Restart_UnchangedFiles_AreIndexedFromTheIndexFileWithoutBeingRead()
    {
        StoredObjectIndex first = StoredObjectIndex.Build(_folder);
        Assert.Equal(6, first.FilesRead); // five images and notes.txt; the .part file is skipped
        Assert.True(File.Exists(IndexPath));
        string[] expected = await StudyAnswersAsync(first);

        // The proof that the second start reads nothing: a file whose bytes are now garbage, but whose length and
        // time are those recorded, is still indexed with the values of the record.
        ReplaceWithGarbageKeepingLengthAndTime(ImagePath("1.2.3.3.1.1"));
        StoredObjectIndex second = StoredObjectIndex.Build(_folder);

        Assert.Equal(0, second.FilesRead);
        Assert.Equal(5, second.InstanceCount);
        Assert.Equal(expected, await StudyAnswersAsync(second));
        var (association, _) = await QueryHarness.ConnectAsync(second);
        var (matches, _) = await QueryHarness.FindAsync(association, PatientRoot, new QueryIdentifier(QueryLevel.Patient).Set(QueryHarness.PatientName, "MÜ*"));
        await association.ReleaseAsync();
        Assert.Equal("Müller^Jürgen", Assert.Single(matches)[QueryHarness.PatientName.Value]);

        // Reading the files themselves tells the difference.
        Assert.Equal(4, StoredObjectIndex.Build(_folder, persistent: false).InstanceCount);
    }

    [Fact]
    public async Task Restart_ChangedFile_IsReadAgainAndAnswersWithItsNewValues()
    {
        StoredObjectIndex.Build(_folder);
        string path = ImagePath("1.2.3.2.1.1");
        DateTime written = File.GetLastWriteTimeUtc(path);
        QueryHarness.WriteImage(_folder, "ROE^JANE", "PC", "1.2.3.2", "20231231", "ACC2", "1.2.3.2.1", "CT", "1.2.3.2.1.1");
        File.SetLastWriteTimeUtc(path, written.AddMinutes(1)); // changed even if the clock did not move

        StoredObjectIndex index = StoredObjectIndex.Build(_folder);

        Assert.Equal(1, index.FilesRead);
        Assert.Equal(5, index.InstanceCount);
        var (association, _) = await QueryHarness.ConnectAsync(index);
        var (matches, _) = await QueryHarness.FindAsync(association, PatientRoot, new QueryIdentifier(QueryLevel.Patient).Set(QueryHarness.PatientId, "PC").Set(QueryHarness.PatientName));
        await association.ReleaseAsync();
        Assert.Equal("ROE^JANE", Assert.Single(matches)[QueryHarness.PatientName.Value]);

        // The new record is used from then on.
        Assert.Equal(0, StoredObjectIndex.Build(_folder).FilesRead);
    }

    [Fact]
    public async Task Restart_DeletedFile_IsDroppedFromTheIndex()
    {
        StoredObjectIndex.Build(_folder);
        File.Delete(ImagePath("1.2.3.2.1.1"));

        StoredObjectIndex index = StoredObjectIndex.Build(_folder);

        Assert.Equal(0, index.FilesRead);
        Assert.Equal(4, index.InstanceCount);
        Assert.Equal(await StudyAnswersAsync(StoredObjectIndex.Build(_folder, persistent: false)), await StudyAnswersAsync(index));
        Assert.DoesNotContain(await StudyAnswersAsync(index), line => line.Contains("1.2.3.2", StringComparison.Ordinal) && !line.Contains("1.2.3.2.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ObjectAddedWhileRunning_IsRecordedAndNotReadAtTheNextStart()
    {
        StoredObjectIndex running = StoredObjectIndex.Build(_folder);
        string path = QueryHarness.WriteImage(_folder, "NEW^PATIENT", "NEW", "1.2.3.9", "20240909", "ACC9", "1.2.3.9.1", "OT", "1.2.3.9.1.1");
        Assert.True(running.Add(path));

        StoredObjectIndex restarted = StoredObjectIndex.Build(_folder);

        Assert.Equal(0, restarted.FilesRead);
        Assert.Equal(6, restarted.InstanceCount);
        Assert.Equal(await StudyAnswersAsync(running), await StudyAnswersAsync(restarted));
    }

    [Fact]
    public async Task Restart_TornLastRecord_IsIgnoredAndOnlyThatFileIsReadAgain()
    {
        StoredObjectIndex running = StoredObjectIndex.Build(_folder);
        string path = QueryHarness.WriteImage(_folder, "NEW^PATIENT", "NEW", "1.2.3.9", "20240909", "ACC9", "1.2.3.9.1", "OT", "1.2.3.9.1.1");
        Assert.True(running.Add(path));
        long complete = new FileInfo(IndexPath).Length;
        using (var stream = new FileStream(IndexPath, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(complete - 5); // a crash in the middle of the last append
        }

        StoredObjectIndex restarted = StoredObjectIndex.Build(_folder);

        Assert.Equal(1, restarted.FilesRead);
        Assert.Equal(6, restarted.InstanceCount);
        Assert.Equal(await StudyAnswersAsync(running), await StudyAnswersAsync(restarted));

        // The file was repaired: the next start reads nothing.
        Assert.Equal(complete, new FileInfo(IndexPath).Length);
        Assert.Equal(0, StoredObjectIndex.Build(_folder).FilesRead);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("empty")]
    [InlineData("truncated header")]
    [InlineData("other version")]
    [InlineData("damaged first record")]
    [InlineData("too long a record")]
    public async Task CorruptIndexFile_IsRebuiltFromTheFilesWithTheSameAnswers(string damage)
    {
        string[] expected = await StudyAnswersAsync(StoredObjectIndex.Build(_folder, persistent: false));
        StoredObjectIndex.Build(_folder);
        byte[] bytes = File.ReadAllBytes(IndexPath);
        switch (damage)
        {
            case "garbage":
                new Random(7).NextBytes(bytes);
                break;
            case "empty":
                bytes = [];
                break;
            case "truncated header":
                bytes = bytes[..10];
                break;
            case "other version":
                bytes[8] ^= 0x01;
                break;
            case "damaged first record":
                bytes[16 + 8 + 20] ^= 0x01; // a byte of the first file name: the CRC no longer matches
                break;
            default:
                bytes[16 + 3] = 0x7F; // a payload length far beyond the file
                break;
        }

        File.WriteAllBytes(IndexPath, bytes);

        StoredObjectIndex index = StoredObjectIndex.Build(_folder);

        Assert.Equal(6, index.FilesRead);
        Assert.Equal(5, index.InstanceCount);
        Assert.Equal(expected, await StudyAnswersAsync(index));
        Assert.Equal(0, StoredObjectIndex.Build(_folder).FilesRead);
    }

    [Fact]
    public async Task IndexFileThatCannotBeWritten_LeavesTheIndexInMemory()
    {
        Directory.CreateDirectory(IndexPath); // neither readable nor replaceable as a file
        string[] expected = await StudyAnswersAsync(StoredObjectIndex.Build(_folder, persistent: false));

        StoredObjectIndex index = StoredObjectIndex.Build(_folder);
        string path = QueryHarness.WriteImage(_folder, "NEW^PATIENT", "NEW", "1.2.3.9", "20240909", "ACC9", "1.2.3.9.1", "OT", "1.2.3.9.1.1");
        bool added = index.Add(path);

        Assert.Equal(6 + 1, index.FilesRead); // every file at start (no index file to read), then the one added
        Assert.True(added);
        Assert.Equal(6, index.InstanceCount);
        File.Delete(path);
        Assert.Equal(expected, await StudyAnswersAsync(StoredObjectIndex.Build(_folder)));
        Assert.True(Directory.Exists(IndexPath));
        Assert.False(File.Exists(IndexPath + ".tmp"));
    }

    [Fact]
    public async Task Restart_FewStaleRecords_AppendsWithoutRewriting()
    {
        StoredObjectIndex running = StoredObjectIndex.Build(_folder);
        Assert.True(running.Add(ImagePath("1.2.3.1.1.1"))); // stored again: its first record is now stale (1 of 7)
        long length = new FileInfo(IndexPath).Length;

        StoredObjectIndex restarted = StoredObjectIndex.Build(_folder);

        Assert.Equal(0, restarted.FilesRead);
        Assert.Equal(length, new FileInfo(IndexPath).Length);
        Assert.Equal(await StudyAnswersAsync(running), await StudyAnswersAsync(restarted));
    }

    [Fact]
    public async Task Restart_MoreThanHalfTheRecordsStale_RewritesTheFileCompactlyWithTheSameAnswers()
    {
        StoredObjectIndex running = StoredObjectIndex.Build(_folder);
        long compact = new FileInfo(IndexPath).Length;
        for (int i = 0; i < 10; i++)
        {
            Assert.True(running.Add(ImagePath("1.2.3.1.1.1"))); // stored again and again: 10 stale records of 16
        }

        Assert.True(new FileInfo(IndexPath).Length > compact);
        string[] expected = await StudyAnswersAsync(running);

        StoredObjectIndex restarted = StoredObjectIndex.Build(_folder);

        Assert.Equal(0, restarted.FilesRead);
        Assert.Equal(compact, new FileInfo(IndexPath).Length);
        Assert.False(File.Exists(IndexPath + ".tmp"));
        Assert.Equal(expected, await StudyAnswersAsync(restarted));
        Assert.Equal(expected, await StudyAnswersAsync(StoredObjectIndex.Build(_folder)));
    }

    [Fact]
    public void Build_NotPersistent_ReadsEveryFileAndWritesNoIndexFile()
    {
        StoredObjectIndex.Build(_folder, persistent: false);
        StoredObjectIndex index = StoredObjectIndex.Build(_folder, persistent: false);

        Assert.Equal(6, index.FilesRead);
        Assert.Equal(5, index.InstanceCount);
        Assert.False(File.Exists(IndexPath));
    }
}
