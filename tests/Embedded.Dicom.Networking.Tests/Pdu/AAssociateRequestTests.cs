using System;
using System.Buffers;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.TestData;

namespace Embedded.Dicom.Networking.Tests.Pdu;

public class AAssociateRequestTests
{
    internal static AAssociateRequest Decode(byte[] pdu, PduLimits? limits = null)
    {
        PduReadStatus status = AAssociateRequest.TryRead(new ReadOnlySequence<byte>(PduBytes.Body(pdu)), limits ?? PduLimits.Default, out AAssociateRequest? request, out PduError error);
        Assert.True(status == PduReadStatus.Done, error.ToString());
        Assert.NotNull(request);
        return request;
    }

    internal static PduError DecodeError(byte[] pdu, PduLimits? limits = null)
    {
        PduReadStatus status = AAssociateRequest.TryRead(PduBytes.Body(pdu), limits ?? PduLimits.Default, out AAssociateRequest? request, out PduError error);
        Assert.Equal(PduReadStatus.Invalid, status);
        Assert.Null(request);
        Assert.False(error.IsNone);
        return error;
    }

    internal static byte[] Encode(AAssociateRequest request)
    {
        var writer = new ArrayBufferWriter<byte>();
        request.Write(writer);
        Assert.Equal(request.GetEncodedLength(), writer.WrittenCount);
        return writer.WrittenSpan.ToArray();
    }

    [Fact]
    public void GoldenMinimalVerification_DecodesEveryField()
    {
        AAssociateRequest request = Decode(AAssociateRequestData.MinimalVerification.ToArray());

        Assert.Equal(1, request.ProtocolVersion);
        Assert.Equal(AeTitle.Parse(AAssociateRequestData.MinimalVerificationCalledAeTitle), request.CalledAeTitle);
        Assert.Equal(AeTitle.Parse(AAssociateRequestData.MinimalVerificationCallingAeTitle), request.CallingAeTitle);
        Assert.False(request.IsCalledAeTitleMalformed);
        Assert.False(request.IsCallingAeTitleMalformed);
        Assert.Equal(ApplicationContextItem.DicomApplicationContextName, request.ApplicationContextName);
        Assert.Equal("1.2.840.10008.3.1.1.1", request.ApplicationContextName.ToString());

        PresentationContextRequest context = Assert.Single(request.PresentationContexts);
        Assert.Equal(1, context.Id);
        Assert.Equal("1.2.840.10008.1.1", context.AbstractSyntax.ToString());
        Assert.Equal("1.2.840.10008.1.2", Assert.Single(context.TransferSyntaxes).ToString());

        UserInformation info = request.UserInformation;
        Assert.Equal(16384u, info.MaximumLength);
        Assert.Equal("1.2.3.4", info.ImplementationClassUid.ToString());
        Assert.Equal("TEST", info.ImplementationVersionName);
        Assert.Null(info.AsynchronousOperationsWindow);
        Assert.Empty(info.RoleSelections);
        Assert.Empty(info.ExtendedNegotiations);
        Assert.Empty(info.CommonExtendedNegotiations);
        Assert.Null(info.UserIdentityRequest);
        Assert.Null(info.UserIdentityAccept);
    }

    [Fact]
    public void GoldenMinimalVerification_ReEncodesIdentically()
    {
        byte[] golden = AAssociateRequestData.MinimalVerification.ToArray();

        byte[] encoded = Encode(Decode(golden));

        Assert.Equal(golden, encoded);
    }

    [Fact]
    public void GoldenMinimalVerification_BuiltFromFields_EncodesIdentically()
    {
        var request = new AAssociateRequest
        {
            CalledAeTitle = AeTitle.Parse("ANY-SCP"),
            CallingAeTitle = AeTitle.Parse("ECHOSCU"),
        };
        request.PresentationContexts.Add(new PresentationContextRequest(1, DicomUid.Parse(PduBytes.Verification), DicomUid.Parse(PduBytes.ImplicitVrLittleEndian)));
        request.UserInformation.MaximumLength = 16384;
        request.UserInformation.ImplementationClassUid = DicomUid.Parse("1.2.3.4");
        request.UserInformation.ImplementationVersionName = "TEST";

        byte[] span = new byte[200];
        int written = request.Write(span);

        Assert.Equal(180, request.GetEncodedLength());
        Assert.Equal(180, written);
        Assert.Equal(AAssociateRequestData.MinimalVerification.ToArray(), span.AsSpan(0, written).ToArray());
    }

    [Fact]
    public void GoldenMinimalVerification_SplitAtEveryPosition_DecodesTheSame()
    {
        byte[] body = PduBytes.Body(AAssociateRequestData.MinimalVerification.ToArray());
        for (int split = 0; split <= body.Length; split++)
        {
            Assert.Equal(PduReadStatus.Done, AAssociateRequest.TryRead(SegmentedSequence.SplitAt(body, split), PduLimits.Default, out AAssociateRequest? request, out _));
            Assert.Equal(AAssociateRequestData.MinimalVerification.ToArray(), Encode(request!));
        }

        Assert.Equal(PduReadStatus.Done, AAssociateRequest.TryRead(SegmentedSequence.OneBytePerSegment(body), PduLimits.Default, out AAssociateRequest? oneByte, out _));
        Assert.Equal(AAssociateRequestData.MinimalVerification.ToArray(), Encode(oneByte!));
    }

    [Fact]
    public void SeveralContextsAndTransferSyntaxes_RoundTrip()
    {
        var request = new AAssociateRequest
        {
            ProtocolVersion = 1,
            CalledAeTitle = AeTitle.Parse("STORE-SCP"),
            CallingAeTitle = AeTitle.Parse("MODALITY_01"),
        };
        request.PresentationContexts.Add(new PresentationContextRequest(1, DicomUid.Parse(PduBytes.Verification), DicomUid.Parse(PduBytes.ImplicitVrLittleEndian)));
        request.PresentationContexts.Add(new PresentationContextRequest(3, DicomUid.Parse(PduBytes.CtImageStorage), DicomUid.Parse(PduBytes.ExplicitVrLittleEndian), DicomUid.Parse(PduBytes.ImplicitVrLittleEndian)));
        request.PresentationContexts.Add(new PresentationContextRequest(255, DicomUid.Parse(PduBytes.CtImageStorage), DicomUid.Parse("1.2.840.10008.1.2.4.50")));

        byte[] encoded = Encode(request);
        AAssociateRequest decoded = Decode(encoded);

        Assert.Equal(request.CalledAeTitle, decoded.CalledAeTitle);
        Assert.Equal(request.CallingAeTitle, decoded.CallingAeTitle);
        Assert.Equal(3, decoded.PresentationContexts.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(request.PresentationContexts[i].Id, decoded.PresentationContexts[i].Id);
            Assert.Equal(request.PresentationContexts[i].AbstractSyntax, decoded.PresentationContexts[i].AbstractSyntax);
            Assert.Equal(request.PresentationContexts[i].TransferSyntaxes, decoded.PresentationContexts[i].TransferSyntaxes);
        }

        Assert.Equal(encoded, Encode(decoded));
    }

    [Fact]
    public void Encoding_WritesReservedFieldsAsZeroAndTitlesSpacePadded()
    {
        var request = new AAssociateRequest { CalledAeTitle = AeTitle.Parse("A"), CallingAeTitle = AeTitle.Parse("B") };
        request.PresentationContexts.Add(new PresentationContextRequest(1, DicomUid.Parse(PduBytes.Verification), DicomUid.Parse(PduBytes.ImplicitVrLittleEndian)));

        byte[] encoded = Encode(request);

        Assert.Equal(0, encoded[1]);
        Assert.Equal(new byte[] { 0, 0 }, encoded[8..10]);
        Assert.Equal(PduBytes.Ascii("A".PadRight(16)), encoded[10..26]);
        Assert.Equal(PduBytes.Ascii("B".PadRight(16)), encoded[26..42]);
        Assert.Equal(new byte[32], encoded[42..74]);
    }

    [Fact]
    public void ProtocolVersionAndReservedBytes_AreNotJudgedByTheDecoder()
    {
        byte[] pdu = AAssociateRequestData.MinimalVerification.ToArray();
        pdu[6] = 0x00;
        pdu[7] = 0x02;
        pdu[8] = 0xFF;
        pdu[50] = 0xFF;
        pdu[75] = 0xFF;

        AAssociateRequest request = Decode(pdu);

        Assert.Equal(2, request.ProtocolVersion);
    }

    [Fact]
    public void UidWithTrailingNulAndSurroundingSpaces_IsTrimmed()
    {
        byte[] pdu = PduBytes.Associate(
            0x01,
            PduBytes.Item(0x10, PduBytes.Ascii(PduBytes.ApplicationContext + "\0")),
            PduBytes.Item(0x20, [1, 0, 0, 0], PduBytes.Item(0x30, PduBytes.Ascii(" " + PduBytes.Verification + " ")), PduBytes.Item(0x40, PduBytes.Ascii(PduBytes.ImplicitVrLittleEndian + "\0"))),
            PduBytes.UserInformation());

        AAssociateRequest request = Decode(pdu);

        Assert.Equal(ApplicationContextItem.DicomApplicationContextName, request.ApplicationContextName);
        Assert.Equal(PduBytes.Verification, request.PresentationContexts[0].AbstractSyntax.ToString());
        Assert.Equal(PduBytes.ImplicitVrLittleEndian, request.PresentationContexts[0].TransferSyntaxes[0].ToString());
    }

    [Fact]
    public void ItemsInAnyOrder_AreAccepted()
    {
        byte[] pdu = PduBytes.Associate(
            0x01,
            PduBytes.UserInformation(),
            PduBytes.PresentationContextRq(1, PduBytes.Verification, PduBytes.ImplicitVrLittleEndian),
            PduBytes.ApplicationContextItem());

        Assert.Single(Decode(pdu).PresentationContexts);
    }

    [Fact]
    public void UnknownItemTypes_AreSkipped()
    {
        byte[] pdu = PduBytes.Associate(
            0x01,
            PduBytes.Item(0x99, [1, 2, 3]),
            PduBytes.ApplicationContextItem(),
            PduBytes.Item(0x21, [1, 0, 0, 0]),
            PduBytes.Item(0x20, [1, 0, 0, 0], PduBytes.Item(0x77, [9, 9]), PduBytes.Item(0x30, PduBytes.Ascii(PduBytes.Verification)), PduBytes.Item(0x40, PduBytes.Ascii(PduBytes.ImplicitVrLittleEndian))),
            PduBytes.Item(0x00, []),
            PduBytes.UserInformation());

        AAssociateRequest request = Decode(pdu);

        PresentationContextRequest context = Assert.Single(request.PresentationContexts);
        Assert.Equal(PduBytes.Verification, context.AbstractSyntax.ToString());
    }

    [Fact]
    public void MalformedCalledAeTitle_IsFlaggedNotRejected()
    {
        byte[] called = PduBytes.Ascii("BAD\\AE".PadRight(16));
        byte[] calling = PduBytes.Ascii("OK".PadRight(16));
        calling[3] = 0x01;
        byte[] pdu = PduBytes.AssociateWithTitles(0x01, called, calling, PduBytes.ApplicationContextItem(), PduBytes.PresentationContextRq(1, PduBytes.Verification, PduBytes.ImplicitVrLittleEndian), PduBytes.UserInformation());

        AAssociateRequest request = Decode(pdu);

        Assert.True(request.IsCalledAeTitleMalformed);
        Assert.True(request.IsCallingAeTitleMalformed);
        Assert.True(request.CalledAeTitle.IsEmpty);
        Assert.True(request.CallingAeTitle.IsEmpty);
    }

    [Fact]
    public void EveryPrefixThroughFraming_NeedsMoreAndConsumesNothing()
    {
        byte[] pdu = Encode(Decode(AAssociateRequestData.MinimalVerification.ToArray()));
        for (int length = 0; length < pdu.Length; length++)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(pdu, 0, length));
            Assert.Equal(PduReadStatus.NeedMoreData, PduReader.TryReadPdu(ref reader, PduLimits.Default, out _, out _, out _));
            Assert.Equal(0, reader.Consumed);
        }
    }

    [Fact]
    public void ItemLengthPastEndOfPdu_IsInvalid()
    {
        byte[] pdu = AAssociateRequestData.MinimalVerification.ToArray();
        pdu[76] = 0x01; // Application Context item length 21 -> 277

        PduError error = DecodeError(pdu);

        Assert.Equal(PduRejectReason.ItemLengthPastEnd, error.Reason);
        Assert.Equal(74, error.Offset);
        Assert.Equal(0x10, error.ItemType);
        Assert.Equal(277, error.Detail);
        Assert.Equal(AAbortReason.InvalidPduParameterValue, error.AbortReason);
    }

    [Fact]
    public void SubItemLengthPastEndOfItsContext_IsInvalid()
    {
        byte[] pdu = PduBytes.Associate(
            0x01,
            PduBytes.ApplicationContextItem(),
            PduBytes.Item(0x20, [1, 0, 0, 0], PduBytes.ItemWithLength(0x30, 40, PduBytes.Ascii(PduBytes.Verification))),
            PduBytes.UserInformation());

        PduError error = DecodeError(pdu);

        Assert.Equal(PduRejectReason.ItemLengthPastEnd, error.Reason);
        Assert.Equal(0x30, error.ItemType);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TruncatedItemHeaderAtEnd_IsInvalid(int trailing)
    {
        byte[] pdu = PduBytes.Associate(
            0x01,
            PduBytes.ApplicationContextItem(),
            PduBytes.PresentationContextRq(1, PduBytes.Verification, PduBytes.ImplicitVrLittleEndian),
            PduBytes.UserInformation(),
            new byte[] { 0x50, 0x00, 0x00 }[..trailing]);

        Assert.Equal(PduRejectReason.ItemHeaderTruncated, DecodeError(pdu).Reason);
    }

    [Fact]
    public void EveryTruncationOfTheBody_IsInvalidNotAnException()
    {
        byte[] golden = AAssociateRequestData.MinimalVerification.ToArray();
        for (int length = 0; length < golden.Length - 6; length++)
        {
            byte[] body = golden.AsSpan(6, length).ToArray();
            Assert.Equal(PduReadStatus.Invalid, AAssociateRequest.TryRead(body, PduLimits.Default, out _, out _));
        }
    }

    [Fact]
    public void PresentationContextItemShorterThanFixedFields_IsInvalid()
    {
        byte[] pdu = PduBytes.Associate(0x01, PduBytes.ApplicationContextItem(), PduBytes.Item(0x20, [1, 0]), PduBytes.UserInformation());

        PduError error = DecodeError(pdu);

        Assert.Equal(PduRejectReason.InvalidItemLength, error.Reason);
        Assert.Equal(0x20, error.ItemType);
    }

    [Fact]
    public void MorePresentationContextsThanLimit_IsInvalid()
    {
        byte[] context = PduBytes.PresentationContextRq(1, PduBytes.Verification, PduBytes.ImplicitVrLittleEndian);
        byte[] three = PduBytes.Associate(0x01, PduBytes.ApplicationContextItem(), context, context, context, PduBytes.UserInformation());
        var limits = new PduLimits { MaxPresentationContexts = 2 };

        PduError error = DecodeError(three, limits);

        Assert.Equal(PduRejectReason.TooManyPresentationContexts, error.Reason);
        Assert.Equal(2, error.Detail);
        Assert.Equal(3, Decode(three).PresentationContexts.Count);
    }

    [Fact]
    public void PresentationContextFlood_IsStoppedByTheDefaultLimit()
    {
        byte[] context = PduBytes.PresentationContextRq(1, PduBytes.Verification, PduBytes.ImplicitVrLittleEndian);
        var items = new byte[130][];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = context;
        }

        byte[] pdu = PduBytes.Associate(0x01, PduBytes.ApplicationContextItem(), PduBytes.Concat(items), PduBytes.UserInformation());

        Assert.Equal(PduRejectReason.TooManyPresentationContexts, DecodeError(pdu).Reason);
    }

    [Fact]
    public void MoreTransferSyntaxesThanSubItemLimit_IsInvalid()
    {
        byte[] pdu = PduBytes.Associate(
            0x01,
            PduBytes.ApplicationContextItem(),
            PduBytes.PresentationContextRq(1, PduBytes.Verification, PduBytes.ImplicitVrLittleEndian, PduBytes.ExplicitVrLittleEndian, PduBytes.ImplicitVrLittleEndian),
            PduBytes.UserInformation());

        Assert.Equal(PduRejectReason.TooManySubItems, DecodeError(pdu, new PduLimits { MaxSubItems = 3 }).Reason);
        Assert.Equal(3, Decode(pdu, new PduLimits { MaxSubItems = 4 }).PresentationContexts[0].TransferSyntaxes.Count);
    }

    [Fact]
    public void UidLongerThan64Bytes_IsInvalid()
    {
        byte[] pdu = PduBytes.Associate(
            0x01,
            PduBytes.ApplicationContextItem(),
            PduBytes.PresentationContextRq(1, "1." + new string('2', 63), PduBytes.ImplicitVrLittleEndian),
            PduBytes.UserInformation());

        PduError error = DecodeError(pdu);

        Assert.Equal(PduRejectReason.UidTooLong, error.Reason);
        Assert.Equal(65, error.Detail);
    }

    [Fact]
    public void MissingApplicationContext_IsInvalid()
    {
        byte[] pdu = PduBytes.Associate(0x01, PduBytes.PresentationContextRq(1, PduBytes.Verification, PduBytes.ImplicitVrLittleEndian), PduBytes.UserInformation());

        Assert.Equal(PduRejectReason.MissingApplicationContext, DecodeError(pdu).Reason);
    }

    [Fact]
    public void MissingPresentationContext_IsInvalid()
    {
        byte[] pdu = PduBytes.Associate(0x01, PduBytes.ApplicationContextItem(), PduBytes.UserInformation());

        Assert.Equal(PduRejectReason.MissingPresentationContext, DecodeError(pdu).Reason);
    }

    [Fact]
    public void MissingUserInformation_IsInvalid()
    {
        byte[] pdu = PduBytes.Associate(0x01, PduBytes.ApplicationContextItem(), PduBytes.PresentationContextRq(1, PduBytes.Verification, PduBytes.ImplicitVrLittleEndian));

        Assert.Equal(PduRejectReason.MissingUserInformation, DecodeError(pdu).Reason);
    }

    [Fact]
    public void MissingAbstractOrTransferSyntax_IsInvalid()
    {
        byte[] noAbstract = PduBytes.Associate(0x01, PduBytes.ApplicationContextItem(), PduBytes.Item(0x20, [1, 0, 0, 0], PduBytes.Item(0x40, PduBytes.Ascii(PduBytes.ImplicitVrLittleEndian))), PduBytes.UserInformation());
        byte[] noTransfer = PduBytes.Associate(0x01, PduBytes.ApplicationContextItem(), PduBytes.PresentationContextRq(1, PduBytes.Verification), PduBytes.UserInformation());

        Assert.Equal(PduRejectReason.MissingAbstractSyntax, DecodeError(noAbstract).Reason);
        Assert.Equal(PduRejectReason.MissingTransferSyntax, DecodeError(noTransfer).Reason);
    }

    [Fact]
    public void DuplicateSingletonItems_AreInvalidUnexpectedParameter()
    {
        byte[] twoApplicationContexts = PduBytes.Associate(0x01, PduBytes.ApplicationContextItem(), PduBytes.ApplicationContextItem(), PduBytes.PresentationContextRq(1, PduBytes.Verification, PduBytes.ImplicitVrLittleEndian), PduBytes.UserInformation());
        byte[] twoUserInformation = PduBytes.Associate(0x01, PduBytes.ApplicationContextItem(), PduBytes.PresentationContextRq(1, PduBytes.Verification, PduBytes.ImplicitVrLittleEndian), PduBytes.UserInformation(), PduBytes.UserInformation());
        byte[] twoAbstractSyntaxes = PduBytes.Associate(0x01, PduBytes.ApplicationContextItem(), PduBytes.Item(0x20, [1, 0, 0, 0], PduBytes.Item(0x30, PduBytes.Ascii(PduBytes.Verification)), PduBytes.Item(0x30, PduBytes.Ascii(PduBytes.Verification)), PduBytes.Item(0x40, PduBytes.Ascii(PduBytes.ImplicitVrLittleEndian))), PduBytes.UserInformation());

        PduError error = DecodeError(twoApplicationContexts);
        Assert.Equal(PduRejectReason.DuplicateItem, error.Reason);
        Assert.Equal(AAbortReason.UnexpectedPduParameter, error.AbortReason);
        Assert.Equal(PduRejectReason.DuplicateItem, DecodeError(twoUserInformation).Reason);
        Assert.Equal(PduRejectReason.DuplicateItem, DecodeError(twoAbstractSyntaxes).Reason);
    }

    [Fact]
    public void BodyAboveAssociationLimit_IsInvalidBeforeCopying()
    {
        byte[] body = PduBytes.Body(AAssociateRequestData.MinimalVerification.ToArray());
        var limits = new PduLimits { MaxAssociationPduLength = 100 };

        Assert.Equal(PduReadStatus.Invalid, AAssociateRequest.TryRead(SegmentedSequence.SplitAt(body, 50), limits, out _, out PduError error));
        Assert.Equal(PduRejectReason.PduTooLarge, error.Reason);
    }

    [Fact]
    public void ItemTooLongForU16Length_ThrowsOnEncode()
    {
        var request = new AAssociateRequest();
        request.PresentationContexts.Add(new PresentationContextRequest(1, DicomUid.Parse(PduBytes.Verification), DicomUid.Parse(PduBytes.ImplicitVrLittleEndian)));
        request.UserInformation.ExtendedNegotiations.Add(new SopClassExtendedNegotiationSubItem(DicomUid.Parse(PduBytes.CtImageStorage), new byte[70_000]));

        Assert.Throws<InvalidOperationException>(() => request.GetEncodedLength());
    }
}
