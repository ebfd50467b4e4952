using System;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The SCP/SCU Role Selection sub-item (PS3.7 Annex D.3.3.4, Tables D.3-9 and D.3-10), one per SOP class.
/// Big-endian.
/// <code>
/// offset  size  field
///   0      1    item-type 0x54
///   1      1    reserved
///   2      2    item-length (u16 BE)
///   4      2    UID-length (u16 BE)
///   6      n    SOP class UID, not padded
///   6+n    1    SCU-role: 0 not supported, 1 supported (RQ: proposed; AC: accepted)
///   7+n    1    SCP-role: likewise
/// </code>
/// The SCU byte comes before the SCP byte (PS3.7 Table D.3-9; one pynetdicom docstring lists them the other way).
/// Any non-zero role byte reads as supported.
/// </summary>
public sealed class ScpScuRoleSelectionSubItem
{
    /// <summary>Offset of the u16 UID-length.</summary>
    public const int UidLengthOffset = 4;

    /// <summary>Offset of the SOP class UID.</summary>
    public const int UidOffset = 6;

    /// <summary>Creates an empty item (both roles unsupported).</summary>
    public ScpScuRoleSelectionSubItem()
    {
    }

    /// <summary>Creates an item.</summary>
    public ScpScuRoleSelectionSubItem(DicomUid sopClassUid, bool scuRole, bool scpRole)
    {
        SopClassUid = sopClassUid;
        ScuRole = scuRole;
        ScpRole = scpRole;
    }

    /// <summary>The SOP class the roles apply to.</summary>
    public DicomUid SopClassUid { get; set; }

    /// <summary>The SCU role: proposed for the requestor (RQ) or accepted (AC).</summary>
    public bool ScuRole { get; set; }

    /// <summary>The SCP role: proposed for the requestor (RQ) or accepted (AC).</summary>
    public bool ScpRole { get; set; }

    internal int GetEncodedLength() => ItemLength.Checked("SCP/SCU role selection sub-item", UidCodec.GetPrefixedLength(SopClassUid) + 2);

    internal void Write(ref PduSpanWriter writer)
    {
        writer.WriteItemHeader(ItemType.ScpScuRoleSelection, UidCodec.GetPrefixedLength(SopClassUid) + 2);
        writer.WritePrefixed(SopClassUid.Span);
        writer.WriteByte(ScuRole ? (byte)1 : (byte)0);
        writer.WriteByte(ScpRole ? (byte)1 : (byte)0);
    }

    internal static ScpScuRoleSelectionSubItem? TryRead(ReadOnlySpan<byte> value, int valueOffset, out PduError error)
    {
        var fields = new FieldReader(value, valueOffset, (byte)ItemType.ScpScuRoleSelection);
        if (!fields.TryReadPrefixedUid(out DicomUid uid) || !fields.TryReadByte(out byte scu) || !fields.TryReadByte(out byte scp))
        {
            error = fields.Error;
            return null;
        }

        error = default;
        return new ScpScuRoleSelectionSubItem(uid, scu != 0, scp != 0);
    }
}
