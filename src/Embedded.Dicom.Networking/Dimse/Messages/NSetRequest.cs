namespace Embedded.Dicom.Networking.Dimse;

/// <summary>N-SET-RQ (PS3.7 §10.3.3.1, Table 10.3-5). Codec generated from this definition.</summary>
[DimseMessage(CommandField.NSetRequest)]
public partial struct NSetRequest
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
}
