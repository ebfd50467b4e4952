namespace Embedded.Dicom.Networking.Dimse;

/// <summary>N-CREATE-RSP (PS3.7 §10.3.5.2, Table 10.3-10). Codec generated from this definition.</summary>
[DimseMessage(CommandField.NCreateResponse)]
public partial struct NCreateResponse
{
    /// <summary>MessageIDBeingRespondedTo (mandatory).</summary>
    [CommandElement(CommandTag.MessageIDBeingRespondedTo, ValueRepresentation.US, Usage.M)]
    public ushort MessageIDBeingRespondedTo;

    /// <summary>AffectedSOPClassUID (user option, equal to the request's value).</summary>
    [CommandElement(CommandTag.AffectedSOPClassUID, ValueRepresentation.UI, Usage.U | Usage.Equal)]
    public DicomUid? AffectedSOPClassUID;

    /// <summary>AffectedSOPInstanceUID (conditional).</summary>
    [CommandElement(CommandTag.AffectedSOPInstanceUID, ValueRepresentation.UI, Usage.C)]
    public DicomUid? AffectedSOPInstanceUID;

    /// <summary>Status (mandatory).</summary>
    [CommandElement(CommandTag.Status, ValueRepresentation.US, Usage.M)]
    public ushort Status;

    /// <summary>ErrorComment (conditional).</summary>
    [CommandElement(CommandTag.ErrorComment, ValueRepresentation.LO, Usage.C)]
    public LongString? ErrorComment;

    /// <summary>ErrorID (conditional).</summary>
    [CommandElement(CommandTag.ErrorID, ValueRepresentation.US, Usage.C)]
    public ushort? ErrorID;
}
