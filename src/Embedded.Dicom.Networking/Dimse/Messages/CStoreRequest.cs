namespace Embedded.Dicom.Networking.Dimse;

/// <summary>C-STORE-RQ (PS3.7 §9.3.1.1, Table 9.3-1). Codec generated from this definition.</summary>
[DimseMessage(CommandField.CStoreRequest)]
public partial struct CStoreRequest
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

    /// <summary>Priority (mandatory).</summary>
    [CommandElement(CommandTag.Priority, ValueRepresentation.US, Usage.M)]
    public ushort Priority;

    /// <summary>MoveOriginatorApplicationEntityTitle (user option).</summary>
    [CommandElement(CommandTag.MoveOriginatorApplicationEntityTitle, ValueRepresentation.AE, Usage.U)]
    public AeTitle? MoveOriginatorApplicationEntityTitle;

    /// <summary>MoveOriginatorMessageID (user option).</summary>
    [CommandElement(CommandTag.MoveOriginatorMessageID, ValueRepresentation.US, Usage.U)]
    public ushort? MoveOriginatorMessageID;
}
