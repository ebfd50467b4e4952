namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The PDU-type byte, the first byte of every upper-layer PDU (PS3.8 §9.3.1, Table 9-11 … 9-26).
/// A value outside 0x01–0x07 is an unrecognized PDU (PS3.8 §9.2, Evt19).
/// </summary>
public enum PduType : byte
{
    /// <summary>A-ASSOCIATE-RQ, PS3.8 §9.3.2.</summary>
    AAssociateRequest = 0x01,

    /// <summary>A-ASSOCIATE-AC, PS3.8 §9.3.3.</summary>
    AAssociateAccept = 0x02,

    /// <summary>A-ASSOCIATE-RJ, PS3.8 §9.3.4.</summary>
    AAssociateReject = 0x03,

    /// <summary>P-DATA-TF, PS3.8 §9.3.5.</summary>
    PDataTf = 0x04,

    /// <summary>A-RELEASE-RQ, PS3.8 §9.3.6.</summary>
    AReleaseRequest = 0x05,

    /// <summary>A-RELEASE-RP, PS3.8 §9.3.7.</summary>
    AReleaseResponse = 0x06,

    /// <summary>A-ABORT, PS3.8 §9.3.8.</summary>
    AAbort = 0x07,
}
