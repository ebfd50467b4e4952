using System;
using System.Collections.Generic;
using Embedded.Dicom.Networking.Pdu;

namespace Embedded.Dicom.Networking.Acse;

/// <summary>Decides whether an abstract syntax (SOP class) is served.</summary>
public delegate bool AbstractSyntaxFilter(in DicomUid abstractSyntax);

/// <summary>
/// Decides on a user identity (PS3.7 D.3.3.7): return false to refuse the association; set
/// <paramref name="serverResponse"/> to answer a positive-response request.
/// </summary>
public delegate bool UserIdentityHook(UserIdentityRequestSubItem identity, out byte[]? serverResponse);

/// <summary>What an acceptor (SCP) agrees to. Used once per association, so plain objects are fine here.</summary>
public sealed class AcceptorPolicy
{
    /// <summary>Our AE title (what callers should put as called AE).</summary>
    public AeTitle AeTitle { get; init; } = AeTitle.Parse("EDICOM");

    /// <summary>Refuse callers that name another called AE title (RJ 1/1/7). Off by default, as most SCPs.</summary>
    public bool RequireCalledAeTitle { get; init; }

    /// <summary>When set, only these calling AE titles are accepted (RJ 1/1/3 otherwise).</summary>
    public IReadOnlyCollection<AeTitle>? AllowedCallingAeTitles { get; init; }

    /// <summary>The Maximum Length we announce and enforce on receipt (PS3.8 Annex D.1).</summary>
    public uint MaximumLength { get; init; } = 131_072;

    /// <summary>Which abstract syntaxes are served.</summary>
    public required AbstractSyntaxFilter IsAbstractSyntaxSupported { get; init; }

    /// <summary>
    /// Transfer syntaxes in our order of preference. For each context the acceptor picks the first of these
    /// that the requestor proposed; when none matches and <see cref="AcceptEncapsulated"/> is set, the first
    /// encapsulated (compressed) syntax the requestor proposed, in the requestor's order.
    /// </summary>
    public IReadOnlyList<TransferSyntax> PreferredTransferSyntaxes { get; init; } =
    [
        TransferSyntax.ExplicitVRLittleEndian,
        TransferSyntax.ImplicitVRLittleEndian,
        TransferSyntax.DeflatedExplicitVRLittleEndian,
        TransferSyntax.ExplicitVRBigEndian,
    ];

    /// <summary>Accept encapsulated transfer syntaxes (stored as received) for non-Verification contexts.</summary>
    public bool AcceptEncapsulated { get; init; } = true;

    /// <summary>Called with the requestor's user identity; null accepts any identity without a response.</summary>
    public UserIdentityHook? UserIdentity { get; init; }

    /// <summary>
    /// How many operations a requestor may have outstanding (PS3.7 D.3.3.3), granted only when it proposes a
    /// window; 1 (the default) keeps associations synchronous. The SCP performs one operation at a time and
    /// answers in order, so a larger value lets an SCU pipeline its requests without waiting.
    /// </summary>
    public int MaxOperationsInvoked { get; init; } = 1;

    /// <summary>Our Implementation Class UID.</summary>
    public DicomUid ImplementationClassUid { get; init; } = Implementation.ClassUid;

    /// <summary>Our Implementation Version Name.</summary>
    public string ImplementationVersionName { get; init; } = Implementation.VersionName;

    /// <summary>Limits applied to every PDU read on the association.</summary>
    public PduLimits Limits { get; init; } = PduLimits.Default;
}
