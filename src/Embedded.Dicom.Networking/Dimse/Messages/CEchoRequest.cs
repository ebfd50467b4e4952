namespace Embedded.Dicom.Networking.Dimse;

/// <summary>C-ECHO-RQ (PS3.7 §9.3.5.1, Table 9.3-12). Codec generated from this definition.</summary>
[DimseMessage(CommandField.CEchoRequest)]
public partial struct CEchoRequest
{
    /// <summary>MessageID (mandatory).</summary>
    [CommandElement(CommandTag.MessageID, ValueRepresentation.US, Usage.M)]
    public ushort MessageID;

    /// <summary>AffectedSOPClassUID (mandatory).</summary>
    [CommandElement(CommandTag.AffectedSOPClassUID, ValueRepresentation.UI, Usage.M)]
    public DicomUid AffectedSOPClassUID;
}
