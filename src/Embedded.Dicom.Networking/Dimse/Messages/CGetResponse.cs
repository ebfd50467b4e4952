namespace Embedded.Dicom.Networking.Dimse;

/// <summary>C-GET-RSP (PS3.7 §9.3.3.2, Table 9.3-7). Codec generated from this definition.</summary>
[DimseMessage(CommandField.CGetResponse)]
public partial struct CGetResponse
{
    /// <summary>MessageIDBeingRespondedTo (mandatory).</summary>
    [CommandElement(CommandTag.MessageIDBeingRespondedTo, ValueRepresentation.US, Usage.M)]
    public ushort MessageIDBeingRespondedTo;

    /// <summary>AffectedSOPClassUID (user option, equal to the request's value).</summary>
    [CommandElement(CommandTag.AffectedSOPClassUID, ValueRepresentation.UI, Usage.U | Usage.Equal)]
    public DicomUid? AffectedSOPClassUID;

    /// <summary>Status (mandatory).</summary>
    [CommandElement(CommandTag.Status, ValueRepresentation.US, Usage.M)]
    public ushort Status;

    /// <summary>NumberOfRemainingSuboperations (conditional).</summary>
    [CommandElement(CommandTag.NumberOfRemainingSuboperations, ValueRepresentation.US, Usage.C)]
    public ushort? NumberOfRemainingSuboperations;

    /// <summary>NumberOfCompletedSuboperations (conditional).</summary>
    [CommandElement(CommandTag.NumberOfCompletedSuboperations, ValueRepresentation.US, Usage.C)]
    public ushort? NumberOfCompletedSuboperations;

    /// <summary>NumberOfFailedSuboperations (conditional).</summary>
    [CommandElement(CommandTag.NumberOfFailedSuboperations, ValueRepresentation.US, Usage.C)]
    public ushort? NumberOfFailedSuboperations;

    /// <summary>NumberOfWarningSuboperations (conditional).</summary>
    [CommandElement(CommandTag.NumberOfWarningSuboperations, ValueRepresentation.US, Usage.C)]
    public ushort? NumberOfWarningSuboperations;

    /// <summary>OffendingElement (conditional).</summary>
    [CommandElement(CommandTag.OffendingElement, ValueRepresentation.AT, Usage.C)]
    public DicomTagList? OffendingElement;

    /// <summary>ErrorComment (conditional).</summary>
    [CommandElement(CommandTag.ErrorComment, ValueRepresentation.LO, Usage.C)]
    public LongString? ErrorComment;
}
