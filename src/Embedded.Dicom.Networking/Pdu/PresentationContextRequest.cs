using System;
using System.Collections.Generic;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// A Presentation Context item of an A-ASSOCIATE-RQ (PS3.8 §9.3.2.2, Table 9-13). Big-endian length.
/// <code>
/// offset  size  field
///   0      1    item-type 0x20
///   1      1    reserved
///   2      2    item-length (u16 BE)
///   4      1    presentation-context-ID (odd, 1–255)
///   5      3    reserved
///   8      …    one Abstract Syntax sub-item (0x30), then one or more Transfer Syntax sub-items (0x40)
/// </code>
/// Unknown sub-items are skipped. The ID and the syntaxes are not judged here; that is negotiation's work
/// (reference §4.9).
/// </summary>
public sealed class PresentationContextRequest
{
    /// <summary>Offset of the presentation-context-ID.</summary>
    public const int IdOffset = 4;

    /// <summary>Offset of the first sub-item.</summary>
    public const int SubItemsOffset = 8;

    /// <summary>Creates an empty context.</summary>
    public PresentationContextRequest()
    {
    }

    /// <summary>Creates a context.</summary>
    public PresentationContextRequest(byte id, DicomUid abstractSyntax, params IEnumerable<DicomUid> transferSyntaxes)
    {
        ArgumentNullException.ThrowIfNull(transferSyntaxes);
        Id = id;
        AbstractSyntax = abstractSyntax;
        TransferSyntaxes.AddRange(transferSyntaxes);
    }

    /// <summary>The presentation context ID.</summary>
    public byte Id { get; set; }

    /// <summary>The abstract syntax (SOP class) proposed.</summary>
    public DicomUid AbstractSyntax { get; set; }

    /// <summary>The transfer syntaxes proposed, in the requestor's order of preference.</summary>
    public List<DicomUid> TransferSyntaxes { get; } = [];

    private int GetValueLength()
    {
        int length = SubItemsOffset - ItemReader.HeaderLength + UidCodec.GetItemLength(AbstractSyntax);
        foreach (DicomUid transferSyntax in TransferSyntaxes)
        {
            length += UidCodec.GetItemLength(transferSyntax);
        }

        return length;
    }

    internal int GetEncodedLength() => ItemLength.Checked("presentation context item", GetValueLength());

    internal void Write(ref PduSpanWriter writer)
    {
        writer.WriteItemHeader(ItemType.PresentationContextRequest, GetValueLength());
        writer.WriteByte(Id);
        writer.WriteZeros(3);
        writer.WriteUidItem(ItemType.AbstractSyntax, AbstractSyntax);
        foreach (DicomUid transferSyntax in TransferSyntaxes)
        {
            writer.WriteUidItem(ItemType.TransferSyntax, transferSyntax);
        }
    }

    internal static PresentationContextRequest? TryRead(ReadOnlySpan<byte> value, int valueOffset, PduLimits limits, out PduError error)
    {
        const int FixedLength = SubItemsOffset - ItemReader.HeaderLength;
        if (value.Length < FixedLength)
        {
            error = new PduError(PduRejectReason.InvalidItemLength, valueOffset - ItemReader.HeaderLength, value.Length, (byte)ItemType.PresentationContextRequest);
            return null;
        }

        var context = new PresentationContextRequest { Id = value[0] };
        bool hasAbstractSyntax = false;
        var items = new ItemReader(value[FixedLength..], valueOffset + FixedLength, limits.MaxSubItems, (byte)ItemType.PresentationContextRequest);
        while (items.TryRead(out byte type, out _, out ReadOnlySpan<byte> subItem))
        {
            switch ((ItemType)type)
            {
                case ItemType.AbstractSyntax:
                    if (hasAbstractSyntax)
                    {
                        error = new PduError(PduRejectReason.DuplicateItem, items.ValueOffset - ItemReader.HeaderLength, 0, type);
                        return null;
                    }

                    if (!UidCodec.TryDecode(subItem, items.ValueOffset, type, out DicomUid abstractSyntax, out error))
                    {
                        return null;
                    }

                    context.AbstractSyntax = abstractSyntax;
                    hasAbstractSyntax = true;
                    break;
                case ItemType.TransferSyntax:
                    if (!UidCodec.TryDecode(subItem, items.ValueOffset, type, out DicomUid transferSyntax, out error))
                    {
                        return null;
                    }

                    context.TransferSyntaxes.Add(transferSyntax);
                    break;
                default:
                    // Unknown sub-items are ignored (PS3.8 §9.3.1: unrecognized items are skipped by their length).
                    break;
            }
        }

        if (!items.Error.IsNone)
        {
            error = items.Error;
            return null;
        }

        if (!hasAbstractSyntax)
        {
            error = new PduError(PduRejectReason.MissingAbstractSyntax, valueOffset - ItemReader.HeaderLength, 0, (byte)ItemType.PresentationContextRequest);
            return null;
        }

        if (context.TransferSyntaxes.Count == 0)
        {
            error = new PduError(PduRejectReason.MissingTransferSyntax, valueOffset - ItemReader.HeaderLength, 0, (byte)ItemType.PresentationContextRequest);
            return null;
        }

        error = default;
        return context;
    }
}
