using System;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// A Presentation Context item of an A-ASSOCIATE-AC (PS3.8 §9.3.3.2, Table 9-18). Big-endian length.
/// <code>
/// offset  size  field
///   0      1    item-type 0x21
///   1      1    reserved
///   2      2    item-length (u16 BE)
///   4      1    presentation-context-ID (as proposed)
///   5      1    reserved
///   6      1    result/reason (<see cref="PresentationContextResultReason"/>)
///   7      1    reserved
///   8      …    one Transfer Syntax sub-item (0x40)
/// </code>
/// When the result is not acceptance the transfer syntax is not significant: an empty or absent sub-item is
/// tolerated (reference §7 #12), and an empty one is written.
/// </summary>
public sealed class PresentationContextResult
{
    /// <summary>Offset of the presentation-context-ID.</summary>
    public const int IdOffset = 4;

    /// <summary>Offset of the result/reason byte.</summary>
    public const int ResultOffset = 6;

    /// <summary>Offset of the transfer syntax sub-item.</summary>
    public const int SubItemsOffset = 8;

    /// <summary>Creates an empty result (accepted, no transfer syntax).</summary>
    public PresentationContextResult()
    {
    }

    /// <summary>Creates a result.</summary>
    public PresentationContextResult(byte id, PresentationContextResultReason result, DicomUid transferSyntax)
    {
        Id = id;
        Result = result;
        TransferSyntax = transferSyntax;
    }

    /// <summary>The presentation context ID, as proposed.</summary>
    public byte Id { get; set; }

    /// <summary>Accepted, or why not.</summary>
    public PresentationContextResultReason Result { get; set; }

    /// <summary>The transfer syntax chosen; empty (and not significant) when the context is rejected.</summary>
    public DicomUid TransferSyntax { get; set; }

    private int ValueLength => SubItemsOffset - ItemReader.HeaderLength + UidCodec.GetItemLength(TransferSyntax);

    internal int GetEncodedLength() => ItemLength.Checked("presentation context item", ValueLength);

    internal void Write(ref PduSpanWriter writer)
    {
        writer.WriteItemHeader(ItemType.PresentationContextAccept, ValueLength);
        writer.WriteByte(Id);
        writer.WriteByte(0);
        writer.WriteByte((byte)Result);
        writer.WriteByte(0);
        writer.WriteUidItem(ItemType.TransferSyntax, TransferSyntax);
    }

    internal static PresentationContextResult? TryRead(ReadOnlySpan<byte> value, int valueOffset, PduLimits limits, out PduError error)
    {
        const int FixedLength = SubItemsOffset - ItemReader.HeaderLength;
        const byte Type = (byte)ItemType.PresentationContextAccept;
        if (value.Length < FixedLength)
        {
            error = new PduError(PduRejectReason.InvalidItemLength, valueOffset - ItemReader.HeaderLength, value.Length, Type);
            return null;
        }

        var context = new PresentationContextResult
        {
            Id = value[IdOffset - ItemReader.HeaderLength],
            Result = (PresentationContextResultReason)value[ResultOffset - ItemReader.HeaderLength],
        };
        bool hasTransferSyntax = false;
        var items = new ItemReader(value[FixedLength..], valueOffset + FixedLength, limits.MaxSubItems, Type);
        while (items.TryRead(out byte type, out _, out ReadOnlySpan<byte> subItem))
        {
            if (type != (byte)ItemType.TransferSyntax)
            {
                // Unknown sub-items are skipped.
                continue;
            }

            if (hasTransferSyntax)
            {
                error = new PduError(PduRejectReason.DuplicateItem, items.ValueOffset - ItemReader.HeaderLength, 0, type);
                return null;
            }

            if (!UidCodec.TryDecode(subItem, items.ValueOffset, type, out DicomUid transferSyntax, out error))
            {
                return null;
            }

            context.TransferSyntax = transferSyntax;
            hasTransferSyntax = true;
        }

        if (!items.Error.IsNone)
        {
            error = items.Error;
            return null;
        }

        if (!hasTransferSyntax && context.Result == PresentationContextResultReason.Acceptance)
        {
            error = new PduError(PduRejectReason.MissingTransferSyntax, valueOffset - ItemReader.HeaderLength, 0, Type);
            return null;
        }

        error = default;
        return context;
    }
}
