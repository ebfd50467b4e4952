using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Embedded.Dicom.Interop.Tests.Harness;

/// <summary>The data set part of one <c>dcmdump</c> output: its transfer syntax and normalized element lines.</summary>
internal sealed record DataSetDump(string Path, string TransferSyntax, IReadOnlyList<string> Lines)
{
    /// <summary>The whole dump, one line per element, for messages.</summary>
    public string Text => string.Join('\n', Lines);
}

/// <summary>
/// Compares data sets through DCMTK's eyes: <c>dcmdump</c> parses both files, and the element lines of the
/// data set sections (never the 0002 meta group, which legitimately differs: implementation UID, source AE,
/// and the transfer syntax when a peer converted) must be equal.
/// <para>
/// Normalized away, because they are encodings of the same data set and not part of it: the transfer syntax
/// line; undefined versus explicit lengths of sequences and items (DCMTK prints "(Sequence with undefined length
/// #=1) # u/l" for one and "(Sequence with explicit length #=1) # 128" plus "... for re-encoding" delimiters
/// for the other; storescu and storescp re-encode with explicit lengths by default); column alignment.
/// Everything else (tag, VR, value, value length, VM, keyword, nesting) must match.
/// </para>
/// </summary>
internal static partial class DumpComparer
{
    /// <summary>Dumps one file (dcmdump must parse it: a failure fails the test).</summary>
    public static DataSetDump Dump(string file) => DumpMany([file])[0];

    /// <summary>Dumps several files with one dcmdump run (+F prints a header per file).</summary>
    public static IReadOnlyList<DataSetDump> DumpMany(IReadOnlyList<string> files)
    {
        var dumps = new List<DataSetDump>(files.Count);
        // Bounded batches keep the command line short.
        for (int start = 0; start < files.Count; start += 100)
        {
            string[] batch = files.Skip(start).Take(100).ToArray();
            ToolResult result = DcmtkTools.Run("dcmdump", ["+F", .. batch], TimeSpan.FromSeconds(120));
            Assert.True(result.ExitCode == 0 && result.Stderr.Trim().Length == 0, "dcmdump could not parse every file:\n" + result);
            dumps.AddRange(Parse(result.Stdout, batch));
        }

        return dumps;
    }

    /// <summary>Asserts that DCMTK reads the same data set from both files.</summary>
    public static void AssertSameDataSet(string sent, string received)
    {
        IReadOnlyList<DataSetDump> dumps = DumpMany([sent, received]);
        AssertSameDataSet(dumps[0], dumps[1]);
    }

    /// <summary>Asserts equal element lines, reporting the first difference.</summary>
    public static void AssertSameDataSet(DataSetDump sent, DataSetDump received)
    {
        Assert.True(sent.Lines.Count > 0, $"no data set elements in the dump of {sent.Path}");
        int count = Math.Min(sent.Lines.Count, received.Lines.Count);
        for (int i = 0; i < count; i++)
        {
            if (!string.Equals(sent.Lines[i], received.Lines[i], StringComparison.Ordinal))
            {
                Assert.Fail($"data sets differ at element line {i + 1}:\n  sent     ({sent.Path}): {sent.Lines[i]}\n  received ({received.Path}): {received.Lines[i]}\n" +
                    $"--- sent ({sent.TransferSyntax}) ---\n{sent.Text}\n--- received ({received.TransferSyntax}) ---\n{received.Text}");
            }
        }

        Assert.True(sent.Lines.Count == received.Lines.Count,
            $"sent {sent.Path} has {sent.Lines.Count} element lines, received {received.Path} has {received.Lines.Count}\n--- sent ---\n{sent.Text}\n--- received ---\n{received.Text}");
    }

    /// <summary>Splits a dcmdump +F output into one <see cref="DataSetDump"/> per file.</summary>
    internal static IEnumerable<DataSetDump> Parse(string output, IReadOnlyList<string> files)
    {
        var sections = new List<(string TransferSyntax, List<string> Lines)>();
        List<string>? lines = null;
        string transferSyntax = "";
        bool inDataSet = false;
        foreach (string raw in output.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith("# dcmdump (", StringComparison.Ordinal))
            {
                lines = [];
                sections.Add(("", lines));
                inDataSet = false;
                continue;
            }

            if (lines is null)
            {
                continue;
            }

            if (line.StartsWith("# Dicom-Data-Set", StringComparison.Ordinal))
            {
                inDataSet = true;
                continue;
            }

            if (line.StartsWith("# Dicom-Meta-Information-Header", StringComparison.Ordinal))
            {
                inDataSet = false;
                continue;
            }

            if (inDataSet && line.StartsWith("# Used TransferSyntax: ", StringComparison.Ordinal))
            {
                transferSyntax = line["# Used TransferSyntax: ".Length..].Trim();
                sections[^1] = (transferSyntax, lines);
                continue;
            }

            if (inDataSet && line.TrimStart().StartsWith('(') && !line.TrimStart().StartsWith("(0002,", StringComparison.Ordinal))
            {
                lines.Add(Normalize(line));
            }
        }

        Assert.True(sections.Count == files.Count, $"dcmdump printed {sections.Count} file sections for {files.Count} files:\n{output}");
        for (int i = 0; i < files.Count; i++)
        {
            yield return new DataSetDump(files[i], sections[i].TransferSyntax, sections[i].Lines);
        }
    }

    /// <summary>One element line without the encoding details listed in the class summary.</summary>
    internal static string Normalize(string line)
    {
        int indent = line.Length - line.TrimStart().Length;
        string body = WhiteSpace().Replace(line.Trim(), " ");
        body = SequenceOrItemLength().Replace(body, "($1 #=$2)");
        body = body.Replace("(ItemDelimitationItem for re-encoding)", "(ItemDelimitationItem)", StringComparison.Ordinal)
                   .Replace("(SequenceDelimitationItem for re-encod.)", "(SequenceDelimitationItem)", StringComparison.Ordinal);

        // Sequences, items and delimiters ("SQ", "na"): their length is an encoding choice. Pixel items ("pi") keep theirs.
        string[] parts = body.Split(' ', 3);
        if (parts.Length >= 2 && parts[1] is "SQ" or "na")
        {
            body = StructureLength().Replace(body, "#");
        }

        return new string(' ', indent) + body;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"\((Sequence|Item) with (?:undefined|explicit) length #=(\d+)\)")]
    private static partial Regex SequenceOrItemLength();

    [GeneratedRegex(@"# (?:u/l|\d+),")]
    private static partial Regex StructureLength();

    /// <summary>Where a Part 10 file's data set starts: after the preamble, "DICM" and the 0002 group (its length is the first element).</summary>
    public static long DataSetOffset(string file)
    {
        using FileStream stream = System.IO.File.OpenRead(file);
        Span<byte> head = stackalloc byte[144];
        stream.ReadExactly(head);
        Assert.True(Encoding.ASCII.GetString(head.Slice(128, 4)) == "DICM", $"{file} has no DICM prefix");
        Assert.True(head[132] == 0x02 && head[133] == 0x00 && head[134] == 0x00 && head[135] == 0x00, $"{file} does not start with (0002,0000)");
        return 144 + System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(140, 4));
    }

    /// <summary>Asserts that the last <paramref name="count"/> bytes of both files are equal (e.g. the pixel data value).</summary>
    public static void AssertSameTail(string sent, string received, long count)
    {
        using FileStream a = System.IO.File.OpenRead(sent);
        using FileStream b = System.IO.File.OpenRead(received);
        Assert.True(a.Length >= count && b.Length >= count, $"files shorter than {count} bytes: {a.Length}, {b.Length}");
        a.Seek(-count, SeekOrigin.End);
        b.Seek(-count, SeekOrigin.End);
        byte[] bufferA = new byte[1 << 20];
        byte[] bufferB = new byte[1 << 20];
        long offset = 0;
        while (offset < count)
        {
            int chunk = (int)Math.Min(bufferA.Length, count - offset);
            a.ReadExactly(bufferA, 0, chunk);
            b.ReadExactly(bufferB, 0, chunk);
            if (!bufferA.AsSpan(0, chunk).SequenceEqual(bufferB.AsSpan(0, chunk)))
            {
                Assert.Fail($"the last {count} bytes of {sent} and {received} differ near offset {offset} of that range");
            }

            offset += chunk;
        }
    }
}
