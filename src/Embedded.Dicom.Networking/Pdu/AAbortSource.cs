namespace Embedded.Dicom.Networking.Pdu;

/// <summary>The source field of an A-ABORT PDU (PS3.8 §9.3.8, Table 9-26).</summary>
public enum AAbortSource : byte
{
    /// <summary>DICOM UL service-user (initiated abort); the reason is then not significant and sent as 0.</summary>
    ServiceUser = 0,

    /// <summary>Reserved.</summary>
    Reserved = 1,

    /// <summary>DICOM UL service-provider (initiated abort): the reason field applies.</summary>
    ServiceProvider = 2,
}
