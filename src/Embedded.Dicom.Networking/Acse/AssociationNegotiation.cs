using System;
using System.Collections.Generic;
using Embedded.Dicom.Networking.Pdu;

namespace Embedded.Dicom.Networking.Acse;

/// <summary>
/// Association negotiation as pure functions (PS3.8 §7.1, PS3.7 Annex D.3): no I/O, so both roles are tested
/// directly.
/// <code>
///   A-ASSOCIATE primitive (this file) ⇄ A-ASSOCIATE-RQ/AC/RJ PDUs (Pdu/) ⇄ transport
/// </code>
/// </summary>
public static class AssociationNegotiation
{
    private static readonly DicomUid s_verification = DicomUid.Parse("1.2.840.10008.1.1");

    /// <summary>
    /// The acceptor's answer to <paramref name="request"/>: an A-ASSOCIATE-AC with the negotiated association,
    /// or the reason for an A-ASSOCIATE-RJ. Checks in the order of PS3.8 §9.3.2/§9.3.4: protocol version,
    /// application context, called then calling AE title, user identity; then each presentation context.
    /// </summary>
    public static bool TryAccept(AAssociateRequest request, AcceptorPolicy policy, out AAssociateAccept? accept,
        out NegotiatedAssociation? negotiated, out AssociationRejectReason rejectReason)
    {
        accept = null;
        negotiated = null;
        rejectReason = default;
        if ((request.ProtocolVersion & 1) == 0)
        {
            rejectReason = AssociationRejectReason.ProtocolVersionNotSupported;
            return false;
        }

        if (!request.ApplicationContextName.Equals(ApplicationContextItem.DicomApplicationContextName))
        {
            rejectReason = AssociationRejectReason.ApplicationContextNotSupported;
            return false;
        }

        if (request.IsCalledAeTitleMalformed || (policy.RequireCalledAeTitle && request.CalledAeTitle != policy.AeTitle))
        {
            rejectReason = AssociationRejectReason.CalledAeTitleNotRecognized;
            return false;
        }

        if (request.IsCallingAeTitleMalformed || request.CallingAeTitle.IsEmpty
            || (policy.AllowedCallingAeTitles is { } allowed && !Contains(allowed, request.CallingAeTitle)))
        {
            rejectReason = AssociationRejectReason.CallingAeTitleNotRecognized;
            return false;
        }

        UserInformation rqInfo = request.UserInformation;
        byte[]? identityResponse = null;
        if (rqInfo.UserIdentityRequest is { } identity && policy.UserIdentity is { } hook && !hook(identity, out identityResponse))
        {
            rejectReason = AssociationRejectReason.UserIdentityRefused;
            return false;
        }

        accept = AAssociateAccept.CreateFor(request);
        var contexts = new List<NegotiatedPresentationContext>();
        foreach (PresentationContextRequest proposed in request.PresentationContexts)
        {
            NegotiatedPresentationContext context = NegotiateContext(proposed, policy, rqInfo);
            contexts.Add(context);
            accept.PresentationContexts.Add(new PresentationContextResult(context.Id, context.Result,
                context.TransferSyntax?.Uid ?? default));
        }

        UserInformation acInfo = accept.UserInformation;
        acInfo.MaximumLength = policy.MaximumLength;
        acInfo.ImplementationClassUid = policy.ImplementationClassUid;
        acInfo.ImplementationVersionName = policy.ImplementationVersionName;

        // PS3.7 D.3.3.3: answer only when asked. We perform one operation at a time (performed = 1) and grant
        // the requestor at most the policy's invoked window (0 in the request means "unlimited").
        int invoked = 1;
        if (rqInfo.AsynchronousOperationsWindow is { } window)
        {
            int proposed = window.MaximumNumberOperationsInvoked == 0 ? int.MaxValue : window.MaximumNumberOperationsInvoked;
            invoked = Math.Max(1, Math.Min(proposed, Math.Min(policy.MaxOperationsInvoked, ushort.MaxValue)));
            acInfo.AsynchronousOperationsWindow = new AsynchronousOperationsWindowSubItem((ushort)invoked, 1);
        }

        // PS3.7 D.3.3.4: echo each proposed role; we can act in either role on any context we accepted.
        foreach (ScpScuRoleSelectionSubItem role in rqInfo.RoleSelections)
        {
            acInfo.RoleSelections.Add(new ScpScuRoleSelectionSubItem(role.SopClassUid, role.ScuRole, role.ScpRole));
        }

        if (rqInfo.UserIdentityRequest is { PositiveResponseRequested: true } && identityResponse is not null)
        {
            acInfo.UserIdentityAccept = new UserIdentityAcceptSubItem { ServerResponse = identityResponse };
        }

        negotiated = new NegotiatedAssociation(request.CallingAeTitle, request.CalledAeTitle, contexts)
        {
            PeerMaximumLength = rqInfo.MaximumLength,
            LocalMaximumLength = policy.MaximumLength,
            PeerImplementationClassUid = rqInfo.ImplementationClassUid,
            PeerImplementationVersionName = rqInfo.ImplementationVersionName,
            UserIdentity = rqInfo.UserIdentityRequest,
            MaxOperationsInvoked = invoked,
        };
        return true;
    }

    private static NegotiatedPresentationContext NegotiateContext(PresentationContextRequest proposed, AcceptorPolicy policy, UserInformation rqInfo)
    {
        DicomUid abstractSyntax = proposed.AbstractSyntax;
        if ((proposed.Id & 1) == 0)
        {
            // PS3.8 §9.3.2.2: IDs are odd; an even one is a provider rejection of that context only.
            return new NegotiatedPresentationContext(proposed.Id, abstractSyntax, null, PresentationContextResultReason.NoReason);
        }

        if (!policy.IsAbstractSyntaxSupported(abstractSyntax))
        {
            return new NegotiatedPresentationContext(proposed.Id, abstractSyntax, null, PresentationContextResultReason.AbstractSyntaxNotSupported);
        }

        TransferSyntax? chosen = ChooseTransferSyntax(proposed.TransferSyntaxes, policy, abstractSyntax.Equals(s_verification));
        if (chosen is null)
        {
            return new NegotiatedPresentationContext(proposed.Id, abstractSyntax, null, PresentationContextResultReason.TransferSyntaxesNotSupported);
        }

        bool requestorScu = true;
        bool requestorScp = false;
        foreach (ScpScuRoleSelectionSubItem role in rqInfo.RoleSelections)
        {
            if (role.SopClassUid.Equals(abstractSyntax))
            {
                requestorScu = role.ScuRole;
                requestorScp = role.ScpRole;
            }
        }

        return new NegotiatedPresentationContext(proposed.Id, abstractSyntax, chosen, PresentationContextResultReason.Acceptance)
        {
            RequestorIsScu = requestorScu,
            RequestorIsScp = requestorScp,
        };
    }

    /// <summary>The transfer-syntax choice documented on <see cref="AcceptorPolicy.PreferredTransferSyntaxes"/>.</summary>
    public static TransferSyntax? ChooseTransferSyntax(IReadOnlyList<DicomUid> proposed, AcceptorPolicy policy, bool isVerification)
    {
        foreach (TransferSyntax preferred in policy.PreferredTransferSyntaxes)
        {
            foreach (DicomUid uid in proposed)
            {
                if (uid.Equals(preferred.Uid))
                {
                    return preferred;
                }
            }
        }

        if (policy.AcceptEncapsulated && !isVerification)
        {
            foreach (DicomUid uid in proposed)
            {
                TransferSyntax syntax = TransferSyntax.Lookup(uid);
                if (syntax.IsEncapsulated && uid.IsValid)
                {
                    return syntax;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The requestor's view after an A-ASSOCIATE-AC: each proposed context with the acceptor's result, the
    /// peer's limits, and roles (PS3.7 D.3.3.4: a role counts only if we proposed it and the acceptor echoed 1).
    /// </summary>
    public static NegotiatedAssociation ProcessAccept(AAssociateRequest request, AAssociateAccept accept, uint localMaximumLength)
    {
        var contexts = new List<NegotiatedPresentationContext>();
        foreach (PresentationContextRequest proposed in request.PresentationContexts)
        {
            PresentationContextResult? result = null;
            foreach (PresentationContextResult candidate in accept.PresentationContexts)
            {
                if (candidate.Id == proposed.Id)
                {
                    result = candidate;
                }
            }

            if (result is null)
            {
                contexts.Add(new NegotiatedPresentationContext(proposed.Id, proposed.AbstractSyntax, null, PresentationContextResultReason.NoReason));
                continue;
            }

            TransferSyntax? syntax = null;
            if (result.Result == PresentationContextResultReason.Acceptance && Contains(proposed.TransferSyntaxes, result.TransferSyntax))
            {
                syntax = TransferSyntax.Lookup(result.TransferSyntax);
            }

            bool requestorScu = true;
            bool requestorScp = false;
            foreach (ScpScuRoleSelectionSubItem ours in request.UserInformation.RoleSelections)
            {
                if (!ours.SopClassUid.Equals(proposed.AbstractSyntax))
                {
                    continue;
                }

                ScpScuRoleSelectionSubItem? theirs = null;
                foreach (ScpScuRoleSelectionSubItem answer in accept.UserInformation.RoleSelections)
                {
                    if (answer.SopClassUid.Equals(proposed.AbstractSyntax))
                    {
                        theirs = answer;
                    }
                }

                requestorScu = theirs is null || (ours.ScuRole && theirs.ScuRole);
                requestorScp = theirs is not null && ours.ScpRole && theirs.ScpRole;
            }

            contexts.Add(new NegotiatedPresentationContext(proposed.Id, proposed.AbstractSyntax, syntax,
                syntax is null && result.Result == PresentationContextResultReason.Acceptance ? PresentationContextResultReason.TransferSyntaxesNotSupported : result.Result)
            {
                RequestorIsScu = requestorScu,
                RequestorIsScp = requestorScp,
            });
        }

        UserInformation info = accept.UserInformation;
        return new NegotiatedAssociation(request.CallingAeTitle, request.CalledAeTitle, contexts)
        {
            PeerMaximumLength = info.MaximumLength,
            LocalMaximumLength = localMaximumLength,
            PeerImplementationClassUid = info.ImplementationClassUid,
            PeerImplementationVersionName = info.ImplementationVersionName,
            // An AC without the item means synchronous (PS3.7 D.3.3.3); 0 would mean unlimited, capped here.
            MaxOperationsInvoked = info.AsynchronousOperationsWindow is { MaximumNumberOperationsInvoked: var n } ? (n == 0 ? ushort.MaxValue : n) : 1,
            MaxOperationsPerformed = info.AsynchronousOperationsWindow?.MaximumNumberOperationsPerformed ?? 1,
        };
    }

    private static bool Contains(IReadOnlyCollection<AeTitle> titles, AeTitle title)
    {
        foreach (AeTitle candidate in titles)
        {
            if (candidate == title)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(List<DicomUid> uids, DicomUid uid)
    {
        foreach (DicomUid candidate in uids)
        {
            if (candidate.Equals(uid))
            {
                return true;
            }
        }

        return false;
    }
}
