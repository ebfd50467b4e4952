namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The item-type byte of the items and sub-items inside A-ASSOCIATE-RQ/AC PDUs (PS3.8 §9.3.2–§9.3.3, Annex D;
/// PS3.7 Annex D.3.3). Every such item starts with <c>type u8 | byte u8 | length u16 BE</c>; the second byte is
/// reserved except in the SOP Class Common Extended Negotiation sub-item, where it is the sub-item version.
/// </summary>
public enum ItemType : byte
{
    /// <summary>Application Context item, PS3.8 §9.3.2.1.</summary>
    ApplicationContext = 0x10,

    /// <summary>Presentation Context item of an A-ASSOCIATE-RQ, PS3.8 §9.3.2.2.</summary>
    PresentationContextRequest = 0x20,

    /// <summary>Presentation Context item of an A-ASSOCIATE-AC, PS3.8 §9.3.3.2.</summary>
    PresentationContextAccept = 0x21,

    /// <summary>Abstract Syntax sub-item, PS3.8 §9.3.2.2.1.</summary>
    AbstractSyntax = 0x30,

    /// <summary>Transfer Syntax sub-item, PS3.8 §9.3.2.2.2 and §9.3.3.2.1.</summary>
    TransferSyntax = 0x40,

    /// <summary>User Information item, PS3.8 §9.3.2.3 and §9.3.3.3.</summary>
    UserInformation = 0x50,

    /// <summary>Maximum Length sub-item, PS3.8 Annex D.1.</summary>
    MaximumLength = 0x51,

    /// <summary>Implementation Class UID sub-item, PS3.7 Annex D.3.3.2.</summary>
    ImplementationClassUid = 0x52,

    /// <summary>Asynchronous Operations Window sub-item, PS3.7 Annex D.3.3.3.</summary>
    AsynchronousOperationsWindow = 0x53,

    /// <summary>SCP/SCU Role Selection sub-item, PS3.7 Annex D.3.3.4.</summary>
    ScpScuRoleSelection = 0x54,

    /// <summary>Implementation Version Name sub-item, PS3.7 Annex D.3.3.2.</summary>
    ImplementationVersionName = 0x55,

    /// <summary>SOP Class Extended Negotiation sub-item, PS3.7 Annex D.3.3.5.</summary>
    SopClassExtendedNegotiation = 0x56,

    /// <summary>SOP Class Common Extended Negotiation sub-item (A-ASSOCIATE-RQ only), PS3.7 Annex D.3.3.6.</summary>
    SopClassCommonExtendedNegotiation = 0x57,

    /// <summary>User Identity Negotiation sub-item of an A-ASSOCIATE-RQ, PS3.7 Annex D.3.3.7.1.</summary>
    UserIdentityRequest = 0x58,

    /// <summary>User Identity Negotiation sub-item of an A-ASSOCIATE-AC, PS3.7 Annex D.3.3.7.2.</summary>
    UserIdentityAccept = 0x59,
}
