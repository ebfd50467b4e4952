namespace Embedded.Dicom.Networking.Dimse;

/// <summary>N-ACTION-RSP (PS3.7 §10.3.4.2, Table 10.3-8). Codec generated from this definition.</summary>
[DimseMessage(CommandField.NActionResponse)]
public partial struct NActionResponse
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

    /// <summary>ActionTypeID (conditional, equal to the request's value).</summary>
    [CommandElement(CommandTag.ActionTypeID, ValueRepresentation.US, Usage.C | Usage.Equal)]
    public ushort? ActionTypeID;

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
