using System;
using System.Collections.Generic;
using Embedded.Dicom.Networking.Pdu;

namespace Embedded.Dicom.Networking.Tests.Pdu;

public class UserInformationTests
{
    private static AAssociateRequest NewRequest()
    {
        var request = new AAssociateRequest { CalledAeTitle = AeTitle.Parse("ANY-SCP"), CallingAeTitle = AeTitle.Parse("ECHOSCU") };
        request.PresentationContexts.Add(new PresentationContextRequest(1, DicomUid.Parse(PduBytes.Verification), DicomUid.Parse(PduBytes.ImplicitVrLittleEndian)));
        request.UserInformation.ImplementationClassUid = DicomUid.Parse("1.2.3.4");
        return request;
    }

    private static UserInformation RoundTripRequest(AAssociateRequest request, out byte[] encoded)
    {
        encoded = AAssociateRequestTests.Encode(request);
        AAssociateRequest decoded = AAssociateRequestTests.Decode(encoded);
        Assert.Equal(encoded, AAssociateRequestTests.Encode(decoded));
        return decoded.UserInformation;
    }

    private static byte[] Sub(byte type, params byte[][] parts) => PduBytes.Item(type, parts);

    [Theory]
    [InlineData(0u)]
    [InlineData(4096u)]
    [InlineData(0xFFFFFFFFu)]
    public void MaximumLength_RoundTrips(uint value)
    {
        AAssociateRequest request = NewRequest();
        request.UserInformation.MaximumLength = value;

        Assert.Equal(value, RoundTripRequest(request, out _).MaximumLength);
    }

    [Fact]
    public void ImplementationClassUidAndVersionName_RoundTrip()
    {
        AAssociateRequest request = NewRequest();
        request.UserInformation.ImplementationClassUid = DicomUid.Parse("1.2.826.0.1.3680043.2.1143.107");
        request.UserInformation.ImplementationVersionName = "EDICOM_010";

        UserInformation info = RoundTripRequest(request, out _);

        Assert.Equal(request.UserInformation.ImplementationClassUid, info.ImplementationClassUid);
        Assert.Equal("EDICOM_010", info.ImplementationVersionName);
    }

    [Fact]
    public void AbsentOptionalSubItems_AreNotWritten()
    {
        AAssociateRequest request = NewRequest();
        request.UserInformation.ImplementationClassUid = default;
        request.UserInformation.ImplementationVersionName = "";

        UserInformation info = RoundTripRequest(request, out byte[] encoded);

        Assert.True(info.ImplementationClassUid.IsEmpty);
        Assert.Null(info.ImplementationVersionName);
        Assert.Equal(PduBytes.Item(0x50, PduBytes.MaximumLength(16384)), encoded[^12..]);
    }

    [Fact]
    public void AsynchronousOperationsWindow_RoundTrips()
    {
        AAssociateRequest request = NewRequest();
        request.UserInformation.AsynchronousOperationsWindow = new AsynchronousOperationsWindowSubItem(5, 0);

        UserInformation info = RoundTripRequest(request, out byte[] encoded);

        Assert.Equal(new AsynchronousOperationsWindowSubItem(5, 0), info.AsynchronousOperationsWindow);
        Assert.True(encoded.AsSpan().IndexOf(new byte[] { 0x53, 0x00, 0x00, 0x04, 0x00, 0x05, 0x00, 0x00 }) > 0);
    }

    [Fact]
    public void RoleSelections_RoundTripWithScuByteBeforeScpByte()
    {
        AAssociateRequest request = NewRequest();
        request.UserInformation.RoleSelections.Add(new ScpScuRoleSelectionSubItem(DicomUid.Parse(PduBytes.CtImageStorage), scuRole: false, scpRole: true));
        request.UserInformation.RoleSelections.Add(new ScpScuRoleSelectionSubItem(DicomUid.Parse("1.2.840.10008.1.20.1"), scuRole: true, scpRole: false));

        UserInformation info = RoundTripRequest(request, out byte[] encoded);

        Assert.Equal(2, info.RoleSelections.Count);
        Assert.Equal(PduBytes.CtImageStorage, info.RoleSelections[0].SopClassUid.ToString());
        Assert.False(info.RoleSelections[0].ScuRole);
        Assert.True(info.RoleSelections[0].ScpRole);
        Assert.Equal("1.2.840.10008.1.20.1", info.RoleSelections[1].SopClassUid.ToString());
        Assert.True(info.RoleSelections[1].ScuRole);
        Assert.False(info.RoleSelections[1].ScpRole);

        byte[] expected = Sub(0x54, PduBytes.Prefixed(PduBytes.Ascii(PduBytes.CtImageStorage)), [0x00, 0x01]);
        Assert.True(encoded.AsSpan().IndexOf(expected) > 0);
    }

    [Fact]
    public void ExtendedNegotiations_RoundTripBinaryInformation()
    {
        AAssociateRequest request = NewRequest();
        request.UserInformation.ExtendedNegotiations.Add(new SopClassExtendedNegotiationSubItem(DicomUid.Parse(PduBytes.CtImageStorage), [0x02, 0x00, 0xFF, 0x01]));
        request.UserInformation.ExtendedNegotiations.Add(new SopClassExtendedNegotiationSubItem(DicomUid.Parse("1.2.840.10008.5.1.4.1.2.1.1"), []));

        UserInformation info = RoundTripRequest(request, out _);

        Assert.Equal(2, info.ExtendedNegotiations.Count);
        Assert.Equal(PduBytes.CtImageStorage, info.ExtendedNegotiations[0].SopClassUid.ToString());
        Assert.Equal(new byte[] { 0x02, 0x00, 0xFF, 0x01 }, info.ExtendedNegotiations[0].ServiceClassApplicationInformation);
        Assert.Empty(info.ExtendedNegotiations[1].ServiceClassApplicationInformation);
    }

    [Fact]
    public void CommonExtendedNegotiation_WithSeveralRelatedUids_RoundTrips()
    {
        AAssociateRequest request = NewRequest();
        DicomUid[] related = [DicomUid.Parse("1.2.840.10008.5.1.4.1.1.2"), DicomUid.Parse("1.2.840.10008.5.1.4.1.1.4"), DicomUid.Parse("1.2.840.10008.5.1.4.1.1.7")];
        request.UserInformation.CommonExtendedNegotiations.Add(new SopClassCommonExtendedNegotiationSubItem(DicomUid.Parse("1.2.840.10008.5.1.4.1.1.2.1"), DicomUid.Parse("1.2.840.10008.4.2"), related));
        request.UserInformation.CommonExtendedNegotiations.Add(new SopClassCommonExtendedNegotiationSubItem(DicomUid.Parse("1.2.3"), DicomUid.Parse("1.2.840.10008.4.2"), []) { Version = 3 });

        UserInformation info = RoundTripRequest(request, out byte[] encoded);

        Assert.Equal(2, info.CommonExtendedNegotiations.Count);
        SopClassCommonExtendedNegotiationSubItem first = info.CommonExtendedNegotiations[0];
        Assert.Equal(0, first.Version);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2.1", first.SopClassUid.ToString());
        Assert.Equal("1.2.840.10008.4.2", first.ServiceClassUid.ToString());
        Assert.Equal(related, first.RelatedGeneralSopClassUids);
        Assert.Equal(3, info.CommonExtendedNegotiations[1].Version);
        Assert.Empty(info.CommonExtendedNegotiations[1].RelatedGeneralSopClassUids);

        byte[] expectedSecond = PduBytes.ItemWithHeaderByte(0x57, 3, PduBytes.Prefixed(PduBytes.Ascii("1.2.3")), PduBytes.Prefixed(PduBytes.Ascii("1.2.840.10008.4.2")), PduBytes.U16(0));
        Assert.True(encoded.AsSpan().IndexOf(expectedSecond) > 0);
    }

    [Fact]
    public void UserIdentityRequest_WithBinaryFields_RoundTripsByteForByte()
    {
        AAssociateRequest request = NewRequest();
        byte[] primary = [0x00, 0xFF, 0x41, 0x00, 0x80, 0xC3, 0x28];
        byte[] secondary = [0xFF, 0x00, 0xFF, 0xFE, 0x00];
        request.UserInformation.UserIdentityRequest = new UserIdentityRequestSubItem
        {
            IdentityType = UserIdentityType.UsernameAndPasscode,
            PositiveResponseRequested = true,
            PrimaryField = primary,
            SecondaryField = secondary,
        };

        UserInformation info = RoundTripRequest(request, out byte[] encoded);

        UserIdentityRequestSubItem identity = Assert.IsType<UserIdentityRequestSubItem>(info.UserIdentityRequest);
        Assert.Equal(UserIdentityType.UsernameAndPasscode, identity.IdentityType);
        Assert.True(identity.PositiveResponseRequested);
        Assert.Equal(primary, identity.PrimaryField);
        Assert.Equal(secondary, identity.SecondaryField);
        byte[] expected = Sub(0x58, [0x02, 0x01], PduBytes.Prefixed(primary), PduBytes.Prefixed(secondary));
        Assert.True(encoded.AsSpan().IndexOf(expected) > 0);
    }

    [Fact]
    public void UserIdentityAccept_WithBinaryResponse_RoundTrips()
    {
        var accept = new AAssociateAccept { CalledAeTitle = AeTitle.Parse("ANY-SCP"), CallingAeTitle = AeTitle.Parse("ECHOSCU") };
        accept.PresentationContexts.Add(new PresentationContextResult(1, PresentationContextResultReason.Acceptance, DicomUid.Parse(PduBytes.ImplicitVrLittleEndian)));
        accept.UserInformation.UserIdentityAccept = new UserIdentityAcceptSubItem { ServerResponse = [0x00, 0xFF, 0x00, 0x7F] };
        accept.UserInformation.AsynchronousOperationsWindow = new AsynchronousOperationsWindowSubItem(1, 1);
        accept.UserInformation.RoleSelections.Add(new ScpScuRoleSelectionSubItem(DicomUid.Parse(PduBytes.CtImageStorage), false, true));

        byte[] encoded = AAssociateAcceptTests.Encode(accept);
        AAssociateAccept decoded = AAssociateAcceptTests.Decode(encoded);

        Assert.Equal(new byte[] { 0x00, 0xFF, 0x00, 0x7F }, decoded.UserInformation.UserIdentityAccept!.ServerResponse);
        Assert.Equal(new AsynchronousOperationsWindowSubItem(1, 1), decoded.UserInformation.AsynchronousOperationsWindow);
        Assert.True(decoded.UserInformation.RoleSelections[0].ScpRole);
        Assert.Equal(encoded, AAssociateAcceptTests.Encode(decoded));
    }

    [Fact]
    public void EverySubItemTogether_RoundTripsAndSplitsAtEveryPosition()
    {
        AAssociateRequest request = NewRequest();
        request.UserInformation.ImplementationVersionName = "V1";
        request.UserInformation.AsynchronousOperationsWindow = new AsynchronousOperationsWindowSubItem(0, 2);
        request.UserInformation.RoleSelections.Add(new ScpScuRoleSelectionSubItem(DicomUid.Parse(PduBytes.CtImageStorage), true, true));
        request.UserInformation.ExtendedNegotiations.Add(new SopClassExtendedNegotiationSubItem(DicomUid.Parse(PduBytes.CtImageStorage), [1]));
        request.UserInformation.CommonExtendedNegotiations.Add(new SopClassCommonExtendedNegotiationSubItem(DicomUid.Parse("1.2.3.4.5"), DicomUid.Parse("1.2.840.10008.4.2"), [DicomUid.Parse("1.2"), DicomUid.Parse("1.3")]));
        request.UserInformation.UserIdentityRequest = new UserIdentityRequestSubItem { IdentityType = UserIdentityType.JsonWebToken, PrimaryField = [0xFF, 0x00] };

        RoundTripRequest(request, out byte[] encoded);
        byte[] body = PduBytes.Body(encoded);
        for (int split = 0; split <= body.Length; split++)
        {
            Assert.Equal(PduReadStatus.Done, AAssociateRequest.TryRead(SegmentedSequence.SplitAt(body, split), PduLimits.Default, out AAssociateRequest? decoded, out _));
            Assert.Equal(encoded, AAssociateRequestTests.Encode(decoded!));
        }
    }

    [Fact]
    public void UnknownUserInformationSubItems_AreSkipped()
    {
        byte[] pdu = PduBytes.RequestWithUserInformation(Sub(0x5A, [1, 2, 3]), Sub(0xFF, []), Sub(0x52, PduBytes.Ascii("1.2.3")), Sub(0x10, PduBytes.Ascii("x")));

        UserInformation info = AAssociateRequestTests.Decode(pdu).UserInformation;

        Assert.Equal(16384u, info.MaximumLength);
        Assert.Equal("1.2.3", info.ImplementationClassUid.ToString());
    }

    [Fact]
    public void ImplementationClassUidWithTrailingNul_IsTrimmed()
    {
        byte[] pdu = PduBytes.RequestWithUserInformation(Sub(0x52, PduBytes.Ascii("1.2.3.4\0")));

        Assert.Equal("1.2.3.4", AAssociateRequestTests.Decode(pdu).UserInformation.ImplementationClassUid.ToString());
    }

    [Fact]
    public void MissingMaximumLength_IsInvalid()
    {
        byte[] pdu = PduBytes.Associate(0x01, PduBytes.ApplicationContextItem(), PduBytes.PresentationContextRq(1, PduBytes.Verification, PduBytes.ImplicitVrLittleEndian), PduBytes.Item(0x50, Sub(0x52, PduBytes.Ascii("1.2"))));

        Assert.Equal(PduRejectReason.MissingMaximumLength, AAssociateRequestTests.DecodeError(pdu).Reason);
    }

    public static TheoryData<string, byte[]> MalformedSubItems => new()
    {
        { "max length 3 bytes", Sub(0x51, [0, 0, 1]) },
        { "max length 5 bytes", Sub(0x51, [0, 0, 0, 1, 0]) },
        { "async window 2 bytes", Sub(0x53, [0, 1]) },
        { "role selection without role bytes", Sub(0x54, PduBytes.Prefixed(PduBytes.Ascii("1.2"))) },
        { "role selection UID length past end", Sub(0x54, PduBytes.U16(40), PduBytes.Ascii("1.2"), [1, 1]) },
        { "role selection empty", Sub(0x54, []) },
        { "ext neg UID length past end", Sub(0x56, PduBytes.U16(9), PduBytes.Ascii("1.2")) },
        { "ext neg one byte", Sub(0x56, [0]) },
        { "common ext neg service UID missing", Sub(0x57, PduBytes.Prefixed(PduBytes.Ascii("1.2"))) },
        { "common ext neg list length past end", Sub(0x57, PduBytes.Prefixed(PduBytes.Ascii("1.2")), PduBytes.Prefixed(PduBytes.Ascii("1.3")), PduBytes.U16(10), PduBytes.Prefixed(PduBytes.Ascii("1.4"))) },
        { "common ext neg entry past list", Sub(0x57, PduBytes.Prefixed(PduBytes.Ascii("1.2")), PduBytes.Prefixed(PduBytes.Ascii("1.3")), PduBytes.U16(5), PduBytes.U16(4), PduBytes.Ascii("1.4")) },
        { "common ext neg dangling byte in list", Sub(0x57, PduBytes.Prefixed(PduBytes.Ascii("1.2")), PduBytes.Prefixed(PduBytes.Ascii("1.3")), PduBytes.U16(6), PduBytes.Prefixed(PduBytes.Ascii("1.4")), [0]) },
        { "user identity type only", Sub(0x58, [1]) },
        { "user identity primary past end", Sub(0x58, [1, 0], PduBytes.U16(10), PduBytes.Ascii("bob")) },
        { "user identity secondary length missing", Sub(0x58, [1, 0], PduBytes.Prefixed(PduBytes.Ascii("bob"))) },
        { "user identity secondary past end", Sub(0x58, [2, 0], PduBytes.Prefixed(PduBytes.Ascii("bob")), PduBytes.U16(3), [0xFF]) },
        { "user identity AC empty", Sub(0x59, []) },
        { "user identity AC response past end", Sub(0x59, PduBytes.U16(2), [0xFF]) },
        { "implementation class UID too long", Sub(0x52, PduBytes.Ascii("1." + new string('9', 70))) },
        { "sub-item length past user information", PduBytes.ItemWithLength(0x55, 200, PduBytes.Ascii("X")) },
        { "truncated sub-item header", new byte[] { 0x55, 0x00, 0x00 } },
    };

    [Theory]
    [MemberData(nameof(MalformedSubItems))]
    public void MalformedSubItem_IsInvalid(string description, byte[] subItem)
    {
        // A malformed Maximum Length stands in for the valid one; any other sub-item follows a valid one.
        byte[] pdu = subItem[0] == 0x51
            ? PduBytes.Associate(0x01, PduBytes.ApplicationContextItem(), PduBytes.PresentationContextRq(1, PduBytes.Verification, PduBytes.ImplicitVrLittleEndian), PduBytes.Item(0x50, subItem))
            : PduBytes.RequestWithUserInformation(subItem);

        PduError error = AAssociateRequestTests.DecodeError(pdu);

        Assert.True(error.AbortReason == AAbortReason.InvalidPduParameterValue, description + ": " + error);
        Assert.InRange(error.Offset, 74, pdu.Length);
    }

    [Theory]
    [InlineData(0x51)]
    [InlineData(0x52)]
    [InlineData(0x53)]
    [InlineData(0x55)]
    [InlineData(0x58)]
    [InlineData(0x59)]
    public void SingleValuedSubItemTwice_IsInvalid(byte type)
    {
        byte[] value = type switch
        {
            0x51 => PduBytes.U32(1),
            0x53 => PduBytes.Concat(PduBytes.U16(1), PduBytes.U16(1)),
            0x58 => PduBytes.Concat([1, 0], PduBytes.Prefixed(PduBytes.Ascii("u")), PduBytes.U16(0)),
            0x59 => PduBytes.U16(0),
            _ => PduBytes.Ascii("1.2"),
        };
        byte[] pdu = type == 0x51
            ? PduBytes.RequestWithUserInformation(Sub(type, value))
            : PduBytes.RequestWithUserInformation(Sub(type, value), Sub(type, value));

        PduError error = AAssociateRequestTests.DecodeError(pdu);

        Assert.Equal(PduRejectReason.DuplicateItem, error.Reason);
        Assert.Equal(type, error.ItemType);
    }

    [Fact]
    public void UserIdentityFieldsOverLimit_AreInvalid()
    {
        var limits = new PduLimits { MaxUserIdentityLength = 8 };
        byte[] atLimit = PduBytes.RequestWithUserInformation(Sub(0x58, [2, 0], PduBytes.Prefixed(new byte[8]), PduBytes.Prefixed(new byte[8])));
        byte[] primaryOver = PduBytes.RequestWithUserInformation(Sub(0x58, [1, 0], PduBytes.Prefixed(new byte[9]), PduBytes.U16(0)));
        byte[] secondaryOver = PduBytes.RequestWithUserInformation(Sub(0x58, [2, 0], PduBytes.Prefixed(new byte[1]), PduBytes.Prefixed(new byte[9])));
        byte[] responseOver = PduBytes.RequestWithUserInformation(Sub(0x59, PduBytes.Prefixed(new byte[9])));

        Assert.Equal(8, AAssociateRequestTests.Decode(atLimit, limits).UserInformation.UserIdentityRequest!.SecondaryField.Length);
        foreach (byte[] pdu in new[] { primaryOver, secondaryOver, responseOver })
        {
            PduError error = AAssociateRequestTests.DecodeError(pdu, limits);
            Assert.Equal(PduRejectReason.UserIdentityTooLong, error.Reason);
            Assert.Equal(9, error.Detail);
        }
    }

    [Fact]
    public void UserIdentityOverDefaultLimit_IsInvalid()
    {
        byte[] pdu = PduBytes.RequestWithUserInformation(Sub(0x58, [4, 0], PduBytes.Prefixed(new byte[PduLimits.DefaultMaxUserIdentityLength + 1]), PduBytes.U16(0)));

        Assert.Equal(PduRejectReason.UserIdentityTooLong, AAssociateRequestTests.DecodeError(pdu).Reason);
    }

    [Fact]
    public void MoreSubItemsThanLimit_IsInvalid()
    {
        var limits = new PduLimits { MaxSubItems = 4 };
        var roles = new List<byte[]>();
        for (int i = 0; i < 4; i++)
        {
            roles.Add(Sub(0x54, PduBytes.Prefixed(PduBytes.Ascii("1.2")), [1, 0]));
        }

        // Maximum Length plus four role selections: five sub-items.
        PduError error = AAssociateRequestTests.DecodeError(PduBytes.RequestWithUserInformation(roles.ToArray()), limits);

        Assert.Equal(PduRejectReason.TooManySubItems, error.Reason);
        Assert.Equal(0x50, error.ItemType);
        Assert.Equal(AAbortReason.NotSpecified, error.AbortReason);
    }

    [Fact]
    public void MoreRelatedUidsThanLimit_IsInvalid()
    {
        var limits = new PduLimits { MaxSubItems = 2 };
        byte[] list = PduBytes.Concat(PduBytes.Prefixed(PduBytes.Ascii("1.1")), PduBytes.Prefixed(PduBytes.Ascii("1.2")), PduBytes.Prefixed(PduBytes.Ascii("1.3")));
        byte[] subItem = Sub(0x57, PduBytes.Prefixed(PduBytes.Ascii("1.2")), PduBytes.Prefixed(PduBytes.Ascii("1.3")), PduBytes.Prefixed(list));

        PduError error = AAssociateRequestTests.DecodeError(PduBytes.RequestWithUserInformation(subItem), limits);

        Assert.Equal(PduRejectReason.TooManySubItems, error.Reason);
        Assert.Equal(0x57, error.ItemType);
    }

    [Fact]
    public void RoleByteOtherThanZeroOrOne_ReadsAsSupported()
    {
        byte[] pdu = PduBytes.RequestWithUserInformation(Sub(0x54, PduBytes.Prefixed(PduBytes.Ascii("1.2")), [0x02, 0x00]));

        ScpScuRoleSelectionSubItem role = AAssociateRequestTests.Decode(pdu).UserInformation.RoleSelections[0];

        Assert.True(role.ScuRole);
        Assert.False(role.ScpRole);
    }
}
