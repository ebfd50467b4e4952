namespace Embedded.Dicom.Networking.UpperLayer;

/// <summary>
/// Actions of the upper-layer protocol machine, PS3.8 §9.2.2, Tables 9-6 to 9-9. <see cref="Invalid"/>
/// marks the cells Table 9-10 leaves empty: a local primitive there is refused, and a network event there
/// cannot happen (no transport connection).
/// </summary>
public enum UlAction : byte
{
    /// <summary>No action defined for this event in this state.</summary>
    Invalid = 0,
    /// <summary>Issue a transport connect request → Sta4.</summary>
    AE1,
    /// <summary>Send the A-ASSOCIATE-RQ PDU → Sta5.</summary>
    AE2,
    /// <summary>Issue the A-ASSOCIATE confirmation (accept) → Sta6.</summary>
    AE3,
    /// <summary>Issue the A-ASSOCIATE confirmation (reject), close the transport → Sta1.</summary>
    AE4,
    /// <summary>Issue the transport connection response, start ARTIM → Sta2.</summary>
    AE5,
    /// <summary>Stop ARTIM; if the A-ASSOCIATE-RQ is acceptable to the provider, indicate it → Sta3; otherwise send A-ASSOCIATE-RJ, start ARTIM → Sta13.</summary>
    AE6,
    /// <summary>Send the A-ASSOCIATE-AC PDU → Sta6.</summary>
    AE7,
    /// <summary>Send the A-ASSOCIATE-RJ PDU, start ARTIM → Sta13.</summary>
    AE8,
    /// <summary>Send the P-DATA-TF PDU → Sta6.</summary>
    DT1,
    /// <summary>Send the P-DATA indication → Sta6.</summary>
    DT2,
    /// <summary>Send the A-RELEASE-RQ PDU → Sta7.</summary>
    AR1,
    /// <summary>Issue the A-RELEASE indication → Sta8.</summary>
    AR2,
    /// <summary>Issue the A-RELEASE confirmation, close the transport → Sta1.</summary>
    AR3,
    /// <summary>Send the A-RELEASE-RP PDU, start ARTIM → Sta13.</summary>
    AR4,
    /// <summary>Stop ARTIM → Sta1.</summary>
    AR5,
    /// <summary>Issue the P-DATA indication (data still arriving while awaiting A-RELEASE-RP) → Sta7.</summary>
    AR6,
    /// <summary>Send the P-DATA-TF PDU (still allowed after the peer asked to release) → Sta8.</summary>
    AR7,
    /// <summary>Issue the A-RELEASE indication (release collision): requestor → Sta9, acceptor → Sta10.</summary>
    AR8,
    /// <summary>Send the A-RELEASE-RP PDU → Sta11.</summary>
    AR9,
    /// <summary>Issue the A-RELEASE confirmation → Sta12.</summary>
    AR10,
    /// <summary>Send A-ABORT (service-user source), start or restart ARTIM → Sta13.</summary>
    AA1,
    /// <summary>Stop ARTIM if running, close the transport → Sta1.</summary>
    AA2,
    /// <summary>Issue A-ABORT (user-initiated) or A-P-ABORT, close the transport → Sta1.</summary>
    AA3,
    /// <summary>Issue the A-P-ABORT indication → Sta1.</summary>
    AA4,
    /// <summary>Stop ARTIM → Sta1.</summary>
    AA5,
    /// <summary>Ignore the PDU → Sta13.</summary>
    AA6,
    /// <summary>Send the A-ABORT PDU → Sta13.</summary>
    AA7,
    /// <summary>Send A-ABORT (service-provider source), issue A-P-ABORT, start ARTIM → Sta13.</summary>
    AA8,
}
