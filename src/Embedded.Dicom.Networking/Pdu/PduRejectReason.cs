namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// Why received bytes are not an acceptable PDU: one value per failure, so that logs and tests can tell them apart.
/// <see cref="PduError.AbortReason"/> maps each to the A-ABORT reason to send (PS3.8 §9.3.8).
/// </summary>
public enum PduRejectReason
{
    /// <summary>No error.</summary>
    None,

    /// <summary>The PDU-type byte is not 0x01–0x07 (PS3.8 §9.2 Evt19). Detail: the type.</summary>
    UnknownPduType,

    /// <summary>The PDU-length exceeds the <see cref="PduLimits"/> bound for its type. Detail: the PDU-length.</summary>
    PduTooLarge,

    /// <summary>
    /// The PDU-length does not fit the PDU type: not 4 for A-ASSOCIATE-RJ, A-RELEASE-RQ/RP and A-ABORT, or shorter
    /// than the 68-byte fixed part of an A-ASSOCIATE-RQ/AC. Detail: the PDU-length.
    /// </summary>
    InvalidPduLength,

    /// <summary>Fewer than 4 bytes remain in a container where an item header should start. Detail: bytes left.</summary>
    ItemHeaderTruncated,

    /// <summary>An item or sub-item length runs past the end of its container. Detail: the item length.</summary>
    ItemLengthPastEnd,

    /// <summary>
    /// An item's length is too short for its fixed fields, or differs from the fixed length of its type
    /// (Maximum Length and Asynchronous Operations Window: 4). Detail: the item length.
    /// </summary>
    InvalidItemLength,

    /// <summary>A length-prefixed field inside a sub-item runs past the end of the sub-item. Detail: the field length.</summary>
    FieldLengthPastEnd,

    /// <summary>A UID in a negotiation item is longer than 64 bytes after its padding is removed. Detail: the length.</summary>
    UidTooLong,

    /// <summary>An item that may appear only once appears again (application context, user information, an abstract or
    /// transfer syntax of an accepted context, a single-valued user-information sub-item).</summary>
    DuplicateItem,

    /// <summary>The A-ASSOCIATE PDU has no application context item (0x10).</summary>
    MissingApplicationContext,

    /// <summary>The A-ASSOCIATE PDU has no presentation context item.</summary>
    MissingPresentationContext,

    /// <summary>The A-ASSOCIATE PDU has no user information item (0x50).</summary>
    MissingUserInformation,

    /// <summary>A presentation context item of an A-ASSOCIATE-RQ has no abstract syntax sub-item (0x30).</summary>
    MissingAbstractSyntax,

    /// <summary>
    /// A proposed presentation context has no transfer syntax sub-item (0x40), or an accepted one (result 0) has none.
    /// </summary>
    MissingTransferSyntax,

    /// <summary>The user information item has no Maximum Length sub-item (0x51), which PS3.8 Annex D.1 requires.</summary>
    MissingMaximumLength,

    /// <summary>More presentation context items than <see cref="PduLimits.MaxPresentationContexts"/>. Detail: the limit.</summary>
    TooManyPresentationContexts,

    /// <summary>More entries in one container than <see cref="PduLimits.MaxSubItems"/>. Detail: the limit.</summary>
    TooManySubItems,

    /// <summary>A user identity field is longer than <see cref="PduLimits.MaxUserIdentityLength"/>. Detail: its length.</summary>
    UserIdentityTooLong,

    /// <summary>A P-DATA-TF holds no PDV item (PS3.8 §9.3.5 requires one or more).</summary>
    EmptyDataPdu,

    /// <summary>Bytes remain in a P-DATA-TF but fewer than the 6 of a PDV item header. Detail: bytes left.</summary>
    PdvHeaderTruncated,

    /// <summary>A PDV item length is below 2 (it must cover the context ID and the control header). Detail: the length.</summary>
    PdvLengthTooShort,

    /// <summary>A PDV item length runs past the end of the P-DATA-TF. Detail: the item length.</summary>
    PdvLengthPastEnd,

    /// <summary>A PDV fragment has an odd length (PS3.8 Annex E.1; DCMTK aborts likewise). Detail: the item length.</summary>
    OddPdvLength,

    /// <summary>More PDV items in one P-DATA-TF than <see cref="PduLimits.MaxPdvsPerPdu"/>. Detail: the limit.</summary>
    TooManyPdvs,
}
