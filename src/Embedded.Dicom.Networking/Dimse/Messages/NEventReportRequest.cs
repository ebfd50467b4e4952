namespace Embedded.Dicom.Networking.Dimse;

/// <summary>N-EVENT-REPORT-RQ (PS3.7 §10.3.1.1, Table 10.3-1). Codec generated from this definition.</summary>
[DimseMessage(CommandField.NEventReportRequest)]
public partial struct NEventReportRequest
{
    /// <summary>MessageID (mandatory).</summary>
    [CommandElement(CommandTag.MessageID, ValueRepresentation.US, Usage.M)]
    public ushort MessageID;

    /// <summary>AffectedSOPClassUID (mandatory).</summary>
    [CommandElement(CommandTag.AffectedSOPClassUID, ValueRepresentation.UI, Usage.M)]
    public DicomUid AffectedSOPClassUID;

    /// <summary>AffectedSOPInstanceUID (mandatory).</summary>
    [CommandElement(CommandTag.AffectedSOPInstanceUID, ValueRepresentation.UI, Usage.M)]
    public DicomUid AffectedSOPInstanceUID;

    /// <summary>EventTypeID (mandatory).</summary>
    [CommandElement(CommandTag.EventTypeID, ValueRepresentation.US, Usage.M)]
    public ushort EventTypeID;
}
