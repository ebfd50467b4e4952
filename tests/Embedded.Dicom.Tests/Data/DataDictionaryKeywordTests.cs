using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace Embedded.Dicom.Tests.Data;

public class DataDictionaryKeywordTests
{
    [Theory]
    [InlineData("PatientName", 0x00100010u)]
    [InlineData("PatientID", 0x00100020u)]
    [InlineData("StudyInstanceUID", 0x0020000Du)]
    [InlineData("SOPInstanceUID", 0x00080018u)]
    [InlineData("PixelData", 0x7FE00010u)]
    [InlineData("ReferencedStudySequence", 0x00081110u)]
    [InlineData("CommandGroupLength", 0x00000000u)]
    [InlineData("Item", 0xFFFEE000u)]
    [InlineData("OverlayData", 0x60003000u)]      // repeating group: its first group
    [InlineData("SourceImageIDs", 0x00203100u)]   // repeating element
    public void TryGetTag_FindsTheTagOfAKeyword(string keyword, uint tag)
    {
        Assert.True(DataDictionary.TryGetTag(keyword, out DicomTag found));
        Assert.Equal(new DicomTag(tag), found);
    }

    [Theory]
    [InlineData("")]
    [InlineData("patientname")]      // keywords are case-sensitive
    [InlineData("PatientNam")]
    [InlineData("PatientNameX")]
    [InlineData(" PatientName")]
    [InlineData("NoSuchKeyword")]
    public void TryGetTag_OfAnythingElse_IsFalse(string keyword)
    {
        Assert.False(DataDictionary.TryGetTag(keyword, out DicomTag tag));
        Assert.Equal(default, tag);
    }

    [Fact]
    public void TryGetTag_FindsEveryKeywordOfTheGeneratedTable()
    {
        // Read the generated table's comments independently: "0x00, 0x10, 0x00, 0x10, (byte)'P', (byte)'N', // PatientName".
        string source = File.ReadAllText(FindRepositoryFile("src/Embedded.Dicom/DataDictionary.Generated.cs"));
        var row = new Regex(@"^\s*0x([0-9A-F]{2}), 0x([0-9A-F]{2}), 0x([0-9A-F]{2}), 0x([0-9A-F]{2}), \(byte\)'.', \(byte\)'.', // (\w+)\s*$", RegexOptions.Multiline);
        var seen = new HashSet<string>();
        int count = 0;
        foreach (Match match in row.Matches(source))
        {
            uint tag = Convert.ToUInt32(match.Groups[1].Value + match.Groups[2].Value + match.Groups[3].Value + match.Groups[4].Value, 16);
            string keyword = match.Groups[5].Value;
            Assert.True(seen.Add(keyword), $"duplicate keyword {keyword}");
            Assert.True(DataDictionary.TryGetTag(keyword, out DicomTag found), keyword);
            Assert.Equal(new DicomTag(tag), found);
            Assert.Equal(keyword, DataDictionary.GetKeyword(tag));
            Assert.Equal(Encoding.ASCII.GetBytes(keyword), DataDictionary.GetKeywordUtf8(tag).ToArray());
            count++;
        }

        Assert.InRange(count, 4800, 5000);
    }

    [Fact]
    public void TryGetTag_FindsEveryRepeaterKeyword()
    {
        // The repeater rows: mask, value, VR, then "// 60xx3000 OverlayData".
        string source = File.ReadAllText(FindRepositoryFile("src/Embedded.Dicom/DataDictionary.Generated.cs"));
        var row = new Regex(@"^\s*(?:0x[0-9A-F]{2}, ){8}\(byte\)'.', \(byte\)'.', // ([0-9A-Fx]{8}) (\w+)\s*$", RegexOptions.Multiline);
        int count = 0;
        foreach (Match match in row.Matches(source))
        {
            string pattern = match.Groups[1].Value;
            string keyword = match.Groups[2].Value;
            uint first = Convert.ToUInt32(pattern.Replace('x', '0'), 16);

            // Another member: the last x 2, the others 0 (6002xxxx, 7F02xxxx, 10000020, 00280420, 00203102):
            // an even group of 50xx/60xx, and at most 501E/601E (PS3.5 §7.6).
            int lastX = pattern.LastIndexOf('x');
            uint other = Convert.ToUInt32((pattern[..lastX] + "2" + pattern[(lastX + 1)..]).Replace('x', '0'), 16);

            Assert.True(DataDictionary.TryGetTag(keyword, out DicomTag found), keyword);
            Assert.Equal(new DicomTag(first), found);
            // GetKeyword(first) is not asserted: a few first members are table rows of their own, which win
            // ((0028,0400) TransformLabel over 002804x0 RowsForNthOrderCoefficients).
            Assert.Equal(keyword, DataDictionary.GetKeyword(other));
            Assert.Equal(Encoding.ASCII.GetBytes(keyword), DataDictionary.GetKeywordUtf8(other).ToArray());
            count++;
        }

        Assert.InRange(count, 80, 100);
    }

    [Theory]
    [InlineData("(0010,0010)", 0x00100010u)]
    [InlineData("0010,0010", 0x00100010u)]
    [InlineData("00100010", 0x00100010u)]
    [InlineData("(7fe0,0010)", 0x7FE00010u)]
    [InlineData("7FE00010", 0x7FE00010u)]
    [InlineData("  (0009,1001) ", 0x00091001u)]  // private tags parse as numbers
    [InlineData("PatientName", 0x00100010u)]
    [InlineData(" PatientID ", 0x00100020u)]
    [InlineData("(FFFE,E0DD)", 0xFFFEE0DDu)]
    public void TryParseTag_AcceptsTheFormsOfTheCommandLine(string text, uint tag)
    {
        Assert.True(DataDictionary.TryParseTag(text, out DicomTag found));
        Assert.Equal(new DicomTag(tag), found);
    }

    [Theory]
    [InlineData("")]
    [InlineData("(0010,001G)")]
    [InlineData("0010,00100")]
    [InlineData("(0010,0010")]
    [InlineData("0010;0010")]
    [InlineData("+0100010")]
    [InlineData("0x100010")]
    [InlineData("001000100")]
    [InlineData("(0010 0010)")]
    [InlineData("patientname")]
    public void TryParseTag_RejectsAnythingElse(string text)
    {
        Assert.False(DataDictionary.TryParseTag(text, out _));
    }

    private static string FindRepositoryFile(string relativePath)
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(relativePath);
    }
}
