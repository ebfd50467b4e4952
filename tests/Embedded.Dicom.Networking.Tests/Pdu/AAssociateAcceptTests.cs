using System;
using System.Buffers;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.TestData;

namespace Embedded.Dicom.Networking.Tests.Pdu;

public class AAssociateAcceptTests
{
    internal static AAssociateAccept Decode(byte[] pdu, PduLimits? limits = null)
    {
        PduReadStatus status = AAssociateAccept.TryRead(new ReadOnlySequence<byte>(PduBytes.Body(pdu)), limits ?? PduLimits.Default, out AAssociateAccept? accept, out PduError error);
        Assert.True(status == PduReadStatus.Done, error.ToString());
        Assert.NotNull(accept);
        return accept;
    }

    internal static PduError DecodeError(byte[] pdu)
    {
        Assert.Equal(PduReadStatus.Invalid, AAssociateAccept.TryRead(PduBytes.Body(pdu), PduLimits.Default, out AAssociateAccept? accept, out PduError error));
        Assert.Null(accept);
        return error;
    }

    internal static byte[] Encode(AAssociateAccept accept)
    {
        var writer = new ArrayBufferWriter<byte>();
        accept.Write(writer);
        Assert.Equal(accept.GetEncodedLength(), writer.WrittenCount);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] ResultItem(byte id, byte result, params byte[][] subItems) =>
        PduBytes.Item(0x21, PduBytes.Concat(new byte[] { id, 0, result, 0 }, PduBytes.Concat(subItems)));

    [Fact]
    public void GoldenAcceptedAndRejectedContext_DecodesEveryField()
    {
        AAssociateAccept accept = Decode(AAssociateAcceptData.AcceptedAndRejectedContext.ToArray());

        Assert.Equal(1, accept.ProtocolVersion);
        Assert.Equal(AeTitle.Parse("ANY-SCP"), accept.CalledAeTitle);
        Assert.Equal(AeTitle.Parse("ECHOSCU"), accept.CallingAeTitle);
        Assert.Equal(ApplicationContextItem.DicomApplicationContextName, accept.ApplicationContextName);
        Assert.Equal(2, accept.PresentationContexts.Count);

        PresentationContextResult accepted = accept.PresentationContexts[0];
        Assert.Equal(1, accepted.Id);
        Assert.Equal(PresentationContextResultReason.Acceptance, accepted.Result);
        Assert.Equal(PduBytes.ImplicitVrLittleEndian, accepted.TransferSyntax.ToString());

        PresentationContextResult rejected = accept.PresentationContexts[1];
        Assert.Equal(3, rejected.Id);
        Assert.Equal(PresentationContextResultReason.AbstractSyntaxNotSupported, rejected.Result);
        Assert.True(rejected.TransferSyntax.IsEmpty);

        Assert.Equal(16384u, accept.UserInformation.MaximumLength);
        Assert.Equal("1.2.3.4", accept.UserInformation.ImplementationClassUid.ToString());
        Assert.Equal("TEST", accept.UserInformation.ImplementationVersionName);
    }

    [Fact]
    public void GoldenAcceptedAndRejectedContext_ReEncodesIdentically()
    {
        byte[] golden = AAssociateAcceptData.AcceptedAndRejectedContext.ToArray();

        Assert.Equal(golden, Encode(Decode(golden)));
    }

    [Fact]
    public void CreateFor_EchoesRequestTitlesUnchanged_AndEncodesGolden()
    {
        AAssociateRequest request = AAssociateRequestTests.Decode(AAssociateRequestData.MinimalVerification.ToArray());

        AAssociateAccept accept = AAssociateAccept.CreateFor(request);
        accept.PresentationContexts.Add(new PresentationContextResult(1, PresentationContextResultReason.Acceptance, DicomUid.Parse(PduBytes.ImplicitVrLittleEndian)));
        accept.PresentationContexts.Add(new PresentationContextResult(3, PresentationContextResultReason.AbstractSyntaxNotSupported, default));
        accept.UserInformation.MaximumLength = 16384;
        accept.UserInformation.ImplementationClassUid = DicomUid.Parse("1.2.3.4");
        accept.UserInformation.ImplementationVersionName = "TEST";

        Assert.Equal(request.CalledAeTitle, accept.CalledAeTitle);
        Assert.Equal(request.CallingAeTitle, accept.CallingAeTitle);
        Assert.Equal(AAssociateAcceptData.AcceptedAndRejectedContext.ToArray(), Encode(accept));
    }

    [Fact]
    public void GoldenSplitAtEveryPosition_DecodesTheSame()
    {
        byte[] golden = AAssociateAcceptData.AcceptedAndRejectedContext.ToArray();
        byte[] body = PduBytes.Body(golden);
        for (int split = 0; split <= body.Length; split++)
        {
            Assert.Equal(PduReadStatus.Done, AAssociateAccept.TryRead(SegmentedSequence.SplitAt(body, split), PduLimits.Default, out AAssociateAccept? accept, out _));
            Assert.Equal(golden, Encode(accept!));
        }
    }

    [Theory]
    [InlineData(PresentationContextResultReason.UserRejection)]
    [InlineData(PresentationContextResultReason.NoReason)]
    [InlineData(PresentationContextResultReason.AbstractSyntaxNotSupported)]
    [InlineData(PresentationContextResultReason.TransferSyntaxesNotSupported)]
    public void RejectedContextWithoutTransferSyntaxSubItem_IsTolerated(PresentationContextResultReason result)
    {
        byte[] pdu = PduBytes.Associate(0x02, PduBytes.ApplicationContextItem(), ResultItem(5, (byte)result), PduBytes.UserInformation());

        PresentationContextResult context = Assert.Single(Decode(pdu).PresentationContexts);

        Assert.Equal(5, context.Id);
        Assert.Equal(result, context.Result);
        Assert.True(context.TransferSyntax.IsEmpty);
    }

    [Fact]
    public void RejectedContextWithMeaninglessTransferSyntax_KeepsItUnjudged()
    {
        byte[] pdu = PduBytes.Associate(0x02, PduBytes.ApplicationContextItem(), ResultItem(1, 4, PduBytes.Item(0x40, PduBytes.Ascii("junk"))), PduBytes.UserInformation());

        Assert.Equal("junk", Decode(pdu).PresentationContexts[0].TransferSyntax.ToString());
    }

    [Fact]
    public void AcceptedContextWithoutTransferSyntax_IsInvalid()
    {
        byte[] pdu = PduBytes.Associate(0x02, PduBytes.ApplicationContextItem(), ResultItem(1, 0), PduBytes.UserInformation());

        Assert.Equal(PduRejectReason.MissingTransferSyntax, DecodeError(pdu).Reason);
    }

    [Fact]
    public void ContextWithTwoTransferSyntaxes_IsInvalid()
    {
        byte[] ts = PduBytes.Item(0x40, PduBytes.Ascii(PduBytes.ImplicitVrLittleEndian));
        byte[] pdu = PduBytes.Associate(0x02, PduBytes.ApplicationContextItem(), ResultItem(1, 0, ts, ts), PduBytes.UserInformation());

        Assert.Equal(PduRejectReason.DuplicateItem, DecodeError(pdu).Reason);
    }

    [Fact]
    public void JunkInReservedAeFields_IsNeverValidated()
    {
        byte[] junk = new byte[16];
        for (int i = 0; i < junk.Length; i++)
        {
            junk[i] = (byte)(i * 17);
        }

        byte[] pdu = PduBytes.AssociateWithTitles(0x02, junk, PduBytes.Ascii("LOWER_case".PadRight(16)), PduBytes.ApplicationContextItem(), ResultItem(1, 0, PduBytes.Item(0x40, PduBytes.Ascii(PduBytes.ImplicitVrLittleEndian))), PduBytes.UserInformation());

        AAssociateAccept accept = Decode(pdu);

        Assert.True(accept.CalledAeTitle.IsEmpty);
        Assert.Equal("LOWER_case", accept.CallingAeTitle.ToString());
    }

    [Fact]
    public void ProposedContextItemInAccept_IsSkippedAndLeavesNoContext()
    {
        byte[] pdu = PduBytes.Associate(0x02, PduBytes.ApplicationContextItem(), PduBytes.PresentationContextRq(1, PduBytes.Verification, PduBytes.ImplicitVrLittleEndian), PduBytes.UserInformation());

        Assert.Equal(PduRejectReason.MissingPresentationContext, DecodeError(pdu).Reason);
    }

    [Fact]
    public void ResultItemShorterThanFixedFields_IsInvalid()
    {
        byte[] pdu = PduBytes.Associate(0x02, PduBytes.ApplicationContextItem(), PduBytes.Item(0x21, [1, 0, 0]), PduBytes.UserInformation());

        PduError error = DecodeError(pdu);

        Assert.Equal(PduRejectReason.InvalidItemLength, error.Reason);
        Assert.Equal(0x21, error.ItemType);
    }

    [Fact]
    public void EveryTruncationOfTheBody_IsInvalidNotAnException()
    {
        byte[] golden = AAssociateAcceptData.AcceptedAndRejectedContext.ToArray();
        for (int length = 0; length < golden.Length - 6; length++)
        {
            Assert.Equal(PduReadStatus.Invalid, AAssociateAccept.TryRead(golden.AsSpan(6, length), PduLimits.Default, out _, out _));
        }
    }
}
