using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Embedded.Dicom.Agent.Spool;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Agent.Tests;

/// <summary>The spool's records on disk, and recovery from every state a crash can leave between two steps.</summary>
public class SpoolTests : IDisposable
{
    private readonly string _root = TestObjects.TempDirectory();
    private readonly List<string> _log = new();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void RecordTimes_RoundTripExactly_WhateverTheOffset()
    {
        DateTimeOffset[] times =
        [
            DateTimeOffset.UtcNow,
            new DateTimeOffset(2026, 2, 28, 23, 59, 59, TimeSpan.FromHours(-5)).AddTicks(1234567),
            new DateTimeOffset(2024, 2, 29, 0, 0, 0, new TimeSpan(5, 45, 0)),
            new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9999999),
        ];
        foreach (DateTimeOffset time in times)
        {
            string text = time.ToString("O", System.Globalization.CultureInfo.InvariantCulture); // what SpoolRecord.Format writes
            Assert.True(SpoolRecord.TryParseRoundTrip(text, out DateTimeOffset read), text);
            Assert.Equal(time.UtcTicks, read.UtcTicks);
            Assert.Equal(time.Offset, read.Offset);
        }

        Assert.True(SpoolRecord.TryParseRoundTrip("2026-11-26T07:40:00Z", out DateTimeOffset zulu));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 7, 40, 0, TimeSpan.Zero), zulu);
        Assert.True(SpoolRecord.TryParseRoundTrip("2026-11-26T07:40:00.5+01:00", out DateTimeOffset half));
        Assert.Equal(5_000_000, half.Ticks % TimeSpan.TicksPerSecond);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-11-26")]
    [InlineData("2026-11-26 07:40:00+00:00")] // no T
    [InlineData("2026-13-01T00:00:00+00:00")] // month 13
    [InlineData("2026-02-29T00:00:00+00:00")] // not a leap year
    [InlineData("2026-11-26T24:00:00+00:00")]
    [InlineData("2026-11-26T07:60:00+00:00")]
    [InlineData("2026-11-26T07:40:00")] // no offset: local time is not guessed
    [InlineData("2026-11-26T07:40:00.+00:00")] // a point with no digits
    [InlineData("2026-11-26T07:40:00.12345678+00:00")] // an eighth digit
    [InlineData("2026-11-26T07:40:00+15:00")]
    [InlineData("2026-11-26T07:40:00+01:60")]
    [InlineData("2026-11-26T07:40:00+0100")]
    [InlineData("0001-01-01T00:00:00+01:00")] // before the first representable instant
    [InlineData("Thursday, 26 November 2026")]
    [InlineData("２０２６-11-26T07:40:00+00:00")] // non-ASCII digits
    public void RecordTimes_AnythingButTheRoundTripForm_IsRefused(string text)
    {
        Assert.False(SpoolRecord.TryParseRoundTrip(text, out _));
    }

    [Fact]
    public void Ingest_RecordsTheObjectForEveryDestination_AndCompleteRemovesItOnlyAfterTheLast()
    {
        using ObjectSpool spool = Open(["a", "b"]);
        SpoolObject item = IngestOne(spool, "1.2.9.1", "1.2.9");
        Assert.False(File.Exists(Path.Combine(_root, "incoming", "1.2.9.1.dcm"))); // taken
        Assert.True(File.Exists(item.DataPath));
        Assert.True(File.Exists(Record("queue", "a", item.Sequence)));
        Assert.True(File.Exists(Record("queue", "b", item.Sequence)));
        Assert.Contains("sop-instance=1.2.9.1\n", File.ReadAllText(Record("queue", "a", item.Sequence)));
        Assert.Contains("study=1.2.9\n", File.ReadAllText(Record("queue", "a", item.Sequence)));

        spool.Complete("a", item.Sequence);
        Assert.Equal(0, spool.QueuedCount("a"));
        Assert.True(Gone(Record("queue", "a", item.Sequence))); // unlinked by the janitor thread
        Assert.True(File.Exists(item.DataPath)); // b still needs it
        spool.Complete("b", item.Sequence);
        Assert.True(Gone(item.DataPath));
        Assert.Equal(0, spool.QueueDepth);
    }

    [Fact]
    public void SequenceOrder_IsIntakeOrder_AndSurvivesAReopen()
    {
        var sops = new List<string>();
        using (ObjectSpool spool = Open(["a"]))
        {
            for (int i = 1; i <= 5; i++)
            {
                IngestOne(spool, $"1.2.9.2.{i}", "1.2.9");
            }
        }

        using ObjectSpool reopened = Open(["a"]);
        while (reopened.TryGetNext("a", long.MaxValue, out SpoolObject? next))
        {
            sops.Add(next!.Description.SopInstanceUid);
            reopened.Complete("a", next.Sequence);
        }

        Assert.Equal(["1.2.9.2.1", "1.2.9.2.2", "1.2.9.2.3", "1.2.9.2.4", "1.2.9.2.5"], sops);
        SpoolObject later = IngestOne(reopened, "1.2.9.2.6", "1.2.9");
        Assert.True(later.Sequence > 4); // numbering goes on after a restart
    }

    [Fact]
    public void Fail_Retry_Purge_Reroute_ChangeTheRecordsOnDisk()
    {
        using ObjectSpool spool = Open(["a", "b"]);
        SpoolObject x = IngestOne(spool, "1.2.9.3.1", "1.2.9.3");
        SpoolObject y = IngestOne(spool, "1.2.9.3.2", "1.2.9.3");

        spool.Fail("a", x.Sequence, new DeliveryFailure(0xA900, "mismatch", DateTimeOffset.UtcNow));
        Assert.False(File.Exists(Record("queue", "a", x.Sequence)));
        Assert.Contains("status=0xA900", File.ReadAllText(Record("failed", "a", x.Sequence)));
        Assert.Equal(1, spool.FailedCount("a"));
        Assert.Equal(1, spool.QueuedCount("a"));

        Assert.Equal(1, spool.Retry(new ObjectSelector(ObjectSelectorKind.SopInstance, "1.2.9.3.1"), "a"));
        Assert.True(File.Exists(Record("queue", "a", x.Sequence)));
        Assert.False(File.Exists(Record("failed", "a", x.Sequence)));

        // Reroute the whole study from a to b: b already has both, so a's records just go.
        Assert.Equal(2, spool.Reroute(new ObjectSelector(ObjectSelectorKind.Study, "1.2.9.3"), "a", "b"));
        Assert.Equal(0, spool.QueuedCount("a"));
        Assert.Equal(2, spool.QueuedCount("b"));

        // Purge: queued records only with includeQueued; the data goes with the last record.
        Assert.Equal(0, spool.Purge(ObjectSelector.All, null, includeQueued: false));
        Assert.Equal(2, spool.Purge(ObjectSelector.All, "b", includeQueued: true));
        Assert.False(File.Exists(x.DataPath));
        Assert.False(File.Exists(y.DataPath));
        Assert.Equal(0, spool.QueueDepth);
    }

    [Fact]
    public void Open_RefusesASpoolAnotherAgentHolds()
    {
        using ObjectSpool first = Open(["a"]);
        IOException e = Assert.Throws<IOException>(() => Open(["a"]));
        Assert.Contains("in use by another agent", e.Message);
    }

    [Fact]
    public void Recovery_FinishesAnObjectCaughtBetweenIntakeAndItsRecords()
    {
        using (ObjectSpool spool = Open(["a", "b"]))
        {
        }

        // State after a crash right after the move into ingest/: data there, no records.
        File.WriteAllBytes(Path.Combine(_root, "spool", "ingest", "0000000000000007.dcm"), TestObjects.Build("1.2.9.4", "1.2.9"));
        using ObjectSpool recovered = Open(["a", "b"]);
        Assert.Equal(1, recovered.QueuedCount("a"));
        Assert.Equal(1, recovered.QueuedCount("b"));
        Assert.True(recovered.TryGetNext("a", long.MaxValue, out SpoolObject? item));
        Assert.Equal("1.2.9.4", item!.Description.SopInstanceUid);
        Assert.Equal("1.2.9", item.Description.StudyInstanceUid);
        Assert.True(File.Exists(item.DataPath));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "spool", "ingest")));
        Assert.Contains(_log, l => l.Contains("finished intake of 1.2.9.4", StringComparison.Ordinal));
    }

    [Fact]
    public void Recovery_DeletesDataNoRecordRefersTo_AndTemporaryFiles()
    {
        using (ObjectSpool spool = Open(["a"]))
        {
            SpoolObject item = IngestOne(spool, "1.2.9.5", "1.2.9");
            // Crash after the last record's unlink, before the data's: simulate by putting the data back.
            spool.Complete("a", item.Sequence);
            File.WriteAllBytes(item.DataPath, [1, 2, 3]);
        }

        File.WriteAllText(Path.Combine(_root, "spool", "tmp", "a-0000000000000000.tmp"), "half a record");
        using ObjectSpool recovered = Open(["a"]);
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "spool", "objects")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "spool", "tmp")));
        Assert.Equal(0, recovered.QueueDepth);
    }

    [Fact]
    public void Recovery_KeepsTheFailureWhenACrashLeftBothAFailedAndAQueuedRecord()
    {
        long sequence;
        using (ObjectSpool spool = Open(["a"]))
        {
            sequence = IngestOne(spool, "1.2.9.6", "1.2.9").Sequence;
            spool.Fail("a", sequence, new DeliveryFailure(0xC000, "cannot understand", DateTimeOffset.UtcNow));
        }

        // Crash between writing the failed record and deleting the queued one.
        File.Copy(Record("failed", "a", sequence), Record("queue", "a", sequence));
        using ObjectSpool recovered = Open(["a"]);
        Assert.Equal(1, recovered.FailedCount("a"));
        Assert.Equal(0, recovered.QueuedCount("a"));
        Assert.False(File.Exists(Record("queue", "a", sequence)));
    }

    [Fact]
    public void Recovery_AddsQueuesForANewDestinationOnlyForNewObjects_AndKeepsARemovedDestinationsRecords()
    {
        using (ObjectSpool spool = Open(["old"]))
        {
            IngestOne(spool, "1.2.9.7", "1.2.9");
        }

        using ObjectSpool reopened = Open(["new"]);
        Assert.Equal(1, reopened.QueuedCount("old"));
        Assert.Contains("old", reopened.KnownDestinations);
        Assert.Equal(0, reopened.QueuedCount("new"));
        Assert.Equal(1, reopened.Reroute(ObjectSelector.All, "old", "new"));
        Assert.Equal(1, reopened.QueuedCount("new"));
    }

    [Fact]
    public void FullDisk_IngestFailsClearly_LeavesTheFileInIncoming_AndLosesNothingQueued()
    {
        // A 512 KiB tmpfs is a spool disk that fills up for real (tests run as root, as CI does). The incoming
        // folder is on another file system, so intake copies.
        string spoolMount = Path.Combine(_root, "spool");
        Directory.CreateDirectory(spoolMount);
        Run("mount", $"-t tmpfs -o size=512k tmpfs {spoolMount}");
        try
        {
            using ObjectSpool spool = Open(["a"]);
            SpoolObject small = IngestOne(spool, "1.2.9.8.1", "1.2.9", sameFileSystem: false);
            string big = TestObjects.Drop(Incoming(), "1.2.9.8.2", "1.2.9", pixelBytes: 1024 * 1024);
            var info = StorageScuInfo(big);
            IOException e = Assert.ThrowsAny<IOException>(() => spool.Ingest([(big, Describe("1.2.9.8.2"), info)], sameFileSystem: false));
            Assert.Contains("space", e.Message, StringComparison.OrdinalIgnoreCase);
            Assert.True(File.Exists(big)); // still in incoming, whole
            Assert.Equal(new FileInfo(big).Length, TestObjects.Build("1.2.9.8.2", "1.2.9", 1024 * 1024).Length);
            Assert.Empty(Directory.GetFiles(Path.Combine(spoolMount, "tmp"))); // the partial copy is gone

            // What was queued before is intact and still deliverable, also after a restart.
            Assert.Equal(1, spool.QueuedCount("a"));
            spool.Dispose();
            using ObjectSpool reopened = Open(["a"]);
            Assert.True(reopened.TryGetNext("a", long.MaxValue, out SpoolObject? item));
            Assert.Equal("1.2.9.8.1", item!.Description.SopInstanceUid);
            Assert.Equal(TestObjects.Build("1.2.9.8.1", "1.2.9"), File.ReadAllBytes(item.DataPath));
        }
        finally
        {
            Run("umount", spoolMount);
        }
    }

    private static bool Gone(string path)
    {
        for (int i = 0; i < 500 && File.Exists(path); i++)
        {
            System.Threading.Thread.Sleep(10);
        }

        return !File.Exists(path);
    }

    private ObjectSpool Open(string[] destinations)
        => ObjectSpool.Open(Path.Combine(_root, "spool"), destinations, path => Intake.ObjectValidator.TryValidate(path, out ObjectDescription? d, out _, out _) ? d : null, _log.Add);

    private string Incoming()
    {
        string path = Path.Combine(_root, "incoming");
        Directory.CreateDirectory(path);
        return path;
    }

    private SpoolObject IngestOne(ObjectSpool spool, string sop, string study, bool sameFileSystem = true)
    {
        string path = TestObjects.Drop(Incoming(), sop, study);
        Assert.True(Intake.ObjectValidator.TryValidate(path, out ObjectDescription? description, out Part10FileInfo? info, out string? reason), reason);
        return Assert.Single(spool.Ingest([(path, description!, info!)], sameFileSystem));
    }

    private static ObjectDescription Describe(string sop) => new(sop, TestObjects.SecondaryCapture, "1.2.9", "1.2.840.10008.1.2.1", sop + ".dcm");

    private static Part10FileInfo StorageScuInfo(string path) => Networking.Services.StorageScu.ReadFileInfo(path);

    private string Record(string kind, string destination, long sequence) => Path.Combine(_root, "spool", kind, destination, sequence.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));

    private static void Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {arguments}: {error}");
    }
}
