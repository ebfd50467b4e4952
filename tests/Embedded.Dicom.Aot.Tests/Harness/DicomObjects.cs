using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Embedded.Dicom.Aot.Tests.Harness;

/// <summary>
/// Test objects made by the x64 binary itself (<c>edicom demo --samples</c>: Secondary Capture, Explicit VR
/// Little Endian, 8-bit pixels), and the check that what a receiver wrote is what was sent, through DCMTK's
/// eyes: dcmdump must parse every received file, and its data set (not the 0002 meta group, which the receiver
/// writes) must equal the sent one element by element.
/// </summary>
internal static partial class DicomObjects
{
    /// <summary>
    /// Writes <paramref name="count"/> small objects (64×64) and one large one (<paramref name="largeSize"/>²
    /// bytes of pixels, several P-DATA-TF PDUs at the default 128 KiB maximum length) into sub-folders of
    /// <paramref name="folder"/>; returns every file written.
    /// </summary>
    public static string[] Generate(TempFolder folder, int count = 4, int largeSize = 640)
    {
        string small = folder.Sub("sent-small");
        string large = folder.Sub("sent-large");
        EdicomBinary.X64.RunChecked(["demo", "--samples", small, "--count", count.ToString(CultureInfo.InvariantCulture)]);
        EdicomBinary.X64.RunChecked(["demo", "--samples", large, "--count", "1", "--size", largeSize.ToString(CultureInfo.InvariantCulture)]);
        string[] files = [.. Directory.GetFiles(small).Order(StringComparer.Ordinal), .. Directory.GetFiles(large)];
        Assert.Equal(count + 1, files.Length);
        return files;
    }

    /// <summary>
    /// Asserts that <paramref name="receivedFolder"/> holds exactly one file per sent object (nothing else: no
    /// leftover temporary files), that dcmdump parses each, and that each data set equals the sent one.
    /// </summary>
    public static void AssertReceived(IReadOnlyList<string> sent, string receivedFolder)
    {
        string[] received = Directory.GetFiles(receivedFolder).Order(StringComparer.Ordinal).ToArray();
        Assert.True(received.Length == sent.Count,
            $"{receivedFolder} holds {received.Length} files, {sent.Count} were sent:\n{string.Join("\n", received)}");

        Dictionary<string, IReadOnlyList<string>> expected = sent.Select(DataSetLines).ToDictionary(SopInstanceUid, StringComparer.Ordinal);
        foreach (string file in received)
        {
            IReadOnlyList<string> lines = DataSetLines(file);
            string uid = SopInstanceUid(lines);
            Assert.True(expected.Remove(uid, out IReadOnlyList<string>? sentLines), $"{file} holds SOP Instance UID {uid}, which was not sent (or arrived twice)");
            for (int i = 0; i < Math.Min(sentLines.Count, lines.Count); i++)
            {
                Assert.True(sentLines[i] == lines[i], $"{file} differs from what was sent at data set element {i + 1}:\n  sent:     {Shorten(sentLines[i])}\n  received: {Shorten(lines[i])}");
            }

            Assert.True(sentLines.Count == lines.Count, $"{file} has {lines.Count} data set elements, {sentLines.Count} were sent");
        }
    }

    /// <summary>
    /// The data set element lines of <c>dcmdump +L FILE</c> (which must parse it cleanly), blanks collapsed.
    /// +L prints long values whole, so every pixel byte takes part in the comparison.
    /// </summary>
    public static IReadOnlyList<string> DataSetLines(string file)
    {
        ToolResult dump = Programs.RunDcmtkChecked("dcmdump", ["+L", file]);
        Assert.True(dump.Stderr.Trim().Length == 0, "dcmdump complained:\n" + dump);
        var lines = new List<string>();
        bool inDataSet = false;
        foreach (string line in dump.Stdout.Split('\n'))
        {
            if (line.StartsWith("# Dicom-Data-Set", StringComparison.Ordinal))
            {
                inDataSet = true;
            }
            else if (inDataSet && line.TrimStart().StartsWith('('))
            {
                lines.Add(Blanks().Replace(line.Trim(), " "));
            }
        }

        Assert.True(lines.Count > 0, "no data set in the dump of " + file + "\n" + dump);
        return lines;
    }

    private static string Shorten(string line) => line.Length <= 160 ? line : line[..160] + $"… ({line.Length} characters)";

    private static string SopInstanceUid(IReadOnlyList<string> lines)
    {
        foreach (string line in lines)
        {
            Match match = SopInstanceUidLine().Match(line);
            if (match.Success)
            {
                return match.Groups[1].Value;
            }
        }

        throw new InvalidOperationException("no (0008,0018) SOP Instance UID in:\n" + string.Join("\n", lines));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Blanks();

    [GeneratedRegex(@"^\(0008,0018\) UI \[([0-9.]+)\]")]
    private static partial Regex SopInstanceUidLine();
}
