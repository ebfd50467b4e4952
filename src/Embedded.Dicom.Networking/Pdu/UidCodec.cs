using System;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// UIDs in negotiation items (PS3.8 Annex F): sent unpadded, even when odd-length. On receipt a trailing NUL and
/// surrounding spaces are tolerated and removed (reference §7 #8, #21), so comparisons are plain byte compares.
/// </summary>
internal static class UidCodec
{
    public static bool TryDecode(ReadOnlySpan<byte> value, int offset, byte itemType, out DicomUid uid, out PduError error)
    {
        while (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        // DicomUid.TryCreate removes the trailing NUL and spaces; it fails only on length.
        if (!DicomUid.TryCreate(value, out uid))
        {
            error = new PduError(PduRejectReason.UidTooLong, offset, value.Length, itemType);
            return false;
        }

        error = default;
        return true;
    }

    /// <summary>Size of a UID sub-item (header + value).</summary>
    public static int GetItemLength(in DicomUid uid) => ItemReader.HeaderLength + uid.Length;

    /// <summary>Size of a u16-prefixed UID field.</summary>
    public static int GetPrefixedLength(in DicomUid uid) => 2 + uid.Length;
}
