using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.Json.Nodes;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Tests.Data;

/// <summary>
/// Compares <see cref="DataSetWriter"/> and <see cref="DataSetReader"/> with an independent implementation:
/// Debian's python3-pydicom (installed by the test command, test.sh) builds the same data set by keyword, so VRs,
/// padding, lengths and character encodings come from pydicom's own code, and writes it in eight variants
/// (implicit/explicit VR, defined/undefined sequence lengths, Latin-1/UTF-8); our writer must produce the same
/// bytes, pydicom must read ours to the same values, and our reader must read pydicom's to the same values.
/// Without pydicom the test fails.
/// </summary>
[Trait("Interop", "pydicom")]
public class PydicomDataSetCrossCheckTests
{
    private const string Python = "/usr/bin/python3";

    // Builds the data set of Write below, in pydicom's terms; reads every input variant back.
    private const string Script = """
        import json, sys
        from io import BytesIO
        from pydicom.dataset import Dataset
        from pydicom.sequence import Sequence
        from pydicom.filebase import DicomBytesIO
        from pydicom.filewriter import write_dataset
        from pydicom.filereader import read_dataset

        NAMES = {"latin1": ("ISO_IR 100", "Müller^Jürgen"), "utf8": ("ISO_IR 192", "Müller^山田=やまだ")}

        def build(charset, undefined):
            term, name = NAMES[charset]
            ds = Dataset()
            ds.SpecificCharacterSet = term
            ds.SOPInstanceUID = "1.2.826.0.1.3680043.2.1125.5"
            first = Dataset()
            first.ReferencedSOPClassUID = "1.2.840.10008.3.1.2.3.1"
            first.ReferencedSOPInstanceUID = "1.2.3.4.5"
            inner = Dataset()
            inner.ReferencedSOPInstanceUID = "9.8.7"
            second = Dataset()
            second.ReferencedImageSequence = Sequence([inner])
            ds.ReferencedStudySequence = Sequence([first, second])
            ds.PatientName = name
            ds.PatientID = "12345"
            ds.DiffusionBValue = 1000.5
            ds.InstanceNumber = "7"
            ds.FrameIncrementPointer = 0x00181063
            ds.Rows = 512
            ds.PixelSpacing = ["0.5", "0.25"]
            ds.EncapsulatedDocument = b"\x01\x02\x03"
            if undefined:
                ds["ReferencedStudySequence"].is_undefined_length = True
                second["ReferencedImageSequence"].is_undefined_length = True
                for item in (first, second, inner):
                    item.is_undefined_length_sequence_item = True
            return ds

        def write(ds, implicit):
            fp = DicomBytesIO()
            fp.is_little_endian = True
            fp.is_implicit_VR = implicit
            write_dataset(fp, ds)
            return fp.getvalue().hex()

        def read(hexbytes, implicit):
            ds = read_dataset(BytesIO(bytes.fromhex(hexbytes)), implicit, True)
            ds.decode()
            return {
                "PatientName": str(ds.PatientName),
                "PatientID": ds.PatientID,
                "SOPInstanceUID": str(ds.SOPInstanceUID),
                "Items": len(ds.ReferencedStudySequence),
                "Nested": str(ds.ReferencedStudySequence[1].ReferencedImageSequence[0].ReferencedSOPInstanceUID),
                "Rows": ds.Rows,
                "BValue": ds.DiffusionBValue,
                "Spacing": [str(x) for x in ds.PixelSpacing],
                "Pointer": int(ds.FrameIncrementPointer),
                "Document": ds.EncapsulatedDocument.hex(),
            }

        ours = json.load(sys.stdin)
        result = {}
        for key, hexbytes in ours.items():
            implicit, undefined, charset = key.split("-")
            implicit = implicit == "implicit"
            result[key] = {
                "written": write(build(charset, undefined == "undefined"), implicit),
                "read": read(hexbytes, implicit),
            }
        json.dump(result, sys.stdout)
        """;

    private static readonly Dictionary<string, (SpecificCharacterSet Charset, string Name)> s_names = new()
    {
        ["latin1"] = (SpecificCharacterSet.IsoIr100, "Müller^Jürgen"),
        ["utf8"] = (SpecificCharacterSet.IsoIr192, "Müller^山田=やまだ"),
    };

    private static byte[] Write(bool implicitVR, bool undefined, string charsetKey)
    {
        var (charset, name) = s_names[charsetKey];
        var output = new ArrayBufferWriter<byte>();
        var writer = new DataSetWriter(output, implicitVR ? TransferSyntax.ImplicitVRLittleEndian : TransferSyntax.ExplicitVRLittleEndian);
        writer.WriteSpecificCharacterSet(charset);
        writer.WriteUid(0x00080018, "1.2.826.0.1.3680043.2.1125.5");
        writer.WriteStartSequence(0x00081110, undefined);
        writer.WriteStartItem(undefined);
        writer.WriteUid(0x00081150, "1.2.840.10008.3.1.2.3.1");
        writer.WriteUid(0x00081155, "1.2.3.4.5");
        writer.WriteEndItem();
        writer.WriteStartItem(undefined);
        writer.WriteStartSequence(0x00081140, undefined);
        writer.WriteStartItem(undefined);
        writer.WriteUid(0x00081155, "9.8.7");
        writer.WriteEndItem();
        writer.WriteEndSequence();
        writer.WriteEndItem();
        writer.WriteEndSequence();
        writer.WriteString(0x00100010, name, charset);
        writer.WriteString(0x00100020, "12345");
        writer.WriteDouble(0x00189087, 1000.5);
        writer.WriteString(0x00200013, "7");
        writer.WriteTag(0x00280009, new DicomTag(0x00181063));
        writer.WriteUInt16(0x00280010, 512);
        writer.WriteString(0x00280030, "0.5\\0.25");
        writer.WriteElement(0x00420011, ValueRepresentation.OB, [1, 2, 3]);
        return output.WrittenSpan.ToArray();
    }

    [Fact]
    public void EightVariants_MatchPydicomBothWays()
    {
        var ours = new Dictionary<string, byte[]>();
        var input = new JsonObject();
        foreach (bool implicitVR in new[] { false, true })
        {
            foreach (bool undefined in new[] { false, true })
            {
                foreach (string charset in s_names.Keys)
                {
                    string key = $"{(implicitVR ? "implicit" : "explicit")}-{(undefined ? "undefined" : "defined")}-{charset}";
                    ours[key] = Write(implicitVR, undefined, charset);
                    input[key] = Convert.ToHexString(ours[key]).ToLowerInvariant();
                }
            }
        }

        JsonObject output = RunPydicom(input.ToJsonString());
        Assert.Equal(8, output.Count);
        foreach (var (key, bytes) in ours)
        {
            bool implicitVR = key.StartsWith("implicit", StringComparison.Ordinal);
            string name = s_names[key[(key.LastIndexOf('-') + 1)..]].Name;

            // 1. Byte-identical encoding.
            byte[] theirs = Convert.FromHexString(output[key]!["written"]!.GetValue<string>());
            Assert.True(bytes.AsSpan().SequenceEqual(theirs), $"{key}:\n ours    {Convert.ToHexString(bytes)}\n pydicom {Convert.ToHexString(theirs)}");

            // 2. pydicom reads our bytes to the values written.
            JsonNode read = output[key]!["read"]!;
            Assert.Equal(name, read["PatientName"]!.GetValue<string>());
            Assert.Equal("12345", read["PatientID"]!.GetValue<string>());
            Assert.Equal("1.2.826.0.1.3680043.2.1125.5", read["SOPInstanceUID"]!.GetValue<string>());
            Assert.Equal(2, read["Items"]!.GetValue<int>());
            Assert.Equal("9.8.7", read["Nested"]!.GetValue<string>());
            Assert.Equal(512, read["Rows"]!.GetValue<int>());
            Assert.Equal(1000.5, read["BValue"]!.GetValue<double>());
            Assert.Equal("[\"0.5\",\"0.25\"]", read["Spacing"]!.ToJsonString());
            Assert.Equal(0x00181063, read["Pointer"]!.GetValue<int>());
            Assert.Equal("01020300", read["Document"]!.GetValue<string>()); // OB keeps its pad byte

            // 3. Our reader reads pydicom's bytes to the same values.
            Assert.Equal(
                [
                    $"0 (0008,0005) {(name.Contains('山', StringComparison.Ordinal) ? "ISO_IR 192" : "ISO_IR 100")}",
                    "0 (0008,0018) 1.2.826.0.1.3680043.2.1125.5",
                    "2 (0008,1150) 1.2.840.10008.3.1.2.3.1",
                    "2 (0008,1155) 1.2.3.4.5",
                    "4 (0008,1155) 9.8.7",
                    $"0 (0010,0010) {name}",
                    "0 (0010,0020) 12345",
                    "0 (0018,9087) 1000.5",
                    "0 (0020,0013) 7",
                    "0 (0028,0009) (0018,1063)",
                    "0 (0028,0010) 512",
                    "0 (0028,0030) 0.5\\0.25",
                    "0 (0042,0011) 01020300",
                ],
                ReadValues(theirs, implicitVR));
        }
    }

    /// <summary>Every element as "nesting level, tag, value" (level counts sequences and items).</summary>
    private static List<string> ReadValues(byte[] bytes, bool implicitVR)
    {
        var values = new List<string>();
        var reader = new DataSetReader(new ReadOnlySequence<byte>(bytes), true, new DataSetReaderState(implicitVR ? TransferSyntax.ImplicitVRLittleEndian : TransferSyntax.ExplicitVRLittleEndian));
        while (reader.Read())
        {
            if (reader.TokenType != DataSetTokenType.Element)
            {
                continue;
            }

            string value = reader.Tag.Value switch
            {
                0x00189087 => reader.TryGetDouble(out double d) ? d.ToString(CultureInfo.InvariantCulture) : "?",
                0x00280009 => reader.TryGetTag(out DicomTag t) ? t.ToString() : "?",
                0x00280010 => reader.TryGetUInt16(out ushort u) ? u.ToString(CultureInfo.InvariantCulture) : "?",
                0x00420011 => Convert.ToHexString(reader.ValueSpan),
                _ => reader.GetString(),
            };
            values.Add($"{2 * reader.CurrentDepth} {reader.Tag} {value}");
        }

        Assert.Null(reader.Error);
        return values;
    }

    private static JsonObject RunPydicom(string input)
    {
        var start = new ProcessStartInfo(Python, ["-c", Script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "pydicom did not finish");
        Assert.True(process.ExitCode == 0, $"pydicom failed (is python3-pydicom installed? test.sh installs it): {stderr.Result}");
        return JsonNode.Parse(stdout)!.AsObject();
    }
}
