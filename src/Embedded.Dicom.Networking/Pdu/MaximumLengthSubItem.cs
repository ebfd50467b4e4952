using System;
using System.Buffers.Binary;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The Maximum Length sub-item of the user information item (PS3.8 Annex D.1, Table D.1-1; AC Table D.1-2).
/// Big-endian.
/// <code>
/// offset  size  field
///   0      1    item-type 0x51
///   1      1    reserved
///   2      2    item-length = 4 (u16 BE)
///   4      4    maximum-length-received (u32 BE): the largest PDU-length of a P-DATA-TF the sender of this item
///               accepts; 0 = no limit
/// </code>
/// Mandatory in both A-ASSOCIATE-RQ and -AC; decoded into <see cref="UserInformation.MaximumLength"/>.
/// </summary>
public static class MaximumLengthSubItem
{
    /// <summary>The fixed item-length.</summary>
    public const int ValueLength = 4;

    /// <summary>The whole sub-item size.</summary>
    public const int EncodedLength = ItemReader.HeaderLength + ValueLength;

    /// <summary>Offset of the u32 maximum-length-received.</summary>
    public const int MaximumLengthOffset = ItemReader.HeaderLength;

    /// <summary>The value meaning "no limit".</summary>
    public const uint Unlimited = 0;

    internal static bool TryRead(ReadOnlySpan<byte> value, int valueOffset, out uint maximumLength, out PduError error)
    {
        if (value.Length != ValueLength)
        {
            maximumLength = 0;
            error = new PduError(PduRejectReason.InvalidItemLength, valueOffset - ItemReader.HeaderLength, value.Length, (byte)ItemType.MaximumLength);
            return false;
        }

        maximumLength = BinaryPrimitives.ReadUInt32BigEndian(value);
        error = default;
        return true;
    }

    internal static void Write(ref PduSpanWriter writer, uint maximumLength)
    {
        writer.WriteItemHeader(ItemType.MaximumLength, ValueLength);
        writer.WriteUInt32(maximumLength);
    }
}
