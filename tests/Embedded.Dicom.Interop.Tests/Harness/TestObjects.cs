using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Text;

namespace Embedded.Dicom.Interop.Tests.Harness;

/// <summary>The uncompressed encodings dump2dcm can write directly.</summary>
internal enum DataSetEncoding
{
    ExplicitLittle,
    ImplicitLittle,
    ExplicitBig,
}

/// <summary>What <see cref="TestObjects.CreateImage"/> builds.</summary>
internal sealed record ImageSpec
{
    public string SopClassUid { get; init; } = TestObjects.SecondaryCaptureImageStorage;

    public string SopInstanceUid { get; init; } = TestObjects.NewUid();

    public int Rows { get; init; } = 64;

    public int Columns { get; init; } = 64;

    /// <summary>Above 1, the object gets NumberOfFrames and FrameIncrementPointer.</summary>
    public int Frames { get; init; } = 1;

    /// <summary>8 (OB pixel data) or 16 (OW).</summary>
    public int BitsAllocated { get; init; } = 16;

    /// <summary>Elements of many VRs (AE … UR, FD, FL, SL, SS, UL, AT, OB, UT, UC) and nested sequences with an empty item and an empty sequence.</summary>
    public bool Rich { get; init; } = true;

    /// <summary>Write sequences and items with undefined length (delimitation items) instead of explicit lengths.</summary>
    public bool UndefinedLengths { get; init; }

    public DataSetEncoding Encoding { get; init; } = DataSetEncoding.ExplicitLittle;

    /// <summary>Size of the pixel data value in bytes.</summary>
    public long PixelDataLength => (long)Rows * Columns * Frames * (BitsAllocated / 8);
}

/// <summary>
/// Builds the test objects: the test writes a dcmdump-style text dump (and a raw pixel file referenced with
/// dump2dcm's <c>=filename</c> syntax), dump2dcm turns it into a Part 10 file, and dcmconv / dcmcjpeg / dcmcrle
/// produce the other transfer syntaxes. Nothing is downloaded.
/// </summary>
internal static class TestObjects
{
    public const string VerificationSopClass = "1.2.840.10008.1.1";
    public const string SecondaryCaptureImageStorage = "1.2.840.10008.5.1.4.1.1.7";
    public const string MultiFrameGrayscaleWordSecondaryCaptureImageStorage = "1.2.840.10008.5.1.4.1.1.7.3";
    public const string ExplicitVRLittleEndian = "1.2.840.10008.1.2.1";
    public const string ImplicitVRLittleEndian = "1.2.840.10008.1.2";
    public const string ExplicitVRBigEndian = "1.2.840.10008.1.2.2";
    public const string DeflatedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.99";
    public const string JpegLosslessSV1 = "1.2.840.10008.1.2.4.70";
    public const string RleLossless = "1.2.840.10008.1.2.5";

    /// <summary>A UUID-derived UID (PS3.5 §B.2: 2.25.&lt;decimal UUID&gt;), unique per call.</summary>
    public static string NewUid() => "2.25." + new BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true).ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes the dump and the pixel file for <paramref name="spec"/>, runs dump2dcm, returns the file path.</summary>
    public static string CreateImage(string folder, string name, ImageSpec spec)
    {
        string pixels = Path.Combine(folder, name + ".pixels.raw");
        WritePixels(pixels, spec);
        string dump = Path.Combine(folder, name + ".dump");
        File.WriteAllText(dump, BuildDump(spec, pixels), System.Text.Encoding.ASCII);
        string output = Path.Combine(folder, name);
        var arguments = new List<string>
        {
            spec.Encoding switch
            {
                DataSetEncoding.ImplicitLittle => "+ti",
                DataSetEncoding.ExplicitBig => "+tb",
                _ => "+te",
            },
            spec.UndefinedLengths ? "-e" : "+e",
            dump,
            output,
        };
        DcmtkTools.RunChecked("dump2dcm", arguments, TimeSpan.FromSeconds(120));
        File.Delete(pixels);
        return output;
    }

    /// <summary>The dcmdump-syntax text dump of <paramref name="spec"/>'s data set (dump2dcm writes the meta group).</summary>
    public static string BuildDump(ImageSpec spec, string pixelFile)
    {
        var d = new StringBuilder();
        d.AppendLine("# Dicom-Data-Set");
        d.AppendLine("(0008,0016) UI [" + spec.SopClassUid + "]");
        d.AppendLine("(0008,0018) UI [" + spec.SopInstanceUid + "]");
        d.AppendLine("(0008,0020) DA [20240101]");
        d.AppendLine("(0008,0030) TM [123456.78]");
        d.AppendLine("(0008,0060) CS [OT]");
        d.AppendLine("(0008,0064) CS [WSD]");
        d.AppendLine("(0010,0010) PN [Interop^Test]");
        d.AppendLine("(0010,0020) LO [EDICOM-INTEROP]");
        d.AppendLine("(0020,000d) UI [2.25.1001]");
        d.AppendLine("(0020,000e) UI [2.25.1002]");
        d.AppendLine("(0020,0013) IS [7]");
        if (spec.Rich)
        {
            d.AppendLine("(0008,0005) CS [ISO_IR 100]");
            d.AppendLine("(0008,002a) DT [20240101123456.789]");
            d.AppendLine("(0008,0050) SH [ACC-42]");
            d.AppendLine("(0008,0054) AE [ARCHIVE]");
            d.AppendLine("(0008,0081) ST [1 Main Street, Springfield]");
            d.AppendLine("(0008,0090) PN []");
            d.AppendLine("(0008,0119) UC [A long code value that is longer than sixty-four characters, which UC allows]");
            d.AppendLine("(0008,0120) UR [http://example.com/edicom/interop]");
            d.AppendLine("(0010,1010) AS [042Y]");
            d.AppendLine("(0018,0050) DS [1.25]");
            d.AppendLine("(0018,6016) UL 7");
            d.AppendLine("(0018,6020) SL -42");
            d.AppendLine("(0018,9087) FD 1000.5");
            d.AppendLine("(0018,9219) SS -7");
            d.AppendLine("(0018,9461) FL 1.5\\2.5");
            d.AppendLine("(0020,4000) LT [An image comment for the interop tests]");
            d.AppendLine("(0028,0030) DS [0.5\\0.5]");
            d.AppendLine("(0040,a160) UT [Unlimited text value]");
            d.AppendLine("(0042,0011) OB 01\\02\\03\\04\\05\\06");

            // Nested sequences: an item holding a sequence, an empty item, a second item, and an empty sequence.
            d.AppendLine("(0008,1115) SQ (Sequence with undefined length)");
            d.AppendLine("  (fffe,e000) na (Item with undefined length)");
            d.AppendLine("    (0008,1140) SQ (Sequence with undefined length)");
            d.AppendLine("      (fffe,e000) na (Item with undefined length)");
            d.AppendLine("        (0008,1150) UI [1.2.840.10008.5.1.4.1.1.2]");
            d.AppendLine("        (0008,1155) UI [2.25.2001]");
            d.AppendLine("      (fffe,e00d) na (ItemDelimitationItem)");
            d.AppendLine("      (fffe,e000) na (Item with undefined length)");
            d.AppendLine("      (fffe,e00d) na (ItemDelimitationItem)");
            d.AppendLine("    (fffe,e0dd) na (SequenceDelimitationItem)");
            d.AppendLine("    (0020,000e) UI [2.25.2002]");
            d.AppendLine("  (fffe,e00d) na (ItemDelimitationItem)");
            d.AppendLine("  (fffe,e000) na (Item with undefined length)");
            d.AppendLine("    (0008,1199) SQ (Sequence with undefined length)");
            d.AppendLine("    (fffe,e0dd) na (SequenceDelimitationItem)");
            d.AppendLine("    (0020,000e) UI [2.25.2003]");
            d.AppendLine("  (fffe,e00d) na (ItemDelimitationItem)");
            d.AppendLine("(fffe,e0dd) na (SequenceDelimitationItem)");
            d.AppendLine("(0040,0275) SQ (Sequence with undefined length)");
            d.AppendLine("(fffe,e0dd) na (SequenceDelimitationItem)");
        }

        d.AppendLine("(0028,0002) US 1");
        d.AppendLine("(0028,0004) CS [MONOCHROME2]");
        if (spec.Frames > 1)
        {
            d.AppendLine("(0028,0008) IS [" + spec.Frames.ToString(CultureInfo.InvariantCulture) + "]");
            d.AppendLine("(0028,0009) AT (0018,1063)");
            d.AppendLine("(0018,1063) DS [33.3]");
        }

        d.AppendLine("(0028,0010) US " + spec.Rows.ToString(CultureInfo.InvariantCulture));
        d.AppendLine("(0028,0011) US " + spec.Columns.ToString(CultureInfo.InvariantCulture));
        int bitsStored = spec.BitsAllocated == 16 ? 12 : 8;
        d.AppendLine("(0028,0100) US " + spec.BitsAllocated.ToString(CultureInfo.InvariantCulture));
        d.AppendLine("(0028,0101) US " + bitsStored.ToString(CultureInfo.InvariantCulture));
        d.AppendLine("(0028,0102) US " + (bitsStored - 1).ToString(CultureInfo.InvariantCulture));
        d.AppendLine("(0028,0103) US 0");
        d.AppendLine("(7fe0,0010) " + (spec.BitsAllocated == 16 ? "OW" : "OB") + " =" + pixelFile);
        return d.ToString();
    }

    /// <summary>A deterministic ramp per frame (not constant, so that compression and byte order matter), little endian.</summary>
    private static void WritePixels(string path, ImageSpec spec)
    {
        using FileStream file = File.Create(path);
        int bytesPerSample = spec.BitsAllocated / 8;
        int samplesPerFrame = spec.Rows * spec.Columns;
        byte[] frame = new byte[samplesPerFrame * bytesPerSample];
        for (int f = 0; f < spec.Frames; f++)
        {
            for (int i = 0; i < samplesPerFrame; i++)
            {
                int value = (i % spec.Columns) * 7 + (i / spec.Columns) * 3 + f * 11;
                if (bytesPerSample == 2)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(i * 2), (ushort)(value & 0x0FFF));
                }
                else
                {
                    frame[i] = (byte)value;
                }
            }

            file.Write(frame);
        }
    }

    /// <summary>dcmconv with <paramref name="options"/> (e.g. +tb, +td, +ti) from <paramref name="source"/> to a new file.</summary>
    public static string Convert(string source, string destination, params string[] options)
    {
        DcmtkTools.RunChecked("dcmconv", [.. options, source, destination], TimeSpan.FromSeconds(120));
        return destination;
    }

    /// <summary>dcmcjpeg's default lossless encoding: JPEG Lossless, Non-Hierarchical, First-Order Prediction (1.2.840.10008.1.2.4.70).</summary>
    public static string CompressJpegLossless(string source, string destination)
    {
        DcmtkTools.RunChecked("dcmcjpeg", ["+e1", source, destination], TimeSpan.FromSeconds(120));
        return destination;
    }

    /// <summary>dcmcrle: RLE Lossless (1.2.840.10008.1.2.5).</summary>
    public static string CompressRle(string source, string destination)
    {
        DcmtkTools.RunChecked("dcmcrle", [source, destination], TimeSpan.FromSeconds(120));
        return destination;
    }

    /// <summary>
    /// Copies of <paramref name="template"/> with distinct SOP Instance UIDs, without running a tool per copy: the
    /// template's UID ends in "00000" and each copy replaces those five digits (same length, so no element length
    /// changes) in both places it occurs, (0002,0003) and (0008,0018).
    /// </summary>
    public static IReadOnlyList<string> Clone(string template, string templateUid, string folder, int count)
    {
        Assert.EndsWith("00000", templateUid);
        byte[] bytes = File.ReadAllBytes(template);
        byte[] uid = System.Text.Encoding.ASCII.GetBytes(templateUid);
        var positions = new List<int>();
        for (int i = bytes.AsSpan().IndexOf(uid); i >= 0;)
        {
            positions.Add(i);
            int next = bytes.AsSpan(i + 1).IndexOf(uid);
            i = next < 0 ? -1 : i + 1 + next;
        }

        Assert.True(positions.Count == 2, $"the template UID occurs {positions.Count} times in {template}, expected 2");
        var files = new List<string>(count);
        for (int n = 1; n <= count; n++)
        {
            byte[] suffix = System.Text.Encoding.ASCII.GetBytes(n.ToString("D5", CultureInfo.InvariantCulture));
            foreach (int position in positions)
            {
                suffix.CopyTo(bytes, position + uid.Length - 5);
            }

            string path = Path.Combine(folder, $"clone{n:D5}.dcm");
            File.WriteAllBytes(path, bytes);
            files.Add(path);
        }

        return files;
    }

    /// <summary>A UID ending in "00000", for <see cref="Clone"/>.</summary>
    public static string NewTemplateUid()
    {
        string uid = NewUid();
        return uid[..Math.Min(uid.Length, 50)] + "100000";
    }

    /// <summary>The SOP Instance UID that <see cref="Clone"/> gives copy <paramref name="n"/> (1-based).</summary>
    public static string CloneUid(string templateUid, int n) => templateUid[..^5] + n.ToString("D5", CultureInfo.InvariantCulture);
}
