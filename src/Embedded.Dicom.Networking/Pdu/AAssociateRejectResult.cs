namespace Embedded.Dicom.Networking.Pdu;

/// <summary>The result field of an A-ASSOCIATE-RJ PDU (PS3.8 §9.3.4, Table 9-21).</summary>
public enum AAssociateRejectResult : byte
{
    /// <summary>Rejected-permanent.</summary>
    RejectedPermanent = 1,

    /// <summary>Rejected-transient.</summary>
    RejectedTransient = 2,
}
