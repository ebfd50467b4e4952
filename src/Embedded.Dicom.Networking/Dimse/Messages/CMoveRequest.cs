namespace Embedded.Dicom.Networking.Dimse;

/// <summary>C-MOVE-RQ (PS3.7 §9.3.4.1, Table 9.3-9). Codec generated from this definition.</summary>
[DimseMessage(CommandField.CMoveRequest)]
public partial struct CMoveRequest
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

    /// <summary>MoveDestination (mandatory).</summary>
    [CommandElement(CommandTag.MoveDestination, ValueRepresentation.AE, Usage.M)]
    public AeTitle MoveDestination;
}
