using System;
using System.Buffers;
using System.IO;
using System.Linq;
using System.IO.Pipelines;
using System.Threading.Tasks;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.UpperLayer;

namespace Embedded.Dicom.Networking.FunctionalTests;

/// <summary>Client and server engines over a pair of in-memory pipes.</summary>
public class InMemoryAssociationTests
{
    [Fact]
    public async Task Echo_TenTimesThenRelease_BothSidesEndInSta1()
    {
        var (client, server) = DuplexPipe.CreatePair();
        Task<DicomAssociation?> serving = Harness.ServeAsync(server, Harness.Policy(), null);

        DicomAssociation association = await Harness.WithTimeout(DicomAssociation.RequestAsync(client, null, Harness.Request(), Harness.ShortTimeouts));
        Assert.Equal(UlState.Sta6, association.State);
        Assert.Equal(Acse.Implementation.ClassUid, association.Negotiated.PeerImplementationClassUid);
        for (ushort i = 1; i <= 10; i++)
        {
            DicomStatus status = await VerificationScu.EchoAsync(association, i);
            Assert.Equal(0, status.Code);
        }

        await Harness.WithTimeout(association.ReleaseAsync());
        Assert.Equal(UlState.Sta1, association.State);
        DicomAssociation? acceptor = await Harness.WithTimeout(serving);
        Assert.NotNull(acceptor);
        Assert.Equal(UlState.Sta13, acceptor!.State); // AR-4: RP sent, then the transport closed
    }

    [Fact]
    public async Task Store_FileWithSmallPdus_ArrivesByteIdenticalAsPart10()
    {
        string source = Harness.TempDirectory();
        string output = Harness.TempDirectory();
        string path = Harness.WriteFile(source, "1.2.3.4.5.6.7", pixelBytes: 50_001);
        var (client, server) = DuplexPipe.CreatePair();
        Task<DicomAssociation?> serving = Harness.ServeAsync(server, Harness.Policy(), new FileStorageHandler(output));

        // 4096-byte PDUs: the 50 KB data set crosses a dozen P-DATA-TF PDUs, the command stays whole.
        DicomAssociation association = await Harness.WithTimeout(DicomAssociation.RequestAsync(client, null, Harness.Request(maximumLength: 4096), Harness.ShortTimeouts));
        StoreResult result = await Harness.WithTimeout(StorageScu.StoreFileAsync(association, path, 1));
        Assert.Equal(0, result.Status.Code);
        await association.ReleaseAsync();
        await Harness.WithTimeout(serving);

        string stored = Path.Combine(output, "1.2.3.4.5.6.7.dcm");
        Assert.True(File.Exists(stored));
        byte[] sent = File.ReadAllBytes(path);
        byte[] received = File.ReadAllBytes(stored);
        Data.Part10.TryReadFileMetaInformation(new MemoryStream(sent), out var sentInfo, out _);
        Data.Part10.TryReadFileMetaInformation(new MemoryStream(received), out var receivedInfo, out _);
        Assert.Equal(sent.AsSpan((int)sentInfo!.DataSetOffset).ToArray(), received.AsSpan((int)receivedInfo!.DataSetOffset).ToArray());
        Assert.Equal("1.2.3.4.5.6.7", receivedInfo.MediaStorageSopInstanceUid.ToString());
        Assert.Equal(TransferSyntax.ExplicitVRLittleEndian.Uid, receivedInfo.TransferSyntaxUid);
        Assert.Empty(Directory.GetFiles(output, ".*"));
    }

    [Fact]
    public async Task Request_WrongCalledAeTitleWhenChecked_IsRejectedWith_1_1_7()
    {
        var (client, server) = DuplexPipe.CreatePair();
        Task<DicomAssociation?> serving = Harness.ServeAsync(server, Harness.Policy(requireCalled: true), null);
        var error = await Assert.ThrowsAsync<DicomNetworkException>(() => Harness.WithTimeout(DicomAssociation.RequestAsync(client, null, Harness.Request(called: "SOMEONE-ELSE"), Harness.ShortTimeouts)));
        Assert.Equal(DicomNetworkFailure.AssociationRejected, error.Failure);
        Assert.Contains("called AE title not recognized", error.Message);
        Assert.Null(await Harness.WithTimeout(serving));
    }

    [Fact]
    public async Task Request_CalledAeTitleWithOtherPadding_IsAcceptedAfterTrimming()
    {
        var (client, server) = DuplexPipe.CreatePair();
        Task<DicomAssociation?> serving = Harness.ServeAsync(server, Harness.Policy(requireCalled: true), null);
        DicomAssociation association = await Harness.WithTimeout(DicomAssociation.RequestAsync(client, null, Harness.Request(called: "  STORE-SCP"), Harness.ShortTimeouts));
        await association.ReleaseAsync();
        Assert.NotNull(await Harness.WithTimeout(serving));
    }

    [Fact]
    public async Task PeerAbortBeforeTheLastFragment_DeletesTheTemporaryFile()
    {
        string output = Harness.TempDirectory();
        var (client, server) = DuplexPipe.CreatePair();
        Task<DicomAssociation?> serving = Harness.ServeAsync(server, Harness.Policy(), new FileStorageHandler(output));
        DicomAssociation association = await Harness.WithTimeout(DicomAssociation.RequestAsync(client, null, Harness.Request(maximumLength: 4096), Harness.ShortTimeouts));

        var request = new CStoreRequest { MessageID = 1, AffectedSOPClassUID = Harness.SecondaryCapture, AffectedSOPInstanceUID = DicomUid.Parse("1.2.3.10") };
        association.WriteCommand(3, request);
        await association.SendAsync();

        // Hand-write two data fragments that are not the last, then A-ABORT.
        PipeWriterHelper.WriteDataFragment(client.Output, 3, new byte[1000], last: false);
        PipeWriterHelper.WriteDataFragment(client.Output, 3, new byte[1000], last: false);
        await client.Output.FlushAsync();
        await Task.Delay(100);
        Assert.Single(Directory.GetFiles(output, ".*")); // the object is streaming to its temporary name
        await association.AbortAsync();
        await Harness.WithTimeout(serving);
        Assert.Empty(Directory.GetFiles(output));
    }

    [Fact]
    public async Task SourceFailingMidDataSet_AbortsTheAssociationAndLeavesNoFile()
    {
        string output = Harness.TempDirectory();
        var (client, server) = DuplexPipe.CreatePair();
        Task<DicomAssociation?> serving = Harness.ServeAsync(server, Harness.Policy(), new FileStorageHandler(output));
        DicomAssociation association = await Harness.WithTimeout(DicomAssociation.RequestAsync(client, null, Harness.Request(maximumLength: 4096), Harness.ShortTimeouts));
        var request = new CStoreRequest { MessageID = 1, AffectedSOPClassUID = Harness.SecondaryCapture, AffectedSOPInstanceUID = DicomUid.Parse("1.2.3.11") };
        association.WriteCommand(3, request);

        await Assert.ThrowsAsync<IOException>(() => association.SendDataSetAsync(3, new ThrowingSource(20_000)).AsTask());

        // PS3.8: an association whose message stopped part-way is never reused: it was aborted.
        Assert.False(association.IsEstablished);
        Assert.Equal(UlState.Sta13, association.State);
        await Harness.WithTimeout(serving);
        Assert.Empty(Directory.GetFiles(output));
    }

    private sealed class ThrowingSource(int limit) : IDataSetSource
    {
        private int _sent;

        public int Read(Span<byte> destination)
        {
            if (_sent >= limit)
            {
                throw new IOException("disk read failed");
            }

            int count = Math.Min(destination.Length, limit - _sent);
            destination[..count].Clear();
            _sent += count;
            return count;
        }
    }

    [Fact]
    public async Task PDataBeforeAssociation_IsAnsweredWithAAbortAndNoAssociation()
    {
        var (client, server) = DuplexPipe.CreatePair();
        Task<DicomAssociation?> serving = Harness.ServeAsync(server, Harness.Policy(), null);
        PipeWriterHelper.WriteDataFragment(client.Output, 1, new byte[4], last: true);
        await client.Output.FlushAsync();
        Assert.Null(await Harness.WithTimeout(serving));

        ReadResult result = await client.Input.ReadAsync();
        byte[] answer = result.Buffer.ToArray();
        Assert.Equal((byte)PduType.AAbort, answer[0]);
    }

    [Fact]
    public async Task UnknownPduTypeInSta6_IsAbortedWithUnrecognizedPdu()
    {
        var (client, server) = DuplexPipe.CreatePair();
        Task<DicomAssociation?> serving = Harness.ServeAsync(server, Harness.Policy(), null);
        DicomAssociation association = await Harness.WithTimeout(DicomAssociation.RequestAsync(client, null, Harness.Request(), Harness.ShortTimeouts));
        await client.Output.WriteAsync(new byte[] { 0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0 });
        DimseReceiveResult received = await Harness.WithTimeout(association.ReceiveAsync(null, TimeSpan.FromSeconds(5)).AsTask());
        Assert.Equal(DimseReceiveKind.Aborted, received.Kind);
        Assert.Equal(AAbortSource.ServiceProvider, received.Abort.Source);
        Assert.Equal(AAbortReason.UnrecognizedPdu, received.Abort.Reason);
        await Harness.WithTimeout(serving);
    }

    [Fact]
    public async Task CommandSetLongerThanTheLimit_IsAbortedBeforeBuffering()
    {
        var (client, server) = DuplexPipe.CreatePair();
        Task<DicomAssociation?> serving = Harness.ServeAsync(server, Harness.Policy(), null);
        DicomAssociation association = await Harness.WithTimeout(DicomAssociation.RequestAsync(client, null, Harness.Request(), Harness.ShortTimeouts));

        // Command fragments that never end: the SCP stops at its 64 KiB bound.
        for (int i = 0; i < 10; i++)
        {
            PipeWriterHelper.WriteFragment(client.Output, 1, new byte[8000], isCommand: true, last: false);
            await client.Output.FlushAsync();
        }

        DimseReceiveResult received = await Harness.WithTimeout(association.ReceiveAsync(null, TimeSpan.FromSeconds(5)).AsTask());
        Assert.Equal(DimseReceiveKind.Aborted, received.Kind);
        await Harness.WithTimeout(serving);
    }

    [Fact]
    public async Task SilentPeer_TimesOutWithAClearErrorAndAbort()
    {
        var (client, _) = DuplexPipe.CreatePair();
        var timeouts = Harness.ShortTimeouts with { Acse = TimeSpan.FromMilliseconds(300) };
        var error = await Assert.ThrowsAsync<DicomNetworkException>(() => Harness.WithTimeout(DicomAssociation.RequestAsync(client, null, Harness.Request(), timeouts)));
        Assert.Equal(DicomNetworkFailure.Timeout, error.Failure);
        Assert.Contains("no answer", error.Message);
    }

    [Fact]
    public async Task UnsupportedRequest_GetsItsResponseWithUnrecognizedOperation()
    {
        var (client, server) = DuplexPipe.CreatePair();
        Task<DicomAssociation?> serving = Harness.ServeAsync(server, Harness.Policy(), null);
        var request = Harness.Request();
        request.PresentationContexts.Add(new PresentationContextRequest(5, Harness.SecondaryCapture, TransferSyntax.ImplicitVRLittleEndian.Uid));
        DicomAssociation association = await Harness.WithTimeout(DicomAssociation.RequestAsync(client, null, request, Harness.ShortTimeouts));
        var delete = new NDeleteRequest { MessageID = 4, RequestedSOPClassUID = Harness.SecondaryCapture, RequestedSOPInstanceUID = DicomUid.Parse("1.2.3") };
        association.WriteCommand(3, delete);
        await association.SendAsync();
        DimseReceiveResult received = await Harness.WithTimeout(association.ReceiveAsync(null, TimeSpan.FromSeconds(5)).AsTask());
        Assert.True(NDeleteResponse.TryDecode(received.CommandSet.Span, out NDeleteResponse response, out _));
        Assert.Equal(0x0211, response.Status);
        Assert.True(response.Answers(delete));
        await association.ReleaseAsync();
        await Harness.WithTimeout(serving);
    }
}

internal static class PipeWriterHelper
{
    public static void WriteDataFragment(System.IO.Pipelines.PipeWriter writer, byte context, byte[] fragment, bool last)
        => WriteFragment(writer, context, fragment, isCommand: false, last);

    public static void WriteFragment(System.IO.Pipelines.PipeWriter writer, byte context, byte[] fragment, bool isCommand, bool last)
        => PDataTf.Write(writer, context, PresentationDataValue.GetMessageControlHeader(isCommand, last), fragment);
}
