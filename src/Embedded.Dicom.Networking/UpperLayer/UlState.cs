namespace Embedded.Dicom.Networking.UpperLayer;

/// <summary>States of the DICOM upper-layer protocol machine, PS3.8 §9.2.1, Table 9-1.</summary>
public enum UlState : byte
{
    /// <summary>Idle: no association and no transport connection.</summary>
    Sta1 = 1,
    /// <summary>Transport connection open (acceptor), awaiting the A-ASSOCIATE-RQ PDU; ARTIM running.</summary>
    Sta2,
    /// <summary>Awaiting the local A-ASSOCIATE response primitive (acceptor).</summary>
    Sta3,
    /// <summary>Awaiting the transport connection to open (requestor).</summary>
    Sta4,
    /// <summary>Awaiting the A-ASSOCIATE-AC or A-ASSOCIATE-RJ PDU (requestor).</summary>
    Sta5,
    /// <summary>Association established, ready for data transfer.</summary>
    Sta6,
    /// <summary>Awaiting the A-RELEASE-RP PDU.</summary>
    Sta7,
    /// <summary>Awaiting the local A-RELEASE response primitive.</summary>
    Sta8,
    /// <summary>Release collision, requestor side: awaiting the local A-RELEASE response primitive.</summary>
    Sta9,
    /// <summary>Release collision, acceptor side: awaiting the A-RELEASE-RP PDU.</summary>
    Sta10,
    /// <summary>Release collision, requestor side: awaiting the A-RELEASE-RP PDU.</summary>
    Sta11,
    /// <summary>Release collision, acceptor side: awaiting the local A-RELEASE response primitive.</summary>
    Sta12,
    /// <summary>Awaiting the transport connection to close (the association is gone); ARTIM may be running.</summary>
    Sta13,
}
