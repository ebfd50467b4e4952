namespace Embedded.Dicom.Networking.Dimse;

/// <summary>N-GET-RSP (PS3.7 §10.3.2.2, Table 10.3-4). Codec generated from this definition.</summary>
[DimseMessage(CommandField.NGetResponse)]
public partial struct NGetResponse
{
    /// <summary>MessageIDBeingRespondedTo (mandatory).</summary>
    [CommandElement(CommandTag.MessageIDBeingRespondedTo, ValueRepresentation.US, Usage.M)]
    public ushort MessageIDBeingRespondedTo;

    /// <summary>AffectedSOPClassUID (user option).</summary>
    [CommandElement(CommandTag.AffectedSOPClassUID, ValueRepresentation.UI, Usage.U)]
    public DicomUid? AffectedSOPClassUID;

    /// <summary>AffectedSOPInstanceUID (user option).</summary>
    [CommandElement(CommandTag.AffectedSOPInstanceUID, ValueRepresentation.UI, Usage.U)]
    public DicomUid? AffectedSOPInstanceUID;

    /// <summary>Status (mandatory).</summary>
    [CommandElement(CommandTag.Status, ValueRepresentation.US, Usage.M)]
    public ushort Status;

    /// <summary>AttributeIdentifierList (conditional).</summary>
    [CommandElement(CommandTag.AttributeIdentifierList, ValueRepresentation.AT, Usage.C)]
    public DicomTagList? AttributeIdentifierList;

    /// <summary>ErrorComment (conditional).</summary>
    [CommandElement(CommandTag.ErrorComment, ValueRepresentation.LO, Usage.C)]
    public LongString? ErrorComment;

    /// <summary>ErrorID (conditional).</summary>
    [CommandElement(CommandTag.ErrorID, ValueRepresentation.US, Usage.C)]
    public ushort? ErrorID;
}
