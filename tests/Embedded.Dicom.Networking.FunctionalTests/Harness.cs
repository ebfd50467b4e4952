using System;
using System.Buffers;
using System.IO;
using System.IO.Pipelines;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.Networking.Services;

namespace Embedded.Dicom.Networking.FunctionalTests;

/// <summary>A pipe pair: what one side writes, the other reads.</summary>
internal sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;

    public static (DuplexPipe Client, DuplexPipe Server) CreatePair()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        return (new DuplexPipe(toClient.Reader, toServer.Writer), new DuplexPipe(toServer.Reader, toClient.Writer));
    }
}

/// <summary>A data set source over bytes in memory; <see cref="Reset"/> makes it reusable without allocating.</summary>
internal sealed class MemorySource(byte[] bytes, int? stopAfter = null) : IDataSetSource
{
    private int _position;

    public int Read(Span<byte> destination)
    {
        int end = stopAfter ?? bytes.Length;
        int count = Math.Min(destination.Length, end - _position);
        bytes.AsSpan(_position, count).CopyTo(destination);
        _position += count;
        return count;
    }

    public void Reset() => _position = 0;
}

internal static class Harness
{
    public static readonly DicomUid Verification = DicomUid.Parse("1.2.840.10008.1.1");
    public static readonly DicomUid SecondaryCapture = DicomUid.Parse("1.2.840.10008.5.1.4.1.1.7");
    public static readonly AssociationTimeouts ShortTimeouts = new() { Acse = TimeSpan.FromSeconds(5), Dimse = TimeSpan.FromSeconds(5), Idle = TimeSpan.FromSeconds(5), Artim = TimeSpan.FromSeconds(2) };

    public static AcceptorPolicy Policy(bool requireCalled = false) => new()
    {
        AeTitle = AeTitle.Parse("STORE-SCP"),
        RequireCalledAeTitle = requireCalled,
        IsAbstractSyntaxSupported = static (in DicomUid uid) => uid.Equals(Verification) || StorageSopClasses.Contains(uid.Span),
    };

    public static AAssociateRequest Request(string called = "STORE-SCP", uint maximumLength = 16_384)
    {
        var request = new AAssociateRequest { CalledAeTitle = AeTitle.Parse(called), CallingAeTitle = AeTitle.Parse("TEST-SCU") };
        request.PresentationContexts.Add(new PresentationContextRequest(1, Verification, TransferSyntax.ImplicitVRLittleEndian.Uid));
        request.PresentationContexts.Add(new PresentationContextRequest(3, SecondaryCapture, TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid));
        request.UserInformation.MaximumLength = maximumLength;
        request.UserInformation.ImplementationClassUid = Implementation.ClassUid;
        return request;
    }

    /// <summary>A small Explicit VR LE data set: SOP class/instance, patient name and <paramref name="pixelBytes"/> of OB pixel data.</summary>
    public static byte[] SmallDataSet(string instance, int pixelBytes = 1024)
    {
        var buffer = new ArrayBufferWriter<byte>();
        void Element(ushort group, ushort element, string vr, ReadOnlySpan<byte> value)
        {
            bool longForm = vr is "OB" or "OW" or "SQ" or "UN" or "UT";
            Span<byte> header = buffer.GetSpan(12);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(header, group);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
            header[4] = (byte)vr[0];
            header[5] = (byte)vr[1];
            int length = value.Length + (value.Length & 1);
            if (longForm)
            {
                header[6] = 0;
                header[7] = 0;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)length);
                buffer.Advance(12);
            }
            else
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)length);
                buffer.Advance(8);
            }

            buffer.Write(value);
            if ((value.Length & 1) != 0)
            {
                buffer.Write(vr == "UI" ? [0] : " "u8);
            }
        }

        Element(0x0008, 0x0016, "UI", System.Text.Encoding.ASCII.GetBytes(SecondaryCapture.ToString()));
        Element(0x0008, 0x0018, "UI", System.Text.Encoding.ASCII.GetBytes(instance));
        Element(0x0010, 0x0010, "PN", "Test^Patient"u8);
        byte[] pixels = new byte[pixelBytes];
        new Random(pixelBytes).NextBytes(pixels);
        Element(0x7FE0, 0x0010, "OB", pixels);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a Part 10 file of <see cref="SmallDataSet"/>.</summary>
    public static string WriteFile(string directory, string instance, int pixelBytes = 1024)
    {
        byte[] dataSet = SmallDataSet(instance, pixelBytes);
        DicomUid sopInstance = DicomUid.Parse(instance);
        DicomUid syntax = TransferSyntax.ExplicitVRLittleEndian.Uid;
        int metaLength = Part10.GetFileMetaInformationLength(SecondaryCapture, sopInstance, syntax, Implementation.ClassUid, "TEST"u8, []);
        byte[] file = new byte[metaLength + dataSet.Length];
        Part10.WriteFileMetaInformation(file, SecondaryCapture, sopInstance, syntax, Implementation.ClassUid, "TEST"u8, []);
        dataSet.CopyTo(file, metaLength);
        string path = Path.Combine(directory, instance + ".src.dcm");
        File.WriteAllBytes(path, file);
        return path;
    }

    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "edicom-ft-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static async Task<T> WithTimeout<T>(Task<T> task, int seconds = 20)
    {
        Task winner = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(seconds))).ConfigureAwait(false);
        Assert.True(winner == task, "the exchange did not finish in time");
        return await task.ConfigureAwait(false);
    }

    public static async Task WithTimeout(Task task, int seconds = 20)
    {
        Task winner = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(seconds))).ConfigureAwait(false);
        Assert.True(winner == task, "the exchange did not finish in time");
        await task.ConfigureAwait(false);
    }

    /// <summary>Runs an in-memory SCP on <paramref name="pipe"/>: accept, then serve until the association ends.</summary>
    public static async Task<DicomAssociation?> ServeAsync(DuplexPipe pipe, AcceptorPolicy policy, IStorageHandler? storage, CancellationToken cancellationToken = default)
    {
        DicomAssociation? association = await DicomAssociation.AcceptAsync(pipe, null, policy, ShortTimeouts, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (association is not null)
        {
            await new DicomServiceProvider(association, storage).RunAsync(cancellationToken).ConfigureAwait(false);
        }

        return association;
    }
}
