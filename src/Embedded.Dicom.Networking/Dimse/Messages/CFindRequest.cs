namespace Embedded.Dicom.Networking.Dimse;

/// <summary>C-FIND-RQ (PS3.7 §9.3.2.1, Table 9.3-3). Codec generated from this definition.</summary>
[DimseMessage(CommandField.CFindRequest)]
public partial struct CFindRequest
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
