namespace Embedded.Dicom.Networking.UpperLayer;

/// <summary>Events of the upper-layer protocol machine, PS3.8 §9.2.2, Table 9-2.</summary>
public enum UlEvent : byte
{
    /// <summary>A-ASSOCIATE request primitive (local user).</summary>
    Evt1 = 1,
    /// <summary>Transport connection confirmed (requestor).</summary>
    Evt2,
    /// <summary>A-ASSOCIATE-AC PDU received.</summary>
    Evt3,
    /// <summary>A-ASSOCIATE-RJ PDU received.</summary>
    Evt4,
    /// <summary>Transport connection indication (an incoming connection).</summary>
    Evt5,
    /// <summary>A-ASSOCIATE-RQ PDU received.</summary>
    Evt6,
    /// <summary>A-ASSOCIATE response primitive: accept (local user).</summary>
    Evt7,
    /// <summary>A-ASSOCIATE response primitive: reject (local user).</summary>
    Evt8,
    /// <summary>P-DATA request primitive (local user).</summary>
    Evt9,
    /// <summary>P-DATA-TF PDU received.</summary>
    Evt10,
    /// <summary>A-RELEASE request primitive (local user).</summary>
    Evt11,
    /// <summary>A-RELEASE-RQ PDU received.</summary>
    Evt12,
    /// <summary>A-RELEASE-RP PDU received.</summary>
    Evt13,
    /// <summary>A-RELEASE response primitive (local user).</summary>
    Evt14,
    /// <summary>A-ABORT request primitive (local user).</summary>
    Evt15,
    /// <summary>A-ABORT PDU received.</summary>
    Evt16,
    /// <summary>Transport connection closed.</summary>
    Evt17,
    /// <summary>ARTIM timer expired.</summary>
    Evt18,
    /// <summary>Unrecognized or invalid PDU received.</summary>
    Evt19,
}
