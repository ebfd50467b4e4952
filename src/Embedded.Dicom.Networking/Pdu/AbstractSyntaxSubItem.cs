namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The Abstract Syntax sub-item of a proposed presentation context (PS3.8 §9.3.2.2.1, Table 9-14). Big-endian length.
/// <code>
/// offset  size  field
///   0      1    item-type 0x30
///   1      1    reserved
///   2      2    item-length (u16 BE)
///   4      n    abstract syntax name: a SOP class (or meta SOP class) UID, not padded
/// </code>
/// Decoded into <see cref="PresentationContextRequest.AbstractSyntax"/>.
/// </summary>
public static class AbstractSyntaxSubItem
{
    /// <summary>Offset of the UID within the sub-item.</summary>
    public const int NameOffset = ItemReader.HeaderLength;
}
