using System;
using System.Collections.Generic;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The SOP Class Common Extended Negotiation sub-item (PS3.7 Annex D.3.3.6, Table D.3-12a), A-ASSOCIATE-RQ only;
/// there is no AC counterpart. Big-endian.
/// <code>
/// offset  size  field
///   0      1    item-type 0x57
///   1      1    sub-item-version (0), not a reserved byte
///   2      2    item-length (u16 BE)
///   4      2    SOP-class-UID-length (u16 BE)
///   6      n    SOP class UID
///   6+n    2    service-class-UID-length (u16 BE)
///   8+n    m    service class UID
///   8+n+m  2    related-general-SOP-class-identification-length (u16 BE): bytes of the list that follows
///  10+n+m  …    list of (u16 BE length, related general SOP class UID)
/// </code>
/// The version byte follows pynetdicom (reference §4.7; one source). UIDs are not padded.
/// </summary>
public sealed class SopClassCommonExtendedNegotiationSubItem
{
    /// <summary>Offset of the sub-item-version byte (the item header's second byte).</summary>
    public const int VersionOffset = 1;

    /// <summary>Offset of the u16 SOP-class-UID-length.</summary>
    public const int UidLengthOffset = 4;

    /// <summary>Offset of the SOP class UID.</summary>
    public const int UidOffset = 6;

    /// <summary>The version written by default.</summary>
    public const byte DefaultVersion = 0;

    /// <summary>Creates an empty item.</summary>
    public SopClassCommonExtendedNegotiationSubItem()
    {
    }

    /// <summary>Creates an item.</summary>
    public SopClassCommonExtendedNegotiationSubItem(DicomUid sopClassUid, DicomUid serviceClassUid, IEnumerable<DicomUid> relatedGeneralSopClassUids)
    {
        ArgumentNullException.ThrowIfNull(relatedGeneralSopClassUids);
        SopClassUid = sopClassUid;
        ServiceClassUid = serviceClassUid;
        RelatedGeneralSopClassUids.AddRange(relatedGeneralSopClassUids);
    }

    /// <summary>The sub-item version (byte 1 of the header), kept as received.</summary>
    public byte Version { get; set; } = DefaultVersion;

    /// <summary>The SOP class proposed.</summary>
    public DicomUid SopClassUid { get; set; }

    /// <summary>The service class the SOP class belongs to.</summary>
    public DicomUid ServiceClassUid { get; set; }

    /// <summary>The related general SOP classes, possibly none.</summary>
    public List<DicomUid> RelatedGeneralSopClassUids { get; } = [];

    private int GetRelatedLength()
    {
        int length = 0;
        foreach (DicomUid uid in RelatedGeneralSopClassUids)
        {
            length += UidCodec.GetPrefixedLength(uid);
        }

        return length;
    }

    private int GetValueLength(int relatedLength) =>
        UidCodec.GetPrefixedLength(SopClassUid) + UidCodec.GetPrefixedLength(ServiceClassUid) + 2 + relatedLength;

    internal int GetEncodedLength()
    {
        int relatedLength = GetRelatedLength();
        ItemLength.Checked("related general SOP class identification list", relatedLength);
        return ItemLength.Checked("SOP class common extended negotiation sub-item", GetValueLength(relatedLength));
    }

    internal void Write(ref PduSpanWriter writer)
    {
        int relatedLength = GetRelatedLength();
        writer.WriteItemHeader(ItemType.SopClassCommonExtendedNegotiation, GetValueLength(relatedLength), Version);
        writer.WritePrefixed(SopClassUid.Span);
        writer.WritePrefixed(ServiceClassUid.Span);
        writer.WriteUInt16((ushort)relatedLength);
        foreach (DicomUid uid in RelatedGeneralSopClassUids)
        {
            writer.WritePrefixed(uid.Span);
        }
    }

    internal static SopClassCommonExtendedNegotiationSubItem? TryRead(ReadOnlySpan<byte> value, int valueOffset, byte version, PduLimits limits, out PduError error)
    {
        const byte Type = (byte)ItemType.SopClassCommonExtendedNegotiation;
        var fields = new FieldReader(value, valueOffset, Type);
        if (!fields.TryReadPrefixedUid(out DicomUid sopClass)
            || !fields.TryReadPrefixedUid(out DicomUid serviceClass))
        {
            error = fields.Error;
            return null;
        }

        int listOffset = fields.Offset + 2;
        if (!fields.TryReadPrefixed(out ReadOnlySpan<byte> list))
        {
            error = fields.Error;
            return null;
        }

        var item = new SopClassCommonExtendedNegotiationSubItem
        {
            Version = version,
            SopClassUid = sopClass,
            ServiceClassUid = serviceClass,
        };

        // The list is a run of (u16 length, UID) entries that must exactly fill its declared length.
        var entries = new FieldReader(list, listOffset, Type);
        while (!entries.Rest.IsEmpty)
        {
            if (item.RelatedGeneralSopClassUids.Count >= limits.MaxSubItems)
            {
                error = new PduError(PduRejectReason.TooManySubItems, entries.Offset, limits.MaxSubItems, Type);
                return null;
            }

            if (entries.Rest.Length < 2)
            {
                error = new PduError(PduRejectReason.FieldLengthPastEnd, entries.Offset, entries.Rest.Length, Type);
                return null;
            }

            if (!entries.TryReadPrefixedUid(out DicomUid related))
            {
                error = entries.Error;
                return null;
            }

            item.RelatedGeneralSopClassUids.Add(related);
        }

        error = default;
        return item;
    }
}
