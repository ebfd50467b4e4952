using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;
using Embedded.Dicom.Data;
using Microsoft.Win32.SafeHandles;

namespace Embedded.Dicom.Tests.Data;

public class Part10Tests
{
    private static readonly DicomUid s_sopClass = "1.2.840.10008.5.1.4.1.1.7";
    private static readonly DicomUid s_sopInstance = "1.2.826.0.1.3680043.2.1125.99";
    private static readonly DicomUid s_implementationClass = "1.2.826.0.1.3680043.2.1125.1";

    private static byte[] WriteMeta(TransferSyntax syntax, string version = "EDICOM_01", string aeTitle = "STORESCP")
    {
        byte[] versionBytes = Encoding.ASCII.GetBytes(version);
        byte[] aeBytes = Encoding.ASCII.GetBytes(aeTitle);
        DicomUid ts = syntax.Uid;
        int length = Part10.GetFileMetaInformationLength(s_sopClass, s_sopInstance, ts, s_implementationClass, versionBytes, aeBytes);
        byte[] buffer = new byte[length + 7];
        int written = Part10.WriteFileMetaInformation(buffer, s_sopClass, s_sopInstance, ts, s_implementationClass, versionBytes, aeBytes);
        Assert.Equal(length, written);
        return buffer[..written];
    }

    private static (bool Ok, Part10FileInfo? Info, string? Error) Read(byte[] file)
    {
        bool ok = Part10.TryReadFileMetaInformation(new MemoryStream(file), out Part10FileInfo? info, out string? error);
        return (ok, info, error);
    }

    [Fact]
    public void WriteFileMetaInformation_HasTheLayoutOfPs310()
    {
        byte[] meta = WriteMeta(TransferSyntax.ExplicitVRLittleEndian, "EDICOM", "AE1");

        Assert.All(meta[..128], b => Assert.Equal(0, b));
        Assert.Equal("DICM"u8.ToArray(), meta[128..132]);
        // (0002,0000) UL 4 = everything after it
        Assert.Equal(new byte[] { 0x02, 0x00, 0x00, 0x00, (byte)'U', (byte)'L', 4, 0 }, meta[132..140]);
        Assert.Equal((uint)(meta.Length - 144), BinaryPrimitives.ReadUInt32LittleEndian(meta.AsSpan(140)));
        // (0002,0001) OB long form, value 00 01
        Assert.Equal(new byte[] { 0x02, 0x00, 0x01, 0x00, (byte)'O', (byte)'B', 0, 0, 2, 0, 0, 0, 0x00, 0x01 }, meta[144..158]);
        // (0002,0002) UI, 25 bytes NUL-padded to 26
        Assert.Equal(new byte[] { 0x02, 0x00, 0x02, 0x00, (byte)'U', (byte)'I', 26, 0 }, meta[158..166]);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.7\0"u8.ToArray(), meta[166..192]);
        // last: (0002,0016) AE "AE1 " space-padded
        Assert.Equal("AE1 "u8.ToArray(), meta[^4..]);
        Assert.Equal(new byte[] { 0x02, 0x00, 0x16, 0x00, (byte)'A', (byte)'E', 4, 0 }, meta[^12..^4]);
        Assert.Equal(0, meta.Length % 2);
    }

    [Fact]
    public void WriteFileMetaInformation_LeavesOutEmptyOptionalTexts()
    {
        DicomUid ts = TransferSyntax.ImplicitVRLittleEndian.Uid;
        int length = Part10.GetFileMetaInformationLength(s_sopClass, s_sopInstance, ts, s_implementationClass, default, default);
        byte[] buffer = new byte[length];
        Part10.WriteFileMetaInformation(buffer, s_sopClass, s_sopInstance, ts, s_implementationClass, default, default);

        Assert.True(Part10.TryReadFileMetaInformation(new MemoryStream(buffer), out Part10FileInfo? info, out _));
        Assert.Null(info.ImplementationVersionName);
        Assert.Null(info.SourceApplicationEntityTitle);
        Assert.Equal(length, info.DataSetOffset);
    }

    [Fact]
    public void WriteFileMetaInformation_RefusesShortDestinationAndBadArguments()
    {
        DicomUid ts = TransferSyntax.ImplicitVRLittleEndian.Uid;
        int length = Part10.GetFileMetaInformationLength(s_sopClass, s_sopInstance, ts, s_implementationClass, default, default);

        Assert.Throws<ArgumentException>(() => Part10.WriteFileMetaInformation(new byte[length - 1], s_sopClass, s_sopInstance, ts, s_implementationClass, default, default));
        Assert.Throws<ArgumentException>(() => Part10.GetFileMetaInformationLength(s_sopClass, default, ts, s_implementationClass, default, default));
        Assert.Throws<ArgumentException>(() => Part10.GetFileMetaInformationLength(s_sopClass, s_sopInstance, ts, s_implementationClass, new byte[17], default));
        Assert.Throws<ArgumentException>(() => Part10.GetFileMetaInformationLength(s_sopClass, s_sopInstance, ts, s_implementationClass, default, new byte[17]));
    }

    [Fact]
    public void ReadFileMetaInformation_OfWrittenFile_RoundTripsEveryValue()
    {
        byte[] meta = WriteMeta(TransferSyntax.JPEG2000Lossless, "EDICOM_0.1", "MODALITY1");
        byte[] dataSet = Ds.Encode([Ds.Uid(0x00080016, "1.2.840.10008.5.1.4.1.1.7")], explicitVR: true);
        byte[] file = [.. meta, .. dataSet];
        var stream = new MemoryStream(file);

        Assert.True(Part10.TryReadFileMetaInformation(stream, out Part10FileInfo? info, out string? error), error);

        Assert.Null(error);
        Assert.Equal(s_sopClass, info.MediaStorageSopClassUid);
        Assert.Equal(s_sopInstance, info.MediaStorageSopInstanceUid);
        Assert.Equal(TransferSyntax.JPEG2000Lossless.Uid, info.TransferSyntaxUid);
        Assert.Same(TransferSyntax.JPEG2000Lossless, TransferSyntax.Lookup(info.TransferSyntaxUid));
        Assert.Equal(s_implementationClass, info.ImplementationClassUid);
        Assert.Equal("EDICOM_0.1", info.ImplementationVersionName);
        Assert.Equal("MODALITY1", info.SourceApplicationEntityTitle);
        Assert.Equal(meta.Length, info.DataSetOffset);
        Assert.Equal(file.Length, info.FileLength);
        Assert.Equal(meta.Length, stream.Position);
    }

    [Fact]
    public void ReadFileMetaInformation_FromSafeFileHandle_MatchesTheStreamReader()
    {
        byte[] file = [.. WriteMeta(TransferSyntax.ImplicitVRLittleEndian), .. Ds.Encode([Ds.Text(0x00100010, "PN", "Doe^John")], explicitVR: false)];
        string path = Path.Combine(Path.GetTempPath(), $"edicom-part10-{Guid.NewGuid():N}.dcm");
        File.WriteAllBytes(path, file);
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path);

            Assert.True(Part10.TryReadFileMetaInformation(handle, out Part10FileInfo? info, out string? error), error);
            Assert.Equal(TransferSyntax.ImplicitVRLittleEndian.Uid, info.TransferSyntaxUid);
            Assert.Equal(file.Length - 16, info.DataSetOffset);
            Assert.Equal(file.Length, info.FileLength);
            Assert.Equal("STORESCP", info.SourceApplicationEntityTitle);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadFileMetaInformation_StartsAtTheStreamPosition()
    {
        byte[] meta = WriteMeta(TransferSyntax.ExplicitVRLittleEndian);
        var stream = new MemoryStream([.. new byte[10], .. meta]) { Position = 10 };

        Assert.True(Part10.TryReadFileMetaInformation(stream, out Part10FileInfo? info, out _));
        Assert.Equal(meta.Length, info.DataSetOffset);
        Assert.Equal(10 + meta.Length, stream.Position);
    }

    [Fact]
    public void ReadFileMetaInformation_IgnoresAWrongGroupLength()
    {
        byte[] file = WriteMeta(TransferSyntax.ExplicitVRLittleEndian);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(140), 10);

        var (ok, info, error) = Read(file);

        Assert.True(ok, error);
        Assert.Equal(file.Length, info!.DataSetOffset);
        Assert.Equal("STORESCP", info.SourceApplicationEntityTitle);
    }

    [Fact]
    public void ReadFileMetaInformation_EveryTruncation_IsRefusedOrStopsAtAnElementBoundary()
    {
        byte[] file = WriteMeta(TransferSyntax.ExplicitVRLittleEndian);
        for (int length = 0; length < file.Length; length++)
        {
            var (ok, info, error) = Read(file[..length]);
            if (ok)
            {
                // Only a cut between two elements after (0002,0010) (ending at offset 258) leaves a readable (shorter) meta group.
                Assert.Equal(length, info!.DataSetOffset);
                Assert.True(length >= 258, $"accepted {length}");
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error));
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(131)]
    public void ReadFileMetaInformation_TooShortFile_IsRefused(int length)
    {
        var (ok, _, error) = Read(new byte[length]);

        Assert.False(ok);
        Assert.Contains("too short", error);
    }

    [Fact]
    public void ReadFileMetaInformation_WithoutDicmPrefix_IsRefused()
    {
        byte[] file = WriteMeta(TransferSyntax.ExplicitVRLittleEndian);
        file[128] = (byte)'X';

        var (ok, _, error) = Read(file);

        Assert.False(ok);
        Assert.Contains("DICM", error);
    }

    [Fact]
    public void ReadFileMetaInformation_OfDataSetWithoutPreamble_IsRefused()
    {
        byte[] file = Ds.Encode([Ds.Uid(0x00020010, "1.2.840.10008.1.2.1"), Ds.Bytes(0x00100010, "PN", 200, seed: 1)], explicitVR: true);

        var (ok, _, error) = Read(file);

        Assert.False(ok);
        Assert.Contains("not a PS3.10 file", error);
    }

    [Fact]
    public void ReadFileMetaInformation_LengthPastTheEndOfFile_IsRefused()
    {
        byte[] file = WriteMeta(TransferSyntax.ExplicitVRLittleEndian);
        // (0002,0002) UI length at offset 164: claim 0xFFFF bytes.
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(164), 0xFFFF);

        var (ok, _, error) = Read(file);

        Assert.False(ok);
        Assert.Contains("past the end", error);
    }

    [Fact]
    public void ReadFileMetaInformation_HugeLongFormLength_IsRefused()
    {
        byte[] file = WriteMeta(TransferSyntax.ExplicitVRLittleEndian);
        // (0002,0001) OB length at offset 152.
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(152), 0xFFFFFFF0);

        Assert.False(Read(file).Ok);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(152), 0xFFFFFFFF);
        Assert.Contains("undefined length", Read(file).Error);
    }

    [Fact]
    public void ReadFileMetaInformation_InvalidVR_IsRefused()
    {
        byte[] file = WriteMeta(TransferSyntax.ExplicitVRLittleEndian);
        file[162] = (byte)'x';

        var (ok, _, error) = Read(file);

        Assert.False(ok);
        Assert.Contains("explicit VR", error);
    }

    [Fact]
    public void ReadFileMetaInformation_WithoutTransferSyntax_IsRefused()
    {
        byte[] preamble = new byte[132];
        "DICM"u8.CopyTo(preamble.AsSpan(128));
        byte[] elements = Ds.Encode([Ds.Uid(0x00020002, "1.2.3"), Ds.Text(0x00100010, "PN", "A^B")], explicitVR: true);

        var (ok, _, error) = Read([.. preamble, .. elements]);

        Assert.False(ok);
        Assert.Contains("(0002,0010)", error);
    }

    [Fact]
    public void ReadFileMetaInformation_OverlongUid_IsRefused()
    {
        byte[] preamble = new byte[132];
        "DICM"u8.CopyTo(preamble.AsSpan(128));
        byte[] elements = Ds.Encode([Ds.Uid(0x00020010, new string('1', 80))], explicitVR: true);

        var (ok, _, error) = Read([.. preamble, .. elements]);

        Assert.False(ok);
        Assert.Contains("64", error);
    }

    [Fact]
    public void ReadFileMetaInformation_NonSeekableStream_IsRefused()
    {
        byte[] file = WriteMeta(TransferSyntax.ExplicitVRLittleEndian);

        Assert.False(Part10.TryReadFileMetaInformation(new NonSeekableStream(file), out _, out string? error));
        Assert.Contains("seekable", error);
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
