namespace Embedded.Dicom.Networking.Dimse;

/// <summary>C-CANCEL-RQ (PS3.7 §9.3.2.3, Table 9.3-5 (also §9.3.3.3, §9.3.4.3)). Codec generated from this definition.</summary>
[DimseMessage(CommandField.CCancelRequest)]
public partial struct CCancelRequest
{
    /// <summary>MessageIDBeingRespondedTo (mandatory).</summary>
    [CommandElement(CommandTag.MessageIDBeingRespondedTo, ValueRepresentation.US, Usage.M)]
    public ushort MessageIDBeingRespondedTo;
}
