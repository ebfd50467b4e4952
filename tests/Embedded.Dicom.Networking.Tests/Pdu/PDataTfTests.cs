using System;
using System.Buffers;
using System.Collections.Generic;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.TestData;

namespace Embedded.Dicom.Networking.Tests.Pdu;

public class PDataTfTests
{
    private static List<(byte Id, byte Header, byte[] Fragment)> ReadAll(ReadOnlySequence<byte> body, PduLimits limits, out PduError error)
    {
        var values = new List<(byte, byte, byte[])>();
        var reader = new PresentationDataValueReader(body, limits);
        while (reader.TryRead(out PresentationDataValue value))
        {
            values.Add((value.PresentationContextId, value.MessageControlHeader, value.Fragment.ToArray()));
        }

        error = reader.Error;
        return values;
    }

    private static PduError ReadError(byte[] body, PduLimits? limits = null)
    {
        ReadAll(new ReadOnlySequence<byte>(body), limits ?? PduLimits.Default, out PduError error);
        return error;
    }

    [Fact]
    public void GoldenCEchoRequest_DecodesEveryField()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(PDataTfData.CEchoRequest.ToArray()));
        Assert.Equal(PduReadStatus.Done, PduReader.TryReadPdu(ref reader, PduLimits.Default, out PduHeader header, out ReadOnlySequence<byte> body, out _));
        Assert.Equal(PduType.PDataTf, header.Type);
        Assert.Equal(74u, header.PduLength);

        var pdvs = new PresentationDataValueReader(body, PduLimits.Default);
        Assert.True(pdvs.TryRead(out PresentationDataValue pdv));
        Assert.Equal(1, pdv.PresentationContextId);
        Assert.Equal(0x03, pdv.MessageControlHeader);
        Assert.True(pdv.IsCommand);
        Assert.True(pdv.IsLastFragment);
        Assert.Equal(PDataTfData.CEchoRequestFragmentLength, pdv.Fragment.Length);
        Assert.Equal(PDataTfData.CEchoRequest[12..].ToArray(), pdv.Fragment.ToArray());
        Assert.False(pdvs.TryRead(out _));
        Assert.True(pdvs.Error.IsNone);
        Assert.Equal(1, pdvs.Count);
    }

    [Fact]
    public void GoldenCEchoRequest_ReEncodedWithGatheredHeader_IsIdentical()
    {
        byte[] fragment = PDataTfData.CEchoRequest[12..].ToArray();
        Span<byte> headers = stackalloc byte[PDataTf.SinglePdvHeaderLength];

        int written = PDataTf.WriteSinglePdvHeader(headers, 1, PresentationDataValue.GetMessageControlHeader(isCommand: true, isLastFragment: true), fragment.Length);

        Assert.Equal(12, written);
        Assert.Equal(PDataTfData.CEchoRequest.ToArray(), PduBytes.Concat(headers.ToArray(), fragment));
    }

    [Fact]
    public void GoldenCEchoRequest_ReEncodedIntoBufferWriter_IsIdentical()
    {
        var writer = new ArrayBufferWriter<byte>();

        PDataTf.Write(writer, 1, 0x03, PDataTfData.CEchoRequest[12..]);

        Assert.Equal(PDataTfData.CEchoRequest.ToArray(), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void SeveralPdvsInOnePdu_AreYieldedInOrder()
    {
        byte[] body = PduBytes.Concat(
            PduBytes.U32(6), [1, 0x03, 0xAA, 0xBB, 0xCC, 0xDD],
            PduBytes.U32(2), [1, 0x00],
            PduBytes.U32(4), [1, 0x02, 0xEE, 0xFF]);

        List<(byte Id, byte Header, byte[] Fragment)> values = ReadAll(new ReadOnlySequence<byte>(body), PduLimits.Default, out PduError error);

        Assert.True(error.IsNone);
        Assert.Equal(3, values.Count);
        Assert.Equal(new byte[] { 0xAA, 0xBB, 0xCC, 0xDD }, values[0].Fragment);
        Assert.Empty(values[1].Fragment);
        Assert.Equal(0x00, values[1].Header);
        Assert.Equal(new byte[] { 0xEE, 0xFF }, values[2].Fragment);
        Assert.Equal(0x02, values[2].Header);
    }

    [Fact]
    public void PdvHeaderBitsTwoToSeven_AreIgnored()
    {
        byte[] body = PduBytes.Concat(PduBytes.U32(2), [3, 0xFC]);
        var reader = new PresentationDataValueReader(new ReadOnlySequence<byte>(body), PduLimits.Default);

        Assert.True(reader.TryRead(out PresentationDataValue value));
        Assert.False(value.IsCommand);
        Assert.False(value.IsLastFragment);
        Assert.Equal(0xFC, value.MessageControlHeader);
    }

    [Fact]
    public void BodySplitAtEveryPosition_ParsesAsSingleSegment()
    {
        byte[] body = PduBytes.Concat(
            PduBytes.U32(6), [1, 0x01, 0xAA, 0xBB, 0xCC, 0xDD],
            PduBytes.U32(4), [1, 0x02, 0xEE, 0xFF]);
        List<(byte Id, byte Header, byte[] Fragment)> expected = ReadAll(new ReadOnlySequence<byte>(body), PduLimits.Default, out _);

        for (int split = 0; split <= body.Length; split++)
        {
            List<(byte Id, byte Header, byte[] Fragment)> actual = ReadAll(SegmentedSequence.SplitAt(body, split), PduLimits.Default, out PduError error);
            Assert.True(error.IsNone);
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Id, actual[i].Id);
                Assert.Equal(expected[i].Header, actual[i].Header);
                Assert.Equal(expected[i].Fragment, actual[i].Fragment);
            }
        }

        Assert.Equal(2, ReadAll(SegmentedSequence.OneBytePerSegment(body), PduLimits.Default, out _).Count);
    }

    [Fact]
    public void WholeGoldenPduSplitAtEveryPosition_ReadsSameFragment()
    {
        byte[] pdu = PDataTfData.CEchoRequest.ToArray();
        for (int split = 0; split <= pdu.Length; split++)
        {
            var reader = new SequenceReader<byte>(SegmentedSequence.SplitAt(pdu, split));
            Assert.Equal(PduReadStatus.Done, PduReader.TryReadPdu(ref reader, PduLimits.Default, out _, out ReadOnlySequence<byte> body, out _));
            List<(byte Id, byte Header, byte[] Fragment)> values = ReadAll(body, PduLimits.Default, out PduError error);
            Assert.True(error.IsNone);
            Assert.Equal(pdu.AsSpan(12).ToArray(), Assert.Single(values).Fragment);
        }
    }

    [Fact]
    public void EmptyBody_IsInvalid()
    {
        PduError error = ReadError([]);

        Assert.Equal(PduRejectReason.EmptyDataPdu, error.Reason);
        Assert.Equal(6, error.Offset);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    public void PdvLengthBelowTwo_IsInvalid(uint length)
    {
        PduError error = ReadError(PduBytes.Concat(PduBytes.U32(length), [1, 3, 0, 0]));

        Assert.Equal(PduRejectReason.PdvLengthTooShort, error.Reason);
        Assert.Equal(length, error.Detail);
        Assert.Equal(AAbortReason.InvalidPduParameterValue, error.AbortReason);
    }

    [Theory]
    [InlineData(3u)]
    [InlineData(5u)]
    public void PdvOddLength_IsInvalid(uint length)
    {
        PduError error = ReadError(PduBytes.Concat(PduBytes.U32(length), [1, 3, 0xAA, 0xBB, 0xCC]));

        Assert.Equal(PduRejectReason.OddPdvLength, error.Reason);
    }

    [Theory]
    [InlineData(6u)]
    [InlineData(0x7FFFFFFFu)]
    [InlineData(0xFFFFFFFFu)]
    public void PdvLengthPastEndOfPdu_IsInvalid(uint length)
    {
        PduError error = ReadError(PduBytes.Concat(PduBytes.U32(length), [1, 3, 0xAA, 0xBB]));

        Assert.Equal(PduRejectReason.PdvLengthPastEnd, error.Reason);
        Assert.Equal(length, error.Detail);
        Assert.Equal(6, error.Offset);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    public void TrailingBytesShorterThanPdvHeader_AreInvalid(int trailing)
    {
        byte[] body = PduBytes.Concat(PduBytes.U32(2), [1, 3], new byte[trailing]);

        List<(byte Id, byte Header, byte[] Fragment)> values = ReadAll(new ReadOnlySequence<byte>(body), PduLimits.Default, out PduError error);

        Assert.Single(values);
        Assert.Equal(PduRejectReason.PdvHeaderTruncated, error.Reason);
        Assert.Equal(trailing, error.Detail);
        Assert.Equal(12, error.Offset);
    }

    [Fact]
    public void MorePdvsThanLimit_IsInvalid()
    {
        var limits = new PduLimits { MaxPdvsPerPdu = 2 };
        byte[] pdv = PduBytes.Concat(PduBytes.U32(2), [1, 0]);

        Assert.True(ReadError(PduBytes.Concat(pdv, pdv), limits).IsNone);
        PduError error = ReadError(PduBytes.Concat(pdv, pdv, pdv), limits);
        Assert.Equal(PduRejectReason.TooManyPdvs, error.Reason);
        Assert.Equal(AAbortReason.NotSpecified, error.AbortReason);
    }

    [Fact]
    public void ReaderAfterError_KeepsReturningFalse()
    {
        var reader = new PresentationDataValueReader(new ReadOnlySequence<byte>(PduBytes.U32(1)), PduLimits.Default);

        Assert.False(reader.TryRead(out _));
        Assert.False(reader.TryRead(out _));
        Assert.Equal(PduRejectReason.PdvHeaderTruncated, reader.Error.Reason);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(3)]
    public void WriteItemHeader_OddOrNegativeFragmentLength_Throws(int fragmentLength)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PDataTf.WriteSinglePdvHeader(new byte[12], 1, 0, fragmentLength));
        Assert.Throws<ArgumentOutOfRangeException>(() => PresentationDataValue.WriteItemHeader(new byte[6], 1, 0, fragmentLength));
    }

    [Fact]
    public void WritePduHeader_SeveralPdvs_ProducesReadablePdu()
    {
        byte[] pdu = new byte[6 + 6 + 4 + 6 + 2];
        PDataTf.WritePduHeader(pdu, pdu.Length - 6);
        PresentationDataValue.WriteItemHeader(pdu.AsSpan(6), 5, PresentationDataValue.GetMessageControlHeader(true, true), 4);
        PresentationDataValue.WriteItemHeader(pdu.AsSpan(16), 5, PresentationDataValue.GetMessageControlHeader(false, true), 2);

        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(pdu));
        Assert.Equal(PduReadStatus.Done, PduReader.TryReadPdu(ref reader, PduLimits.Default, out _, out ReadOnlySequence<byte> body, out _));
        List<(byte Id, byte Header, byte[] Fragment)> values = ReadAll(body, PduLimits.Default, out PduError error);
        Assert.True(error.IsNone);
        Assert.Equal(2, values.Count);
        Assert.Equal(0x03, values[0].Header);
        Assert.Equal(0x02, values[1].Header);
        Assert.All(values, v => Assert.Equal(5, v.Id));
    }

    [Theory]
    [InlineData(false, false, 0x00)]
    [InlineData(true, false, 0x01)]
    [InlineData(false, true, 0x02)]
    [InlineData(true, true, 0x03)]
    public void GetMessageControlHeader_SetsBitsZeroAndOne(bool isCommand, bool isLast, byte expected)
    {
        Assert.Equal(expected, PresentationDataValue.GetMessageControlHeader(isCommand, isLast));
    }

    [Theory]
    [InlineData(16384, 16378)]
    [InlineData(131072, 131066)]
    [InlineData(16385, 16378)]
    [InlineData(3, 0)]
    public void GetMaxFragmentLength_SubtractsPdvHeaderAndKeepsEven(int maximumLength, int expected)
    {
        Assert.Equal(expected, PDataTf.GetMaxFragmentLength(maximumLength));
    }
}
