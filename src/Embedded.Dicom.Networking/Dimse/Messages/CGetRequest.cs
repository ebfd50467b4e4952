namespace Embedded.Dicom.Networking.Dimse;

/// <summary>C-GET-RQ (PS3.7 §9.3.3.1, Table 9.3-6). Codec generated from this definition.</summary>
[DimseMessage(CommandField.CGetRequest)]
public partial struct CGetRequest
{
    /// <summary>MessageID (mandatory).</summary>
    [CommandElement(CommandTag.MessageID, ValueRepresentation.US, Usage.M)]
    public ushort MessageID;

    /// <summary>AffectedSOPClassUID (mandatory).</summary>
    [CommandElement(CommandTag.AffectedSOPClassUID, ValueRepresentation.UI, Usage.M)]
    public DicomUid AffectedSOPClassUID;

    /// <summary>Priority (mandatory).</summary>
    [CommandElement(CommandTag.Priority, ValueRepresentation.US, Usage.M)]
    public ushort Priority;
}
