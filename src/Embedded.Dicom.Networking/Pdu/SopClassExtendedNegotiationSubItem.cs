using System;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The SOP Class Extended Negotiation sub-item (PS3.7 Annex D.3.3.5, Tables D.3-11 and D.3-12), one per SOP class.
/// Big-endian.
/// <code>
/// offset  size  field
///   0      1    item-type 0x56
///   1      1    reserved
///   2      2    item-length (u16 BE)
///   4      2    SOP-class-UID-length (u16 BE)
///   6      n    SOP class UID, not padded
///   6+n    m    service-class-application-information: the rest of the item, defined by each service class
/// </code>
/// An acceptor omits it when the request had none for that SOP class.
/// </summary>
public sealed class SopClassExtendedNegotiationSubItem
{
    /// <summary>Offset of the u16 SOP-class-UID-length.</summary>
    public const int UidLengthOffset = 4;

    /// <summary>Offset of the SOP class UID.</summary>
    public const int UidOffset = 6;

    /// <summary>Creates an empty item.</summary>
    public SopClassExtendedNegotiationSubItem()
    {
    }

    /// <summary>Creates an item.</summary>
    public SopClassExtendedNegotiationSubItem(DicomUid sopClassUid, byte[] serviceClassApplicationInformation)
    {
        ArgumentNullException.ThrowIfNull(serviceClassApplicationInformation);
        SopClassUid = sopClassUid;
        ServiceClassApplicationInformation = serviceClassApplicationInformation;
    }

    /// <summary>The SOP class negotiated.</summary>
    public DicomUid SopClassUid { get; set; }

    /// <summary>The service-class-specific bytes (PS3.4 defines them per service class), kept as received.</summary>
    public byte[] ServiceClassApplicationInformation
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    } = [];

    internal int GetEncodedLength() =>
        ItemLength.Checked("SOP class extended negotiation sub-item", UidCodec.GetPrefixedLength(SopClassUid) + ServiceClassApplicationInformation.Length);

    internal void Write(ref PduSpanWriter writer)
    {
        writer.WriteItemHeader(ItemType.SopClassExtendedNegotiation, UidCodec.GetPrefixedLength(SopClassUid) + ServiceClassApplicationInformation.Length);
        writer.WritePrefixed(SopClassUid.Span);
        writer.WriteBytes(ServiceClassApplicationInformation);
    }

    internal static SopClassExtendedNegotiationSubItem? TryRead(ReadOnlySpan<byte> value, int valueOffset, out PduError error)
    {
        var fields = new FieldReader(value, valueOffset, (byte)ItemType.SopClassExtendedNegotiation);
        if (!fields.TryReadPrefixedUid(out DicomUid uid))
        {
            error = fields.Error;
            return null;
        }

        error = default;
        return new SopClassExtendedNegotiationSubItem(uid, fields.Rest.ToArray());
    }
}
