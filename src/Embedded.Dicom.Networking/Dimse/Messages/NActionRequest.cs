namespace Embedded.Dicom.Networking.Dimse;

/// <summary>N-ACTION-RQ (PS3.7 §10.3.4.1, Table 10.3-7). Codec generated from this definition.</summary>
[DimseMessage(CommandField.NActionRequest)]
public partial struct NActionRequest
{
    /// <summary>MessageID (mandatory).</summary>
    [CommandElement(CommandTag.MessageID, ValueRepresentation.US, Usage.M)]
    public ushort MessageID;

    /// <summary>RequestedSOPClassUID (mandatory).</summary>
    [CommandElement(CommandTag.RequestedSOPClassUID, ValueRepresentation.UI, Usage.M)]
    public DicomUid RequestedSOPClassUID;

    /// <summary>RequestedSOPInstanceUID (mandatory).</summary>
    [CommandElement(CommandTag.RequestedSOPInstanceUID, ValueRepresentation.UI, Usage.M)]
    public DicomUid RequestedSOPInstanceUID;

    /// <summary>ActionTypeID (mandatory).</summary>
    [CommandElement(CommandTag.ActionTypeID, ValueRepresentation.US, Usage.M)]
    public ushort ActionTypeID;
}
