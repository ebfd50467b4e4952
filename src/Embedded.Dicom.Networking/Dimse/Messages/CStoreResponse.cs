namespace Embedded.Dicom.Networking.Dimse;

/// <summary>C-STORE-RSP (PS3.7 §9.3.1.2, Table 9.3-2). Codec generated from this definition.</summary>
[DimseMessage(CommandField.CStoreResponse)]
public partial struct CStoreResponse
{
    /// <summary>MessageIDBeingRespondedTo (mandatory).</summary>
    [CommandElement(CommandTag.MessageIDBeingRespondedTo, ValueRepresentation.US, Usage.M)]
    public ushort MessageIDBeingRespondedTo;

    /// <summary>AffectedSOPClassUID (user option, equal to the request's value).</summary>
    [CommandElement(CommandTag.AffectedSOPClassUID, ValueRepresentation.UI, Usage.U | Usage.Equal)]
    public DicomUid? AffectedSOPClassUID;

    /// <summary>AffectedSOPInstanceUID (user option, equal to the request's value).</summary>
    [CommandElement(CommandTag.AffectedSOPInstanceUID, ValueRepresentation.UI, Usage.U | Usage.Equal)]
    public DicomUid? AffectedSOPInstanceUID;

    /// <summary>Status (mandatory).</summary>
    [CommandElement(CommandTag.Status, ValueRepresentation.US, Usage.M)]
    public ushort Status;

    /// <summary>OffendingElement (conditional).</summary>
    [CommandElement(CommandTag.OffendingElement, ValueRepresentation.AT, Usage.C)]
    public DicomTagList? OffendingElement;

    /// <summary>ErrorComment (conditional).</summary>
    [CommandElement(CommandTag.ErrorComment, ValueRepresentation.LO, Usage.C)]
    public LongString? ErrorComment;
}
