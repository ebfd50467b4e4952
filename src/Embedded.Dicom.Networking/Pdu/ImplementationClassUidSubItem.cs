namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The Implementation Class UID sub-item (PS3.7 Annex D.3.3.2, Tables D.3-1 and D.3-2). Big-endian length.
/// <code>
/// offset  size  field
///   0      1    item-type 0x52
///   1      1    reserved
///   2      2    item-length (u16 BE)
///   4      n    implementation class UID, not padded
/// </code>
/// Required in A-ASSOCIATE-RQ and -AC by PS3.7, yet decoding tolerates its absence (the UID then reads empty);
/// decoded into <see cref="UserInformation.ImplementationClassUid"/>.
/// </summary>
public static class ImplementationClassUidSubItem
{
    /// <summary>Offset of the UID within the sub-item.</summary>
    public const int UidOffset = ItemReader.HeaderLength;
}
