using System;
using System.Buffers;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.TestData;

namespace Embedded.Dicom.Networking.Tests.Pdu;

public class FixedLengthPduTests
{
    private static ReadOnlySequence<byte> Body(ReadOnlySpan<byte> pdu) => new(pdu[6..].ToArray());

    [Fact]
    public void AAssociateReject_GoldenBytes_DecodeAndReEncodeIdentically()
    {
        Assert.Equal(PduReadStatus.Done, AAssociateReject.TryRead(Body(FixedLengthPduData.AAssociateRejectCalledAeNotRecognized), out AAssociateReject pdu, out _));
        Assert.Equal(AAssociateRejectResult.RejectedPermanent, pdu.Result);
        Assert.Equal(AAssociateRejectSource.ServiceUser, pdu.Source);
        Assert.Equal(7, pdu.Reason);

        byte[] encoded = new byte[pdu.GetEncodedLength()];
        Assert.Equal(10, pdu.Write(encoded));
        Assert.Equal(FixedLengthPduData.AAssociateRejectCalledAeNotRecognized.ToArray(), encoded);
    }

    [Fact]
    public void AAssociateReject_TransientLocalLimit_RoundTripsThroughBufferWriter()
    {
        var pdu = new AAssociateReject(AAssociateRejectResult.RejectedTransient, AAssociateRejectSource.ServiceProviderPresentation, 2);
        var writer = new ArrayBufferWriter<byte>();

        pdu.Write(writer);

        Assert.Equal(FixedLengthPduData.AAssociateRejectLocalLimitExceeded.ToArray(), writer.WrittenSpan.ToArray());
        Assert.Equal(PduReadStatus.Done, AAssociateReject.TryRead(writer.WrittenSpan[6..], out AAssociateReject read, out _));
        Assert.Equal(pdu, read);
    }

    [Fact]
    public void AReleaseRequest_GoldenBytes_DecodeAndReEncodeIdentically()
    {
        Assert.Equal(PduReadStatus.Done, AReleaseRequest.TryRead(Body(FixedLengthPduData.AReleaseRequest), out AReleaseRequest pdu, out _));
        var writer = new ArrayBufferWriter<byte>();
        pdu.Write(writer);
        Assert.Equal(FixedLengthPduData.AReleaseRequest.ToArray(), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void AReleaseResponse_GoldenBytes_DecodeAndReEncodeIdentically()
    {
        Assert.Equal(PduReadStatus.Done, AReleaseResponse.TryRead(Body(FixedLengthPduData.AReleaseResponse), out AReleaseResponse pdu, out _));
        byte[] encoded = new byte[10];
        Assert.Equal(10, pdu.Write(encoded));
        Assert.Equal(FixedLengthPduData.AReleaseResponse.ToArray(), encoded);
    }

    [Fact]
    public void AAbort_GoldenBytes_DecodeAndReEncodeIdentically()
    {
        Assert.Equal(PduReadStatus.Done, AAbort.TryRead(Body(FixedLengthPduData.AAbortInvalidParameterValue), out AAbort provider, out _));
        Assert.Equal(AAbortSource.ServiceProvider, provider.Source);
        Assert.Equal(AAbortReason.InvalidPduParameterValue, provider.Reason);

        Assert.Equal(PduReadStatus.Done, AAbort.TryRead(FixedLengthPduData.AAbortByUser[6..], out AAbort user, out _));
        Assert.Equal(new AAbort(AAbortSource.ServiceUser, AAbortReason.NotSpecified), user);

        byte[] encoded = new byte[10];
        provider.Write(encoded);
        Assert.Equal(FixedLengthPduData.AAbortInvalidParameterValue.ToArray(), encoded);
    }

    [Fact]
    public void FixedLengthPdus_ReservedBytesSet_AreNotTested()
    {
        byte[] release = [0xFF, 0xFF, 0xFF, 0xFF];
        byte[] abort = [0xFF, 0xFF, 0x00, 0x00];
        byte[] reject = [0xFF, 0x01, 0x02, 0x02];

        Assert.Equal(PduReadStatus.Done, AReleaseRequest.TryRead(release, out _, out _));
        Assert.Equal(PduReadStatus.Done, AReleaseResponse.TryRead(release, out _, out _));
        Assert.Equal(PduReadStatus.Done, AAbort.TryRead(abort, out AAbort aborted, out _));
        Assert.Equal(AAbortSource.ServiceUser, aborted.Source);
        Assert.Equal(PduReadStatus.Done, AAssociateReject.TryRead(reject, out AAssociateReject rejected, out _));
        Assert.Equal(new AAssociateReject(AAssociateRejectResult.RejectedPermanent, AAssociateRejectSource.ServiceProviderAcse, 2), rejected);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(5)]
    public void FixedLengthPdus_BodyNotFourBytes_AreInvalid(int length)
    {
        byte[] body = new byte[length];

        Assert.Equal(PduReadStatus.Invalid, AAbort.TryRead(body, out _, out PduError abortError));
        Assert.Equal(PduRejectReason.InvalidPduLength, abortError.Reason);
        Assert.Equal(PduReadStatus.Invalid, AAssociateReject.TryRead(new ReadOnlySequence<byte>(body), out _, out _));
        Assert.Equal(PduReadStatus.Invalid, AReleaseRequest.TryRead(body, out _, out _));
        Assert.Equal(PduReadStatus.Invalid, AReleaseResponse.TryRead(new ReadOnlySequence<byte>(body), out _, out PduError releaseError));
        Assert.Equal((byte)PduType.AReleaseResponse, releaseError.ItemType);
    }

    [Fact]
    public void FixedLengthPdus_BodySplitOverSegments_DecodeTheSame()
    {
        byte[] body = FixedLengthPduData.AAbortInvalidParameterValue[6..].ToArray();
        for (int split = 0; split <= body.Length; split++)
        {
            Assert.Equal(PduReadStatus.Done, AAbort.TryRead(SegmentedSequence.SplitAt(body, split), out AAbort pdu, out _));
            Assert.Equal(AAbortReason.InvalidPduParameterValue, pdu.Reason);
        }
    }

    [Fact]
    public void Write_DestinationTooSmall_Throws()
    {
        Assert.Throws<ArgumentException>(() => new AAbort(AAbortSource.ServiceUser, AAbortReason.NotSpecified).Write(new byte[9]));
    }
}
