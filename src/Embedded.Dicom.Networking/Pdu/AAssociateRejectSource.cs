namespace Embedded.Dicom.Networking.Pdu;

/// <summary>The source field of an A-ASSOCIATE-RJ PDU (PS3.8 §9.3.4, Table 9-21).</summary>
public enum AAssociateRejectSource : byte
{
    /// <summary>DICOM UL service-user.</summary>
    ServiceUser = 1,

    /// <summary>DICOM UL service-provider (ACSE related function).</summary>
    ServiceProviderAcse = 2,

    /// <summary>DICOM UL service-provider (presentation related function).</summary>
    ServiceProviderPresentation = 3,
}
