namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The Transfer Syntax sub-item (PS3.8 §9.3.2.2.2, Table 9-15, in a proposed context; §9.3.3.2.1, Table 9-19, in a
/// result). Big-endian length.
/// <code>
/// offset  size  field
///   0      1    item-type 0x40
///   1      1    reserved
///   2      2    item-length (u16 BE)
///   4      n    transfer syntax name: a UID, not padded
/// </code>
/// In a result whose reason is not acceptance the name is not significant and may be empty (reference §7 #12).
/// </summary>
public static class TransferSyntaxSubItem
{
    /// <summary>Offset of the UID within the sub-item.</summary>
    public const int NameOffset = ItemReader.HeaderLength;
}
