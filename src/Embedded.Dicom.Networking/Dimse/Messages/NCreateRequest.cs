namespace Embedded.Dicom.Networking.Dimse;

/// <summary>N-CREATE-RQ (PS3.7 §10.3.5.1, Table 10.3-9). Codec generated from this definition.</summary>
[DimseMessage(CommandField.NCreateRequest)]
public partial struct NCreateRequest
{
    /// <summary>MessageID (mandatory).</summary>
    [CommandElement(CommandTag.MessageID, ValueRepresentation.US, Usage.M)]
    public ushort MessageID;

    /// <summary>AffectedSOPClassUID (mandatory).</summary>
    [CommandElement(CommandTag.AffectedSOPClassUID, ValueRepresentation.UI, Usage.M)]
    public DicomUid AffectedSOPClassUID;

    /// <summary>AffectedSOPInstanceUID (user option).</summary>
    [CommandElement(CommandTag.AffectedSOPInstanceUID, ValueRepresentation.UI, Usage.U)]
    public DicomUid? AffectedSOPInstanceUID;
}
