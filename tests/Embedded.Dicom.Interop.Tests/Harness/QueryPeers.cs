using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace Embedded.Dicom.Interop.Tests.Harness;

/// <summary>A patient/study/series/instance to create with dump2dcm for the query tests.</summary>
internal sealed record QueryObjectSpec(string PatientName, string PatientId, string StudyUid, string StudyDate, string Accession, string SeriesUid, string Modality)
{
    public string SopInstanceUid { get; init; } = TestObjects.NewUid();
}

/// <summary>A Modality Worklist item (one Scheduled Procedure Step) to create with dump2dcm.</summary>
internal sealed record WorklistSpec(string PatientName, string PatientId, string Accession, string Modality, string StationAe, string StartDate, string Description);

/// <summary>
/// Builds query test data with DCMTK (dump2dcm from text dumps written here), starts DCMTK's dcmqrscp and
/// wlmscpfs on free ports of 127.0.0.1 and runs findscu; everything bounded, servers stopped by PID.
/// </summary>
internal static partial class QueryPeers
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(20);

    /// <summary>A small Secondary Capture object (no pixel data: query keys are all that matter) as a Part 10 file.</summary>
    public static string CreateObject(string folder, QueryObjectSpec spec)
    {
        var d = new StringBuilder();
        d.AppendLine("(0008,0005) CS [ISO_IR 100]");
        d.AppendLine("(0008,0016) UI [" + TestObjects.SecondaryCaptureImageStorage + "]");
        d.AppendLine("(0008,0018) UI [" + spec.SopInstanceUid + "]");
        d.AppendLine("(0008,0020) DA [" + spec.StudyDate + "]");
        d.AppendLine("(0008,0050) SH [" + spec.Accession + "]");
        d.AppendLine("(0008,0060) CS [" + spec.Modality + "]");
        d.AppendLine("(0010,0010) PN [" + spec.PatientName + "]");
        d.AppendLine("(0010,0020) LO [" + spec.PatientId + "]");
        d.AppendLine("(0020,000d) UI [" + spec.StudyUid + "]");
        d.AppendLine("(0020,000e) UI [" + spec.SeriesUid + "]");
        d.AppendLine("(0020,0013) IS [1]");
        return DumpToFile(folder, spec.SopInstanceUid + ".dcm", d.ToString());
    }

    /// <summary>A worklist file as wlmscpfs keeps them (DCMTK's wlistdb examples: a Part 10 file per item).</summary>
    public static string CreateWorklistItem(string folder, string name, WorklistSpec spec)
    {
        var d = new StringBuilder();
        d.AppendLine("(0008,0005) CS [ISO_IR 100]");
        d.AppendLine("(0008,0050) SH [" + spec.Accession + "]");
        d.AppendLine("(0010,0010) PN [" + spec.PatientName + "]");
        d.AppendLine("(0010,0020) LO [" + spec.PatientId + "]");
        d.AppendLine("(0010,0030) DA [19700101]");
        d.AppendLine("(0010,0040) CS [O]");
        d.AppendLine("(0020,000d) UI [" + TestObjects.NewUid() + "]");
        d.AppendLine("(0032,1060) LO [" + spec.Description + "]");
        d.AppendLine("(0040,0100) SQ (Sequence with undefined length)");
        d.AppendLine("  (fffe,e000) na (Item with undefined length)");
        d.AppendLine("    (0008,0060) CS [" + spec.Modality + "]");
        d.AppendLine("    (0040,0001) AE [" + spec.StationAe + "]");
        d.AppendLine("    (0040,0002) DA [" + spec.StartDate + "]");
        d.AppendLine("    (0040,0003) TM [080000]");
        d.AppendLine("    (0040,0006) PN [DR^WHO]");
        d.AppendLine("    (0040,0007) LO [" + spec.Description + "]");
        d.AppendLine("    (0040,0009) SH [SPS-" + spec.PatientId + "]");
        d.AppendLine("  (fffe,e00d) na (ItemDelimitationItem)");
        d.AppendLine("(fffe,e0dd) na (SequenceDelimitationItem)");
        d.AppendLine("(0040,1001) SH [RP-" + spec.PatientId + "]");
        return DumpToFile(folder, name, d.ToString());
    }

    private static string DumpToFile(string folder, string name, string dump)
    {
        string dumpPath = Path.Combine(folder, name + ".dump.txt");
        File.WriteAllText(dumpPath, dump, Encoding.ASCII);
        string output = Path.Combine(folder, name);
        DcmtkTools.RunChecked("dump2dcm", ["+te", dumpPath, output]);
        File.Delete(dumpPath);
        return output;
    }

    /// <summary>
    /// Starts dcmqrscp with a configuration that gives AE <paramref name="aeTitle"/> the storage area
    /// <paramref name="storage"/> (read/write, any peer). Fork mode: DCMTK 3.6.7's single-process mode (-s)
    /// crashes (SIGSEGV) after the first association is released.
    /// </summary>
    public static ServerProcess StartDcmQrScp(string workFolder, string storage, string aeTitle)
    {
        Directory.CreateDirectory(storage);
        var failures = new List<string>();
        for (int attempt = 0; attempt < 5; attempt++)
        {
            int port = FreePort.Find();
            string config = Path.Combine(workFolder, "dcmqrscp.cfg");
            File.WriteAllText(config, string.Join('\n',
                "NetworkTCPPort  = " + port.ToString(CultureInfo.InvariantCulture),
                "MaxPDUSize      = 16384",
                "MaxAssociations = 16",
                "HostTable BEGIN",
                "HostTable END",
                "VendorTable BEGIN",
                "VendorTable END",
                "AETable BEGIN",
                $"{aeTitle}   {storage}   RW (200, 1024mb)   ANY",
                "AETable END",
                ""));
            var server = new ServerProcess(DcmtkTools.CreateStartInfo(DcmtkTools.Resolve("dcmqrscp"), ["-c", config, "-v", port.ToString(CultureInfo.InvariantCulture)], workFolder), port);
            if (WaitUntilAnswering(server, aeTitle))
            {
                return server;
            }

            failures.Add(server.ToString());
            server.Dispose();
        }

        throw new InvalidOperationException("dcmqrscp did not start:\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// Starts wlmscpfs over <paramref name="database"/>: worklist files are read from database/AETITLE/*.wl, and
    /// that folder must hold a "lockfile" (wlmscpfs locks it while it searches).
    /// </summary>
    public static ServerProcess StartWlmScpFs(string database, string aeTitle)
    {
        File.WriteAllText(Path.Combine(database, aeTitle, "lockfile"), "");
        var failures = new List<string>();
        for (int attempt = 0; attempt < 5; attempt++)
        {
            int port = FreePort.Find();
            var server = new ServerProcess(DcmtkTools.CreateStartInfo(DcmtkTools.Resolve("wlmscpfs"), ["-dfp", database, "-v", port.ToString(CultureInfo.InvariantCulture)], database), port);
            if (WaitUntilAnswering(server, aeTitle))
            {
                return server;
            }

            failures.Add(server.ToString());
            server.Dispose();
        }

        throw new InvalidOperationException("wlmscpfs did not start:\n" + string.Join("\n", failures));
    }

    private static bool WaitUntilAnswering(ServerProcess server, string aeTitle)
    {
        DateTime deadline = DateTime.UtcNow + s_startTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited)
            {
                return false;
            }

            ToolResult echo = DcmtkTools.Run("echoscu", ["-aec", aeTitle, "-to", "2", "-ta", "5", "-td", "5", "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture)],
                TimeSpan.FromSeconds(15));
            if (echo.ExitCode == 0)
            {
                return true;
            }

            Thread.Sleep(100);
        }

        return false;
    }

    /// <summary>
    /// Runs findscu against 127.0.0.1:<paramref name="port"/> with the responses extracted to
    /// <paramref name="extractFolder"/> (-X: rsp0001.dcm …), and returns the run and the responses' values.
    /// </summary>
    public static (ToolResult Run, List<Dictionary<string, string>> Responses) FindScu(int port, string aeTitle, string extractFolder, params string[] arguments)
    {
        Directory.CreateDirectory(extractFolder);
        var all = new List<string> { "-v", "-aec", aeTitle, "-to", "5", "-ta", "10", "-td", "20", "-X", "-od", extractFolder };
        all.AddRange(arguments);
        all.Add("127.0.0.1");
        all.Add(port.ToString(CultureInfo.InvariantCulture));
        ToolResult run = DcmtkTools.Run("findscu", all);
        var responses = Directory.GetFiles(extractFolder, "rsp*.dcm").Order(StringComparer.Ordinal).Select(DumpValues).ToList();
        return (run, responses);
    }

    [GeneratedRegex(@"^\s*\(([0-9a-f]{4},[0-9a-f]{4})\) [A-Z]{2} (?:\[(.*?)\]|\(no value available\)|(-?[0-9.\\]+))", RegexOptions.Multiline)]
    private static partial Regex DumpLine();

    /// <summary>
    /// The values of a file as dcmdump prints them, by "gggg,eeee" (lower-case hex); items' elements are
    /// included (the first occurrence of a tag wins), values without a value are "".
    /// </summary>
    public static Dictionary<string, string> DumpValues(string file)
    {
        ToolResult dump = DcmtkTools.RunChecked("dcmdump", ["+L", file]);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match line in DumpLine().Matches(dump.Stdout))
        {
            string value = line.Groups[2].Success ? line.Groups[2].Value : line.Groups[3].Success ? line.Groups[3].Value : "";
            values.TryAdd(line.Groups[1].Value, value.TrimEnd(' ', '\0'));
        }

        return values;
    }
}
