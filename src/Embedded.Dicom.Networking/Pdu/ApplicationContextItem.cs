namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The Application Context item (PS3.8 §9.3.2.1, Table 9-12; §9.3.3.1 for the AC). Big-endian length.
/// <code>
/// offset  size  field
///   0      1    item-type 0x10
///   1      1    reserved
///   2      2    item-length (u16 BE)
///   4      n    application context name: a UID, not padded
/// </code>
/// PS3.7 Annex A.2.1 defines one name, <see cref="DicomApplicationContextName"/>. An A-ASSOCIATE-RQ/AC holds exactly
/// one such item; any other name is for the acceptor to reject (A-ASSOCIATE-RJ 1/1/2), not for the decoder.
/// </summary>
public static class ApplicationContextItem
{
    /// <summary>Offset of the name within the item.</summary>
    public const int NameOffset = ItemReader.HeaderLength;

    /// <summary>The DICOM Application Context Name, 1.2.840.10008.3.1.1.1.</summary>
    public static DicomUid DicomApplicationContextName { get; } = DicomUid.Parse("1.2.840.10008.3.1.1.1");

    internal static int GetEncodedLength(in DicomUid name) => UidCodec.GetItemLength(name);

    internal static void Write(ref PduSpanWriter writer, in DicomUid name) => writer.WriteUidItem(ItemType.ApplicationContext, name);
}
