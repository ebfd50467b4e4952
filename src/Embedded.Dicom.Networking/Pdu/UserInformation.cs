using System;
using System.Collections.Generic;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The User Information item (PS3.8 §9.3.2.3, Table 9-16; §9.3.3.3, Table 9-20) and its sub-items (PS3.8 Annex D,
/// PS3.7 Annex D.3.3). Big-endian length.
/// <code>
/// offset  size  field
///   0      1    item-type 0x50
///   1      1    reserved
///   2      2    item-length (u16 BE)
///   4      …    sub-items, each type u8 | reserved-or-version u8 | length u16 BE | value:
///                 0x51 Maximum Length               (mandatory, once)     <see cref="MaximumLengthSubItem"/>
///                 0x52 Implementation Class UID     (once)                <see cref="ImplementationClassUidSubItem"/>
///                 0x53 Asynchronous Operations Window (optional, once)    <see cref="AsynchronousOperationsWindowSubItem"/>
///                 0x54 SCP/SCU Role Selection       (one per SOP class)   <see cref="ScpScuRoleSelectionSubItem"/>
///                 0x55 Implementation Version Name  (optional, once)      <see cref="ImplementationVersionNameSubItem"/>
///                 0x56 SOP Class Extended Negotiation (one per SOP class) <see cref="SopClassExtendedNegotiationSubItem"/>
///                 0x57 SOP Class Common Extended Negotiation (RQ)         <see cref="SopClassCommonExtendedNegotiationSubItem"/>
///                 0x58 User Identity RQ             (optional, once)      <see cref="UserIdentityRequestSubItem"/>
///                 0x59 User Identity AC             (optional, once)      <see cref="UserIdentityAcceptSubItem"/>
/// </code>
/// Unknown sub-items are skipped, never rejected (PS3.8 Annex D.2). A single-valued sub-item that appears twice is
/// <see cref="PduRejectReason.DuplicateItem"/>. The sub-items are written in type order, as listed above.
/// </summary>
public sealed class UserInformation
{
    /// <summary>
    /// The <see cref="MaximumLength"/> of a new instance: 16 384, DCMTK's default. The association layer sets the value
    /// it really advertises.
    /// </summary>
    public const uint DefaultMaximumLength = 16_384;

    /// <summary>Offset of the first sub-item.</summary>
    public const int SubItemsOffset = ItemReader.HeaderLength;

    /// <summary>
    /// The Maximum Length sub-item (0x51): the largest P-DATA-TF PDU-length the sender of this item accepts;
    /// 0 = no limit. Always written.
    /// </summary>
    public uint MaximumLength { get; set; } = DefaultMaximumLength;

    /// <summary>The Implementation Class UID sub-item (0x52); empty = absent (then not written).</summary>
    public DicomUid ImplementationClassUid { get; set; }

    /// <summary>The Implementation Version Name sub-item (0x55); null or empty = absent.</summary>
    public string? ImplementationVersionName { get; set; }

    /// <summary>The Asynchronous Operations Window sub-item (0x53); null = absent.</summary>
    public AsynchronousOperationsWindowSubItem? AsynchronousOperationsWindow { get; set; }

    /// <summary>The SCP/SCU Role Selection sub-items (0x54).</summary>
    public List<ScpScuRoleSelectionSubItem> RoleSelections { get; } = [];

    /// <summary>The SOP Class Extended Negotiation sub-items (0x56).</summary>
    public List<SopClassExtendedNegotiationSubItem> ExtendedNegotiations { get; } = [];

    /// <summary>The SOP Class Common Extended Negotiation sub-items (0x57; A-ASSOCIATE-RQ only).</summary>
    public List<SopClassCommonExtendedNegotiationSubItem> CommonExtendedNegotiations { get; } = [];

    /// <summary>The User Identity RQ sub-item (0x58); null = absent.</summary>
    public UserIdentityRequestSubItem? UserIdentityRequest { get; set; }

    /// <summary>The User Identity AC sub-item (0x59); null = absent.</summary>
    public UserIdentityAcceptSubItem? UserIdentityAccept { get; set; }

    private int GetValueLength(out int versionNameLength)
    {
        versionNameLength = string.IsNullOrEmpty(ImplementationVersionName) ? 0 : ImplementationVersionNameSubItem.GetValueLength(ImplementationVersionName);
        long length = MaximumLengthSubItem.EncodedLength;
        if (!ImplementationClassUid.IsEmpty)
        {
            length += UidCodec.GetItemLength(ImplementationClassUid);
        }

        if (AsynchronousOperationsWindow.HasValue)
        {
            length += AsynchronousOperationsWindowSubItem.EncodedLength;
        }

        foreach (ScpScuRoleSelectionSubItem item in RoleSelections)
        {
            length += NotNull(item, nameof(RoleSelections)).GetEncodedLength();
        }

        if (versionNameLength > 0)
        {
            length += ItemLength.Checked("implementation version name sub-item", versionNameLength);
        }

        foreach (SopClassExtendedNegotiationSubItem item in ExtendedNegotiations)
        {
            length += NotNull(item, nameof(ExtendedNegotiations)).GetEncodedLength();
        }

        foreach (SopClassCommonExtendedNegotiationSubItem item in CommonExtendedNegotiations)
        {
            length += NotNull(item, nameof(CommonExtendedNegotiations)).GetEncodedLength();
        }

        length += UserIdentityRequest?.GetEncodedLength() ?? 0;
        length += UserIdentityAccept?.GetEncodedLength() ?? 0;
        return (int)Math.Min(length, int.MaxValue);
    }

    internal int GetEncodedLength() => ItemLength.Checked("user information item", GetValueLength(out _));

    internal void Write(ref PduSpanWriter writer)
    {
        writer.WriteItemHeader(ItemType.UserInformation, GetValueLength(out int versionNameLength));
        MaximumLengthSubItem.Write(ref writer, MaximumLength);
        if (!ImplementationClassUid.IsEmpty)
        {
            writer.WriteUidItem(ItemType.ImplementationClassUid, ImplementationClassUid);
        }

        AsynchronousOperationsWindow?.Write(ref writer);
        foreach (ScpScuRoleSelectionSubItem item in RoleSelections)
        {
            item.Write(ref writer);
        }

        if (versionNameLength > 0)
        {
            ImplementationVersionNameSubItem.Write(ref writer, ImplementationVersionName!, versionNameLength);
        }

        foreach (SopClassExtendedNegotiationSubItem item in ExtendedNegotiations)
        {
            item.Write(ref writer);
        }

        foreach (SopClassCommonExtendedNegotiationSubItem item in CommonExtendedNegotiations)
        {
            item.Write(ref writer);
        }

        UserIdentityRequest?.Write(ref writer);
        UserIdentityAccept?.Write(ref writer);
    }

    internal static UserInformation? TryRead(ReadOnlySpan<byte> value, int valueOffset, PduLimits limits, out PduError error)
    {
        var info = new UserInformation();
        bool hasMaximumLength = false;
        bool hasImplementationClassUid = false;
        bool hasVersionName = false;
        var items = new ItemReader(value, valueOffset, limits.MaxSubItems, (byte)ItemType.UserInformation);
        while (items.TryRead(out byte type, out byte headerByte, out ReadOnlySpan<byte> subItem))
        {
            int subItemOffset = items.ValueOffset;
            bool duplicate = false;
            bool ok = true;
            error = default;
            switch ((ItemType)type)
            {
                case ItemType.MaximumLength:
                    duplicate = hasMaximumLength;
                    hasMaximumLength = true;
                    if (!duplicate && (ok = MaximumLengthSubItem.TryRead(subItem, subItemOffset, out uint maximumLength, out error)))
                    {
                        info.MaximumLength = maximumLength;
                    }

                    break;
                case ItemType.ImplementationClassUid:
                    duplicate = hasImplementationClassUid;
                    hasImplementationClassUid = true;
                    if (!duplicate && (ok = UidCodec.TryDecode(subItem, subItemOffset, type, out DicomUid classUid, out error)))
                    {
                        info.ImplementationClassUid = classUid;
                    }

                    break;
                case ItemType.AsynchronousOperationsWindow:
                    duplicate = info.AsynchronousOperationsWindow.HasValue;
                    if (!duplicate && (ok = AsynchronousOperationsWindowSubItem.TryRead(subItem, subItemOffset, out AsynchronousOperationsWindowSubItem window, out error)))
                    {
                        info.AsynchronousOperationsWindow = window;
                    }

                    break;
                case ItemType.ScpScuRoleSelection:
                    ok = Add(info.RoleSelections, ScpScuRoleSelectionSubItem.TryRead(subItem, subItemOffset, out error));
                    break;
                case ItemType.ImplementationVersionName:
                    duplicate = hasVersionName;
                    hasVersionName = true;
                    info.ImplementationVersionName ??= ImplementationVersionNameSubItem.Decode(subItem);
                    break;
                case ItemType.SopClassExtendedNegotiation:
                    ok = Add(info.ExtendedNegotiations, SopClassExtendedNegotiationSubItem.TryRead(subItem, subItemOffset, out error));
                    break;
                case ItemType.SopClassCommonExtendedNegotiation:
                    ok = Add(info.CommonExtendedNegotiations, SopClassCommonExtendedNegotiationSubItem.TryRead(subItem, subItemOffset, headerByte, limits, out error));
                    break;
                case ItemType.UserIdentityRequest:
                    duplicate = info.UserIdentityRequest is not null;
                    if (!duplicate)
                    {
                        info.UserIdentityRequest = UserIdentityRequestSubItem.TryRead(subItem, subItemOffset, limits, out error);
                        ok = info.UserIdentityRequest is not null;
                    }

                    break;
                case ItemType.UserIdentityAccept:
                    duplicate = info.UserIdentityAccept is not null;
                    if (!duplicate)
                    {
                        info.UserIdentityAccept = UserIdentityAcceptSubItem.TryRead(subItem, subItemOffset, limits, out error);
                        ok = info.UserIdentityAccept is not null;
                    }

                    break;
                default:
                    // Unrecognized sub-items are ignored, never a reason to reject (PS3.8 Annex D.2, reference §7 #13).
                    break;
            }

            if (duplicate)
            {
                error = new PduError(PduRejectReason.DuplicateItem, subItemOffset - ItemReader.HeaderLength, 0, type);
                return null;
            }

            if (!ok)
            {
                return null;
            }
        }

        if (!items.Error.IsNone)
        {
            error = items.Error;
            return null;
        }

        if (!hasMaximumLength)
        {
            error = new PduError(PduRejectReason.MissingMaximumLength, valueOffset - ItemReader.HeaderLength, 0, (byte)ItemType.UserInformation);
            return null;
        }

        error = default;
        return info;
    }

    private static bool Add<T>(List<T> list, T? item)
        where T : class
    {
        if (item is null)
        {
            return false;
        }

        list.Add(item);
        return true;
    }

    private static T NotNull<T>(T? item, string collection)
        where T : class
    {
        if (item is null)
        {
            PduThrowHelper.ThrowNullElement(collection);
        }

        return item;
    }
}
