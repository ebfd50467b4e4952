using System;
using System.Buffers;
using System.Buffers.Binary;
using System.IO;
using System.Text;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;

namespace Embedded.Dicom.Cli;

/// <summary>
/// Writes generated Secondary Capture objects (Explicit VR Little Endian, 64×64 8-bit MONOCHROME2), for the
/// main job's demonstration and for benchmarks: no sample data is shipped or downloaded.
/// </summary>
internal static class SampleObjects
{
    private const string SecondaryCapture = "1.2.840.10008.5.1.4.1.1.7";

    public static string[] Write(string directory, int count, int rows = 64, int columns = 64)
    {
        Directory.CreateDirectory(directory);
        string study = DicomUid.NewUid().ToString();
        var paths = new string[count];
        for (int i = 0; i < count; i++)
        {
            string instance = $"{study}.{i + 1}";
            byte[] dataSet = BuildDataSet(study, instance, i, rows, columns);
            DicomUid sopClass = DicomUid.Parse(SecondaryCapture);
            DicomUid sopInstance = DicomUid.Parse(instance);
            DicomUid syntax = TransferSyntax.ExplicitVRLittleEndian.Uid;
            int metaLength = Part10.GetFileMetaInformationLength(sopClass, sopInstance, syntax, Implementation.ClassUid, "EDICOM_0.1"u8, "EDICOM"u8);
            byte[] file = new byte[metaLength + dataSet.Length];
            Part10.WriteFileMetaInformation(file, sopClass, sopInstance, syntax, Implementation.ClassUid, "EDICOM_0.1"u8, "EDICOM"u8);
            dataSet.CopyTo(file, metaLength);
            // Written under a hidden name, then renamed into place: a watcher (edicom agent) never sees half a file.
            paths[i] = Path.Combine(directory, $"sample-{i + 1:D4}.dcm");
            string temp = Path.Combine(directory, $".sample-{i + 1:D4}.dcm.part");
            File.WriteAllBytes(temp, file);
            File.Move(temp, paths[i], overwrite: true);
        }

        return paths;
    }

    private static byte[] BuildDataSet(string study, string instance, int index, int rows, int columns)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Text(buffer, 0x0008, 0x0016, "UI", SecondaryCapture);
        Text(buffer, 0x0008, 0x0018, "UI", instance);
        Text(buffer, 0x0008, 0x0060, "CS", "OT");
        Text(buffer, 0x0008, 0x0064, "CS", "WSD");
        Text(buffer, 0x0010, 0x0010, "PN", "Demo^Patient");
        Text(buffer, 0x0010, 0x0020, "LO", "EDICOM-DEMO");
        Text(buffer, 0x0020, 0x000D, "UI", study);
        Text(buffer, 0x0020, 0x000E, "UI", study + ".0");
        Text(buffer, 0x0020, 0x0013, "IS", (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        UnsignedShort(buffer, 0x0028, 0x0002, 1);
        Text(buffer, 0x0028, 0x0004, "CS", "MONOCHROME2");
        UnsignedShort(buffer, 0x0028, 0x0010, (ushort)rows);
        UnsignedShort(buffer, 0x0028, 0x0011, (ushort)columns);
        UnsignedShort(buffer, 0x0028, 0x0100, 8);
        UnsignedShort(buffer, 0x0028, 0x0101, 8);
        UnsignedShort(buffer, 0x0028, 0x0102, 7);
        UnsignedShort(buffer, 0x0028, 0x0103, 0);
        byte[] pixels = new byte[rows * columns];
        for (int y = 0; y < rows; y++)
        {
            for (int x = 0; x < columns; x++)
            {
                pixels[(y * columns) + x] = (byte)((x + y + (index * 8)) & 0xFF);
            }
        }

        Header(buffer, 0x7FE0, 0x0010, "OB", pixels.Length + (pixels.Length & 1));
        buffer.Write(pixels);
        if ((pixels.Length & 1) != 0)
        {
            buffer.Write<byte>([0]);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Text(ArrayBufferWriter<byte> buffer, ushort group, ushort element, string vr, string value)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(value);
        int length = bytes.Length + (bytes.Length & 1);
        Header(buffer, group, element, vr, length);
        buffer.Write(bytes);
        if ((bytes.Length & 1) != 0)
        {
            buffer.Write(vr == "UI" ? [0] : " "u8);
        }
    }

    private static void UnsignedShort(ArrayBufferWriter<byte> buffer, ushort group, ushort element, ushort value)
    {
        Header(buffer, group, element, "US", 2);
        Span<byte> span = buffer.GetSpan(2);
        BinaryPrimitives.WriteUInt16LittleEndian(span, value);
        buffer.Advance(2);
    }

    // PS3.5 §7.1.2: explicit VR headers; OB/OW/SQ/UN/UT use the long form with two reserved bytes.
    private static void Header(ArrayBufferWriter<byte> buffer, ushort group, ushort element, string vr, int length)
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
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)length);
            buffer.Advance(12);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)length);
            buffer.Advance(8);
        }
    }
}
