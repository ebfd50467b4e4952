using System;
using System.Buffers;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.TestData;

namespace Embedded.Dicom.Networking.Tests.Pdu;

public class PduReaderTests
{
    private static PduReadStatus Read(ReadOnlySequence<byte> data, PduLimits limits, out PduHeader header, out ReadOnlySequence<byte> body, out PduError error, out long consumed)
    {
        var reader = new SequenceReader<byte>(data);
        PduReadStatus status = PduReader.TryReadPdu(ref reader, limits, out header, out body, out error);
        consumed = reader.Consumed;
        return status;
    }

    private static PduReadStatus Read(byte[] data, out PduError error, out long consumed) =>
        Read(new ReadOnlySequence<byte>(data), PduLimits.Default, out _, out _, out error, out consumed);

    [Theory]
    [MemberData(nameof(GoldenPdus.Names), MemberType = typeof(GoldenPdus))]
    public void ReadPdu_GoldenPdu_ReturnsHeaderAndWholeBody(string name)
    {
        byte[] pdu = GoldenPdus.Get(name);

        PduReadStatus status = Read(new ReadOnlySequence<byte>(pdu), PduLimits.Default, out PduHeader header, out ReadOnlySequence<byte> body, out PduError error, out long consumed);

        Assert.Equal(PduReadStatus.Done, status);
        Assert.True(error.IsNone);
        Assert.Equal((PduType)pdu[0], header.Type);
        Assert.Equal((uint)(pdu.Length - 6), header.PduLength);
        Assert.Equal(pdu.Length, header.TotalLength);
        Assert.Equal(pdu.Length, consumed);
        Assert.Equal(pdu.AsSpan(6).ToArray(), body.ToArray());
    }

    [Theory]
    [MemberData(nameof(GoldenPdus.Names), MemberType = typeof(GoldenPdus))]
    public void ReadPdu_EveryPrefixOfValidPdu_NeedsMoreAndConsumesNothing(string name)
    {
        byte[] pdu = GoldenPdus.Get(name);
        for (int length = 0; length < pdu.Length; length++)
        {
            PduReadStatus status = Read(pdu.AsSpan(0, length).ToArray(), out PduError error, out long consumed);

            Assert.Equal(PduReadStatus.NeedMoreData, status);
            Assert.Equal(0, consumed);
            Assert.True(error.IsNone);
        }
    }

    [Fact]
    public void ReadPdu_IncompleteHeader_NeedsMoreAndConsumesNothing()
    {
        PduReadStatus status = Read([0x04, 0x00, 0x00, 0x00, 0x00], out _, out long consumed);

        Assert.Equal(PduReadStatus.NeedMoreData, status);
        Assert.Equal(0, consumed);
    }

    [Theory]
    [MemberData(nameof(GoldenPdus.Names), MemberType = typeof(GoldenPdus))]
    public void ReadPdu_SplitAtEveryPosition_ParsesAsSingleSegment(string name)
    {
        byte[] pdu = GoldenPdus.Get(name);
        for (int split = 0; split <= pdu.Length; split++)
        {
            PduReadStatus status = Read(SegmentedSequence.SplitAt(pdu, split), PduLimits.Default, out PduHeader header, out ReadOnlySequence<byte> body, out _, out long consumed);

            Assert.Equal(PduReadStatus.Done, status);
            Assert.Equal((PduType)pdu[0], header.Type);
            Assert.Equal(pdu.Length, consumed);
            Assert.Equal(pdu.AsSpan(6).ToArray(), body.ToArray());
        }

        Assert.Equal(PduReadStatus.Done, Read(SegmentedSequence.OneBytePerSegment(pdu), PduLimits.Default, out _, out ReadOnlySequence<byte> oneByteBody, out _, out _));
        Assert.Equal(pdu.AsSpan(6).ToArray(), oneByteBody.ToArray());
    }

    [Fact]
    public void ReadPdu_TwoPdusBackToBack_ReadsOneAtATime()
    {
        byte[] data = PduBytes.Concat(FixedLengthPduData.AReleaseRequest.ToArray(), PDataTfData.CEchoRequest.ToArray());
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(data));

        Assert.Equal(PduReadStatus.Done, PduReader.TryReadPdu(ref reader, PduLimits.Default, out PduHeader first, out _, out _));
        Assert.Equal(PduType.AReleaseRequest, first.Type);
        Assert.Equal(10, reader.Consumed);
        Assert.Equal(PduReadStatus.Done, PduReader.TryReadPdu(ref reader, PduLimits.Default, out PduHeader second, out ReadOnlySequence<byte> body, out _));
        Assert.Equal(PduType.PDataTf, second.Type);
        Assert.Equal(74, body.Length);
        Assert.Equal(PduReadStatus.NeedMoreData, PduReader.TryReadPdu(ref reader, PduLimits.Default, out _, out _, out _));
        Assert.Equal(data.Length, reader.Consumed);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x08)]
    [InlineData(0x10)]
    [InlineData(0xFF)]
    public void ReadPdu_UnknownPduType_IsInvalidFromTheFirstByte(byte type)
    {
        PduReadStatus status = Read([type], out PduError error, out long consumed);

        Assert.Equal(PduReadStatus.Invalid, status);
        Assert.Equal(0, consumed);
        Assert.Equal(PduRejectReason.UnknownPduType, error.Reason);
        Assert.Equal(type, error.Detail);
        Assert.Equal(0, error.Offset);
        Assert.Equal(AAbortSource.ServiceProvider, error.AbortSource);
        Assert.Equal(AAbortReason.UnrecognizedPdu, error.AbortReason);
    }

    [Theory]
    [InlineData(0x08)]
    [InlineData(0x00)]
    public void ReadPdu_UnknownPduTypeWithWholeHeader_IsInvalidUnrecognizedPdu(byte type)
    {
        PduReadStatus status = Read([type, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00], out PduError error, out _);

        Assert.Equal(PduReadStatus.Invalid, status);
        Assert.Equal(PduRejectReason.UnknownPduType, error.Reason);
        Assert.Equal(new AAbort(AAbortSource.ServiceProvider, AAbortReason.UnrecognizedPdu), error.ToAAbort());
    }

    [Theory]
    [InlineData(0x01)]
    [InlineData(0x02)]
    [InlineData(0x04)]
    public void ReadPdu_LengthFFFFFFFF_IsInvalidBeforeAnyBodyArrives(byte type)
    {
        PduReadStatus status = Read([type, 0x00, 0xFF, 0xFF, 0xFF, 0xFF], out PduError error, out long consumed);

        Assert.Equal(PduReadStatus.Invalid, status);
        Assert.Equal(0, consumed);
        Assert.Equal(PduRejectReason.PduTooLarge, error.Reason);
        Assert.Equal(0xFFFFFFFFL, error.Detail);
        Assert.Equal(AAbortReason.InvalidPduParameterValue, error.AbortReason);
    }

    [Fact]
    public void ReadPdu_DataPduOneAboveLimit_IsInvalid()
    {
        var limits = new PduLimits { MaxDataPduLength = 1000 };
        byte[] header = PduBytes.Concat([0x04, 0x00], PduBytes.U32(1001));

        PduReadStatus status = Read(new ReadOnlySequence<byte>(header), limits, out _, out _, out PduError error, out _);

        Assert.Equal(PduReadStatus.Invalid, status);
        Assert.Equal(PduRejectReason.PduTooLarge, error.Reason);
        Assert.Equal(1001, error.Detail);
        Assert.Equal((byte)PduType.PDataTf, error.ItemType);
    }

    [Fact]
    public void ReadPdu_DataPduAtLimit_WaitsForBody()
    {
        var limits = new PduLimits { MaxDataPduLength = 1000 };
        byte[] header = PduBytes.Concat([0x04, 0x00], PduBytes.U32(1000));

        PduReadStatus status = Read(new ReadOnlySequence<byte>(header), limits, out _, out _, out _, out long consumed);

        Assert.Equal(PduReadStatus.NeedMoreData, status);
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void ReadPdu_DefaultDataLimit_AcceptsAdvertised128KiBPlusPdvHeader()
    {
        byte[] header = PduBytes.Concat([0x04, 0x00], PduBytes.U32(131_078));
        byte[] over = PduBytes.Concat([0x04, 0x00], PduBytes.U32(131_079));

        Assert.Equal(PduReadStatus.NeedMoreData, Read(header, out _, out _));
        Assert.Equal(PduReadStatus.Invalid, Read(over, out _, out _));
    }

    [Fact]
    public void ReadPdu_AssociationPduAboveLimit_IsInvalid()
    {
        var limits = new PduLimits { MaxAssociationPduLength = 200 };
        byte[] pdu = AAssociateRequestData.MinimalVerification.ToArray();

        Assert.Equal(PduReadStatus.Done, Read(new ReadOnlySequence<byte>(pdu), limits, out _, out _, out _, out _));
        Assert.Equal(PduReadStatus.Invalid, Read(new ReadOnlySequence<byte>(pdu), limits with { MaxAssociationPduLength = 173 }, out _, out _, out PduError error, out _));
        Assert.Equal(PduRejectReason.PduTooLarge, error.Reason);
    }

    [Theory]
    [InlineData(0x01, 67)]
    [InlineData(0x02, 0)]
    public void ReadPdu_AssociationPduShorterThanFixedPart_IsInvalid(byte type, uint length)
    {
        PduReadStatus status = Read(PduBytes.Concat([type, 0x00], PduBytes.U32(length)), out PduError error, out _);

        Assert.Equal(PduReadStatus.Invalid, status);
        Assert.Equal(PduRejectReason.InvalidPduLength, error.Reason);
    }

    [Theory]
    [InlineData(0x03, 0u)]
    [InlineData(0x03, 5u)]
    [InlineData(0x05, 3u)]
    [InlineData(0x05, 6u)]
    [InlineData(0x06, 0u)]
    [InlineData(0x07, 2u)]
    [InlineData(0x07, 0xFFFFFFFFu)]
    public void ReadPdu_FixedLengthPduWithLengthOtherThan4_IsInvalid(byte type, uint length)
    {
        PduReadStatus status = Read(PduBytes.Concat([type, 0x00], PduBytes.U32(length)), out PduError error, out long consumed);

        Assert.Equal(PduReadStatus.Invalid, status);
        Assert.Equal(0, consumed);
        Assert.Equal(PduRejectReason.InvalidPduLength, error.Reason);
        Assert.Equal(length, error.Detail);
        Assert.Equal(type, error.ItemType);
        Assert.Equal(AAbortReason.InvalidPduParameterValue, error.AbortReason);
    }

    [Fact]
    public void ReadPdu_ReservedHeaderByteSet_IsNotTested()
    {
        byte[] pdu = FixedLengthPduData.AReleaseRequest.ToArray();
        pdu[1] = 0xFF;

        Assert.Equal(PduReadStatus.Done, Read(pdu, out _, out _));
    }

    [Fact]
    public void PduHeader_WriteThenTryRead_RoundTrips()
    {
        Span<byte> buffer = stackalloc byte[PduHeader.Size];
        var header = new PduHeader(PduType.AAbort, 4);

        header.Write(buffer);

        Assert.Equal(FixedLengthPduData.AAbortByUser[..6].ToArray(), buffer.ToArray());
        Assert.True(PduHeader.TryRead(buffer, out PduHeader read));
        Assert.Equal(header, read);
        Assert.False(PduHeader.TryRead(buffer[..5], out _));
    }
}
