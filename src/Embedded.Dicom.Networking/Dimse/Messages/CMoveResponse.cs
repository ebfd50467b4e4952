namespace Embedded.Dicom.Networking.Dimse;

/// <summary>C-MOVE-RSP (PS3.7 §9.3.4.2, Table 9.3-10). Codec generated from this definition.</summary>
[DimseMessage(CommandField.CMoveResponse)]
public partial struct CMoveResponse
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
