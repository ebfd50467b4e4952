using System;
using System.Buffers;
using System.Buffers.Binary;
using System.IO;
using System.Text;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;

namespace Embedded.Dicom.Agent.Tests;

/// <summary>Part 10 test objects (Secondary Capture, Explicit VR LE) written the way a modality would drop them.</summary>
internal static class TestObjects
{
    public const string SecondaryCapture = "1.2.840.10008.5.1.4.1.1.7";

    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "edicom-agent-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Writes the object under a hidden name and renames it into place (what the agent expects of a writer).</summary>
    public static string Drop(string folder, string sopInstance, string study, int pixelBytes = 512, string? name = null)
    {
        byte[] file = Build(sopInstance, study, pixelBytes);
        name ??= sopInstance + ".dcm";
        string temp = Path.Combine(folder, "." + name + ".part");
        File.WriteAllBytes(temp, file);
        string path = Path.Combine(folder, name);
        File.Move(temp, path);
        return path;
    }

    public static byte[] Build(string sopInstance, string study, int pixelBytes = 512)
    {
        var data = new ArrayBufferWriter<byte>();
        Element(data, 0x0008, 0x0016, "UI", Uid(SecondaryCapture));
        Element(data, 0x0008, 0x0018, "UI", Uid(sopInstance));
        Element(data, 0x0010, 0x0010, "PN", Text("AGENT^TEST"));
        Element(data, 0x0020, 0x000D, "UI", Uid(study));
        Element(data, 0x7FE0, 0x0010, "OB", new byte[pixelBytes + (pixelBytes & 1)]);
        DicomUid cls = DicomUid.Parse(SecondaryCapture);
        DicomUid inst = DicomUid.Parse(sopInstance);
        DicomUid ts = TransferSyntax.ExplicitVRLittleEndian.Uid;
        int metaLength = Part10.GetFileMetaInformationLength(cls, inst, ts, Implementation.ClassUid, "TEST"u8, "TEST"u8);
        byte[] file = new byte[metaLength + data.WrittenCount];
        Part10.WriteFileMetaInformation(file, cls, inst, ts, Implementation.ClassUid, "TEST"u8, "TEST"u8);
        data.WrittenSpan.CopyTo(file.AsSpan(metaLength));
        return file;
    }

    private static byte[] Uid(string value) => Encoding.ASCII.GetBytes(value.Length % 2 == 0 ? value : value + "\0");

    private static byte[] Text(string value) => Encoding.ASCII.GetBytes(value.Length % 2 == 0 ? value : value + " ");

    private static void Element(ArrayBufferWriter<byte> buffer, ushort group, ushort element, string vr, ReadOnlySpan<byte> value)
    {
        bool longForm = vr is "OB" or "OW" or "SQ" or "UN" or "UT";
        Span<byte> header = buffer.GetSpan(12);
        BinaryPrimitives.WriteUInt16LittleEndian(header, group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
        header[4] = (byte)vr[0];
        header[5] = (byte)vr[1];
        if (longForm)
        {
            header[6] = 0;
            header[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)value.Length);
            buffer.Advance(12);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)value.Length);
            buffer.Advance(8);
        }

        buffer.Write(value);
    }
}
