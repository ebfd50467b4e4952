namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// Bounds applied to untrusted PDUs before anything is sliced, buffered or allocated (conventions C8). Every
/// length read from the wire is checked against what remains of its container and against these limits first.
/// Immutable; derive variants with <c>with { … }</c>, for example after the Maximum Length negotiation.
/// </summary>
/// <remarks>
/// A breach of a limit makes the PDU <see cref="PduReadStatus.Invalid"/>; the resulting <see cref="PduError"/>
/// maps to an A-ABORT (<see cref="PduError.AbortReason"/>).
/// </remarks>
public sealed record PduLimits
{
    /// <summary>
    /// Default of <see cref="MaxDataPduLength"/>: 131 078 = 131 072 (128 KiB: what DCMTK caps its own sends at, and the
    /// Maximum Length an acceptor built on this library is expected to advertise) plus 6 bytes of slack for a peer
    /// that sizes its fragment to the advertised value instead of its whole PDU-length (one PDV item header).
    /// </summary>
    public const int DefaultMaxDataPduLength = 131_072 + 6;

    /// <summary>Default of <see cref="MaxAssociationPduLength"/>: 64 KiB.</summary>
    public const int DefaultMaxAssociationPduLength = 65_536;

    /// <summary>
    /// Default of <see cref="MaxPresentationContexts"/>: 128, the number of odd presentation context IDs in 1–255
    /// (PS3.8 §9.3.2.2), so no conformant peer needs more.
    /// </summary>
    public const int DefaultMaxPresentationContexts = 128;

    /// <summary>Default of <see cref="MaxUserIdentityLength"/>: 4 KiB, room for a SAML assertion or a JWT.</summary>
    public const int DefaultMaxUserIdentityLength = 4_096;

    /// <summary>Default of <see cref="MaxSubItems"/>.</summary>
    public const int DefaultMaxSubItems = 256;

    /// <summary>Default of <see cref="MaxPdvsPerPdu"/>. Peers put one or two PDVs in a P-DATA-TF in practice.</summary>
    public const int DefaultMaxPdvsPerPdu = 256;

    /// <summary>The defaults listed on each property.</summary>
    public static PduLimits Default { get; } = new();

    /// <summary>
    /// The largest PDU-length field (bytes after the 6-byte header) accepted for a P-DATA-TF. Default
    /// <see cref="DefaultMaxDataPduLength"/>. Keep it at least 6 above the Maximum Length value advertised in the
    /// user-information item (PS3.8 Annex D.1); a Maximum Length of 0 (no limit) cannot be honoured by a receiver
    /// and should not be advertised.
    /// </summary>
    public int MaxDataPduLength
    {
        get;
        init => field = Positive(value, nameof(MaxDataPduLength));
    } = DefaultMaxDataPduLength;

    /// <summary>
    /// The largest PDU-length accepted for an A-ASSOCIATE-RQ or A-ASSOCIATE-AC (these are buffered whole before
    /// decoding). Default <see cref="DefaultMaxAssociationPduLength"/>.
    /// </summary>
    public int MaxAssociationPduLength
    {
        get;
        init => field = Positive(value, nameof(MaxAssociationPduLength));
    } = DefaultMaxAssociationPduLength;

    /// <summary>
    /// The most presentation context items (0x20 or 0x21) accepted in one A-ASSOCIATE PDU. Default
    /// <see cref="DefaultMaxPresentationContexts"/>.
    /// </summary>
    public int MaxPresentationContexts
    {
        get;
        init => field = Positive(value, nameof(MaxPresentationContexts));
    } = DefaultMaxPresentationContexts;

    /// <summary>
    /// The largest primary field, secondary field (User Identity RQ, 0x58) or server response (User Identity AC, 0x59),
    /// each counted on its own. Default <see cref="DefaultMaxUserIdentityLength"/>.
    /// </summary>
    public int MaxUserIdentityLength
    {
        get;
        init => field = Positive(value, nameof(MaxUserIdentityLength));
    } = DefaultMaxUserIdentityLength;

    /// <summary>
    /// The most entries in one container: sub-items of a presentation context, sub-items of the user-information item
    /// (unknown ones included), and related general SOP class UIDs of one common extended negotiation sub-item.
    /// Default <see cref="DefaultMaxSubItems"/>.
    /// </summary>
    public int MaxSubItems
    {
        get;
        init => field = Positive(value, nameof(MaxSubItems));
    } = DefaultMaxSubItems;

    /// <summary>
    /// The most PDV items accepted in one P-DATA-TF (a flood of empty PDVs costs work for no data). Default
    /// <see cref="DefaultMaxPdvsPerPdu"/>.
    /// </summary>
    public int MaxPdvsPerPdu
    {
        get;
        init => field = Positive(value, nameof(MaxPdvsPerPdu));
    } = DefaultMaxPdvsPerPdu;

    private static int Positive(int value, string name)
    {
        if (value <= 0)
        {
            PduThrowHelper.ThrowLimitOutOfRange(name, value);
        }

        return value;
    }
}
