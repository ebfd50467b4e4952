using System.Linq;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Pdu;

namespace Embedded.Dicom.Networking.Tests.Acse;

public class AssociationNegotiationTests
{
    private static readonly DicomUid s_verification = DicomUid.Parse("1.2.840.10008.1.1");
    private static readonly DicomUid s_ct = DicomUid.Parse("1.2.840.10008.5.1.4.1.1.2");
    private static readonly DicomUid s_unknown = DicomUid.Parse("1.2.3.4.5");
    private static readonly DicomUid s_implicit = TransferSyntax.ImplicitVRLittleEndian.Uid;
    private static readonly DicomUid s_explicit = TransferSyntax.ExplicitVRLittleEndian.Uid;
    private static readonly DicomUid s_jpegLossless = TransferSyntax.JPEGLosslessSV1.Uid;

    private static AcceptorPolicy Policy(bool requireCalled = false, UserIdentityHook? identity = null) => new()
    {
        AeTitle = AeTitle.Parse("PACS"),
        RequireCalledAeTitle = requireCalled,
        MaximumLength = 65_536,
        UserIdentity = identity,
        IsAbstractSyntaxSupported = static (in DicomUid uid) => uid.Equals(s_verification) || StorageSopClasses.Contains(uid.Span),
    };

    private static AAssociateRequest Request(params PresentationContextRequest[] contexts)
    {
        var request = new AAssociateRequest { CalledAeTitle = AeTitle.Parse("PACS"), CallingAeTitle = AeTitle.Parse("MODALITY") };
        request.PresentationContexts.AddRange(contexts);
        request.UserInformation.MaximumLength = 32_768;
        request.UserInformation.ImplementationClassUid = DicomUid.Parse("1.2.3.4");
        return request;
    }

    private static NegotiatedAssociation Accept(AAssociateRequest request, AcceptorPolicy? policy = null)
    {
        Assert.True(AssociationNegotiation.TryAccept(request, policy ?? Policy(), out AAssociateAccept? accept, out NegotiatedAssociation? negotiated, out _));
        Assert.NotNull(accept);
        return negotiated!;
    }

    [Fact]
    public void TransferSyntax_PreferenceIsOursNotTheRequestorsOrder()
    {
        var negotiated = Accept(Request(new PresentationContextRequest(1, s_ct, s_implicit, s_explicit)));
        Assert.Equal(TransferSyntax.ExplicitVRLittleEndian, negotiated.GetContext(1)!.TransferSyntax);
    }

    [Fact]
    public void TransferSyntax_OnlyImplicitProposed_IsImplicit()
        => Assert.Equal(TransferSyntax.ImplicitVRLittleEndian, Accept(Request(new PresentationContextRequest(1, s_verification, s_implicit))).GetContext(1)!.TransferSyntax);

    [Fact]
    public void TransferSyntax_EncapsulatedOnlyForStorage_IsAcceptedAsProposed()
    {
        var negotiated = Accept(Request(new PresentationContextRequest(1, s_ct, s_jpegLossless), new PresentationContextRequest(3, s_verification, s_jpegLossless)));
        Assert.Equal(TransferSyntax.JPEGLosslessSV1, negotiated.GetContext(1)!.TransferSyntax);
        Assert.Null(negotiated.GetContext(3));
        Assert.Equal(PresentationContextResultReason.TransferSyntaxesNotSupported, negotiated.PresentationContexts.Single(c => c.Id == 3).Result);
    }

    [Fact]
    public void Context_UnknownAbstractSyntaxAndEvenId_AreRejectedOneByOne()
    {
        var negotiated = Accept(Request(new PresentationContextRequest(1, s_unknown, s_implicit), new PresentationContextRequest(2, s_ct, s_implicit), new PresentationContextRequest(5, s_ct, s_implicit)));
        Assert.Equal(PresentationContextResultReason.AbstractSyntaxNotSupported, negotiated.PresentationContexts.Single(c => c.Id == 1).Result);
        Assert.Equal(PresentationContextResultReason.NoReason, negotiated.PresentationContexts.Single(c => c.Id == 2).Result);
        Assert.True(negotiated.PresentationContexts.Single(c => c.Id == 5).IsAccepted);
    }

    [Fact]
    public void ProtocolVersionWithoutBitZero_IsRejected_1_2_2()
    {
        AAssociateRequest request = Request(new PresentationContextRequest(1, s_verification, s_implicit));
        request.ProtocolVersion = 2;
        Assert.False(AssociationNegotiation.TryAccept(request, Policy(), out _, out _, out AssociationRejectReason reason));
        Assert.Equal(AssociationRejectReason.ProtocolVersionNotSupported, reason);
        AAssociateReject pdu = AssociationRejection.ToPdu(reason);
        Assert.Equal((AAssociateRejectResult.RejectedPermanent, AAssociateRejectSource.ServiceProviderAcse, (byte)2), (pdu.Result, pdu.Source, pdu.Reason));
    }

    [Fact]
    public void ForeignApplicationContext_IsRejected_1_1_2()
    {
        AAssociateRequest request = Request(new PresentationContextRequest(1, s_verification, s_implicit));
        request.ApplicationContextName = DicomUid.Parse("1.2.3");
        Assert.False(AssociationNegotiation.TryAccept(request, Policy(), out _, out _, out AssociationRejectReason reason));
        Assert.Equal(AssociationRejectReason.ApplicationContextNotSupported, reason);
        Assert.Equal(2, AssociationRejection.ToPdu(reason).Reason);
    }

    [Fact]
    public void CalledAeTitle_CheckedOnlyWhenAsked_AndComparedAfterTrimming()
    {
        AAssociateRequest request = Request(new PresentationContextRequest(1, s_verification, s_implicit));
        request.CalledAeTitle = AeTitle.Parse("OTHER");
        Assert.True(AssociationNegotiation.TryAccept(request, Policy(), out _, out _, out _));
        Assert.False(AssociationNegotiation.TryAccept(request, Policy(requireCalled: true), out _, out _, out AssociationRejectReason reason));
        Assert.Equal(AssociationRejectReason.CalledAeTitleNotRecognized, reason);
        Assert.Equal(7, AssociationRejection.ToPdu(reason).Reason);

        request.CalledAeTitle = AeTitle.Parse("  PACS  ");
        Assert.True(AssociationNegotiation.TryAccept(request, Policy(requireCalled: true), out _, out _, out _));
    }

    [Fact]
    public void CallingAeTitle_NotInTheAllowList_IsRejected_1_1_3()
    {
        AAssociateRequest request = Request(new PresentationContextRequest(1, s_verification, s_implicit));
        AcceptorPolicy policy = new()
        {
            IsAbstractSyntaxSupported = static (in DicomUid _) => true,
            AllowedCallingAeTitles = [AeTitle.Parse("CT1")],
        };
        Assert.False(AssociationNegotiation.TryAccept(request, policy, out _, out _, out AssociationRejectReason reason));
        Assert.Equal(3, AssociationRejection.ToPdu(reason).Reason);
    }

    [Fact]
    public void UserIdentity_IsHandedToTheHook_WhichCanRefuseOrAnswer()
    {
        AAssociateRequest request = Request(new PresentationContextRequest(1, s_verification, s_implicit));
        request.UserInformation.UserIdentityRequest = new UserIdentityRequestSubItem
        {
            IdentityType = UserIdentityType.UsernameAndPasscode,
            PositiveResponseRequested = true,
            PrimaryField = "tech"u8.ToArray(),
            SecondaryField = [0x00, 0xFF, 0x7F],
        };

        byte[]? seenPasscode = null;
        Assert.False(AssociationNegotiation.TryAccept(request, Policy(identity: (UserIdentityRequestSubItem id, out byte[]? response) =>
        {
            seenPasscode = id.SecondaryField;
            response = null;
            return false;
        }), out _, out _, out AssociationRejectReason reason));
        Assert.Equal(AssociationRejectReason.UserIdentityRefused, reason);
        Assert.Equal(new byte[] { 0x00, 0xFF, 0x7F }, seenPasscode);

        Assert.True(AssociationNegotiation.TryAccept(request, Policy(identity: (UserIdentityRequestSubItem _, out byte[]? response) =>
        {
            response = [1, 2, 3];
            return true;
        }), out AAssociateAccept? accept, out _, out _));
        Assert.Equal(new byte[] { 1, 2, 3 }, accept!.UserInformation.UserIdentityAccept!.ServerResponse);
    }

    [Fact]
    public void AsynchronousOperationsWindow_AnsweredOneOneOnlyWhenProposed()
    {
        AAssociateRequest request = Request(new PresentationContextRequest(1, s_verification, s_implicit));
        AssociationNegotiation.TryAccept(request, Policy(), out AAssociateAccept? plain, out _, out _);
        Assert.Null(plain!.UserInformation.AsynchronousOperationsWindow);

        request.UserInformation.AsynchronousOperationsWindow = new AsynchronousOperationsWindowSubItem(8, 8);
        AssociationNegotiation.TryAccept(request, Policy(), out AAssociateAccept? windowed, out _, out _);
        Assert.Equal(new AsynchronousOperationsWindowSubItem(1, 1), windowed!.UserInformation.AsynchronousOperationsWindow);
    }

    [Fact]
    public void RoleSelection_IsEchoedAndRecordedOnTheContext()
    {
        AAssociateRequest request = Request(new PresentationContextRequest(1, s_ct, s_explicit));
        request.UserInformation.RoleSelections.Add(new ScpScuRoleSelectionSubItem(s_ct, scuRole: true, scpRole: true));
        Assert.True(AssociationNegotiation.TryAccept(request, Policy(), out AAssociateAccept? accept, out NegotiatedAssociation? negotiated, out _));
        ScpScuRoleSelectionSubItem echoed = Assert.Single(accept!.UserInformation.RoleSelections);
        Assert.True(echoed.ScuRole && echoed.ScpRole);
        Assert.True(negotiated!.GetContext(1)!.RequestorIsScp);

        // The requestor's view: a role counts only when proposed and accepted.
        accept.UserInformation.RoleSelections[0].ScpRole = false;
        NegotiatedAssociation requestorView = AssociationNegotiation.ProcessAccept(request, accept, 16_384);
        Assert.False(requestorView.GetContext(1)!.RequestorIsScp);
        Assert.True(requestorView.GetContext(1)!.RequestorIsScu);
    }

    [Fact]
    public void MaximumLength_BothWays_AndFragmentSizeFollowsThePeer()
    {
        AAssociateRequest request = Request(new PresentationContextRequest(1, s_verification, s_implicit));
        Assert.True(AssociationNegotiation.TryAccept(request, Policy(), out AAssociateAccept? accept, out NegotiatedAssociation? acceptor, out _));
        Assert.Equal(65_536u, accept!.UserInformation.MaximumLength);
        Assert.Equal(32_768u, acceptor!.PeerMaximumLength);
        Assert.Equal(32_768 - 6, acceptor.GetMaxSendFragment(1 << 20));

        NegotiatedAssociation requestor = AssociationNegotiation.ProcessAccept(request, accept, 32_768);
        Assert.Equal(65_536u, requestor.PeerMaximumLength);

        // 0 = unlimited: our cap applies. Odd limits give even fragments.
        accept.UserInformation.MaximumLength = 0;
        Assert.Equal((1 << 20) - 6, AssociationNegotiation.ProcessAccept(request, accept, 0).GetMaxSendFragment(1 << 20));
        accept.UserInformation.MaximumLength = 4_097;
        Assert.Equal(4_090, AssociationNegotiation.ProcessAccept(request, accept, 0).GetMaxSendFragment(1 << 20));
    }

    [Fact]
    public void ProcessAccept_TransferSyntaxWeDidNotPropose_IsNotUsable()
    {
        AAssociateRequest request = Request(new PresentationContextRequest(1, s_ct, s_implicit));
        var accept = AAssociateAccept.CreateFor(request);
        accept.PresentationContexts.Add(new PresentationContextResult(1, PresentationContextResultReason.Acceptance, s_explicit));
        accept.UserInformation.ImplementationClassUid = DicomUid.Parse("1.2.3.4");
        NegotiatedAssociation negotiated = AssociationNegotiation.ProcessAccept(request, accept, 16_384);
        Assert.Null(negotiated.GetContext(1));
        Assert.Null(negotiated.FindContext(s_ct));
    }
}
