using System;
using System.Text;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The Implementation Version Name sub-item (PS3.7 Annex D.3.3.2, Tables D.3-3 and D.3-4). Big-endian length.
/// <code>
/// offset  size  field
///   0      1    item-type 0x55
///   1      1    reserved
///   2      2    item-length (u16 BE): 1–16 by PS3.7; longer names are tolerated on receipt
///   4      n    implementation version name (default repertoire, not padded)
/// </code>
/// Optional; decoded into <see cref="UserInformation.ImplementationVersionName"/>. Bytes map one-to-one to
/// characters (Latin-1) so that a received name re-encodes to the same bytes.
/// </summary>
public static class ImplementationVersionNameSubItem
{
    /// <summary>Offset of the name within the sub-item.</summary>
    public const int NameOffset = ItemReader.HeaderLength;

    /// <summary>The longest name PS3.7 allows.</summary>
    public const int MaxLength = 16;

    internal static string Decode(ReadOnlySpan<byte> value) => Encoding.Latin1.GetString(value);

    internal static int GetValueLength(string name) => Encoding.Latin1.GetByteCount(name);

    internal static void Write(ref PduSpanWriter writer, string name, int valueLength)
    {
        writer.WriteItemHeader(ItemType.ImplementationVersionName, valueLength);
        Span<byte> bytes = valueLength <= 256 ? stackalloc byte[valueLength] : new byte[valueLength];
        Encoding.Latin1.GetBytes(name, bytes);
        writer.WriteBytes(bytes);
    }
}
