namespace Embedded.Dicom.Networking.Dimse;

/// <summary>N-GET-RQ (PS3.7 §10.3.2.1, Table 10.3-3). Codec generated from this definition.</summary>
[DimseMessage(CommandField.NGetRequest)]
public partial struct NGetRequest
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

    /// <summary>AttributeIdentifierList (user option).</summary>
    [CommandElement(CommandTag.AttributeIdentifierList, ValueRepresentation.AT, Usage.U)]
    public DicomTagList? AttributeIdentifierList;
}
