namespace Embedded.Dicom.Networking.Dimse;

/// <summary>N-EVENT-REPORT-RSP (PS3.7 §10.3.1.2, Table 10.3-2). Codec generated from this definition.</summary>
[DimseMessage(CommandField.NEventReportResponse)]
public partial struct NEventReportResponse
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

    /// <summary>EventTypeID (conditional, equal to the request's value).</summary>
    [CommandElement(CommandTag.EventTypeID, ValueRepresentation.US, Usage.C | Usage.Equal)]
    public ushort? EventTypeID;

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
