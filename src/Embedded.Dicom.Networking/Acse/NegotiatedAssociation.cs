using System;
using System.Collections.Generic;
using Embedded.Dicom.Networking.Pdu;

namespace Embedded.Dicom.Networking.Acse;

/// <summary>
/// One presentation context as negotiated (PS3.8 §7.1.1.13–14): its abstract syntax, the transfer syntax
/// the acceptor chose, the result, and the roles agreed by SCP/SCU Role Selection (PS3.7 Annex D.3.3.4).
/// </summary>
public sealed class NegotiatedPresentationContext
{
    /// <summary>Creates a negotiated context.</summary>
    public NegotiatedPresentationContext(byte id, DicomUid abstractSyntax, TransferSyntax? transferSyntax, PresentationContextResultReason result)
    {
        Id = id;
        AbstractSyntax = abstractSyntax;
        TransferSyntax = transferSyntax;
        Result = result;
    }

    /// <summary>Presentation context ID (odd, 1–255).</summary>
    public byte Id { get; }

    /// <summary>The SOP class (or meta SOP class) of the context.</summary>
    public DicomUid AbstractSyntax { get; }

    /// <summary>The chosen transfer syntax; null when the context was rejected.</summary>
    public TransferSyntax? TransferSyntax { get; }

    /// <summary>The acceptor's result for the context.</summary>
    public PresentationContextResultReason Result { get; }

    /// <summary>True when the context may carry messages.</summary>
    public bool IsAccepted => Result == PresentationContextResultReason.Acceptance && TransferSyntax is not null;

    /// <summary>The association requestor may act as SCU on this context (default true).</summary>
    public bool RequestorIsScu { get; init; } = true;

    /// <summary>The association requestor may act as SCP on this context (default false; true after role selection, e.g. for C-GET).</summary>
    public bool RequestorIsScp { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"context {Id} {AbstractSyntax} {(IsAccepted ? TransferSyntax!.Name : Result.ToString())}";
}

/// <summary>
/// The outcome of association negotiation for either side: who is talking, the accepted presentation
/// contexts, and the limits each side agreed to (PS3.8 §7.1, PS3.7 Annex D.3).
/// </summary>
public sealed class NegotiatedAssociation
{
    private readonly NegotiatedPresentationContext?[] _byId = new NegotiatedPresentationContext?[256];
    private readonly NegotiatedPresentationContext[] _contexts;

    /// <summary>Creates the outcome.</summary>
    public NegotiatedAssociation(AeTitle callingAeTitle, AeTitle calledAeTitle, IEnumerable<NegotiatedPresentationContext> contexts)
    {
        CallingAeTitle = callingAeTitle;
        CalledAeTitle = calledAeTitle;
        var list = new List<NegotiatedPresentationContext>();
        foreach (NegotiatedPresentationContext context in contexts)
        {
            _byId[context.Id] = context;
            list.Add(context);
        }

        _contexts = list.ToArray();
    }

    /// <summary>The requestor's AE title.</summary>
    public AeTitle CallingAeTitle { get; }

    /// <summary>The acceptor's AE title as the requestor called it.</summary>
    public AeTitle CalledAeTitle { get; }

    /// <summary>Every proposed context with its result.</summary>
    public IReadOnlyList<NegotiatedPresentationContext> PresentationContexts => _contexts;

    /// <summary>
    /// The largest P-DATA-TF PDU length the peer accepts (its Maximum Length sub-item, PS3.8 Annex D.1);
    /// 0 means unlimited.
    /// </summary>
    public uint PeerMaximumLength { get; init; }

    /// <summary>The largest P-DATA-TF PDU length we announced and enforce on receipt.</summary>
    public uint LocalMaximumLength { get; init; }

    /// <summary>The peer's Implementation Class UID.</summary>
    public DicomUid PeerImplementationClassUid { get; init; }

    /// <summary>The peer's Implementation Version Name, when sent.</summary>
    public string? PeerImplementationVersionName { get; init; }

    /// <summary>Operations the requestor may invoke without waiting (PS3.7 D.3.3.3); 1 = synchronous.</summary>
    public int MaxOperationsInvoked { get; init; } = 1;

    /// <summary>Operations the acceptor performs at once; 1 = synchronous.</summary>
    public int MaxOperationsPerformed { get; init; } = 1;

    /// <summary>The user identity the requestor sent, if any (already passed to the acceptor's hook).</summary>
    public UserIdentityRequestSubItem? UserIdentity { get; init; }

    /// <summary>The accepted context with this ID, or null.</summary>
    public NegotiatedPresentationContext? GetContext(byte id)
    {
        NegotiatedPresentationContext? context = _byId[id];
        return context is { IsAccepted: true } ? context : null;
    }

    /// <summary>
    /// Finds an accepted context for <paramref name="abstractSyntax"/>, preferring one whose transfer syntax is
    /// <paramref name="preferred"/> (when given).
    /// </summary>
    public NegotiatedPresentationContext? FindContext(in DicomUid abstractSyntax, TransferSyntax? preferred = null)
    {
        // Indexing an array, not enumerating the interface: no enumerator box per message.
        NegotiatedPresentationContext? any = null;
        foreach (NegotiatedPresentationContext context in _contexts)
        {
            if (!context.IsAccepted || !context.AbstractSyntax.Equals(abstractSyntax))
            {
                continue;
            }

            if (preferred is null || context.TransferSyntax!.Uid.Equals(preferred.Uid))
            {
                return context;
            }

            any ??= context;
        }

        return any;
    }

    /// <summary>
    /// The fragment size for sending: the peer's maximum minus the 6-byte PDV item header, even, capped at
    /// <paramref name="cap"/> (also used when the peer says 0 = unlimited, PS3.8 Annex D.1).
    /// </summary>
    public int GetMaxSendFragment(int cap)
    {
        long limit = PeerMaximumLength == 0 ? cap : Math.Min(PeerMaximumLength, (uint)cap);
        long fragment = limit - PresentationDataValue.ItemHeaderLength;
        fragment &= ~1L;
        return (int)Math.Max(2, fragment);
    }
}
