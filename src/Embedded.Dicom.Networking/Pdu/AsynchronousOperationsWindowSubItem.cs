using System;
using System.Buffers.Binary;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The Asynchronous Operations Window sub-item (PS3.7 Annex D.3.3.3, Tables D.3-7 and D.3-8). Big-endian.
/// <code>
/// offset  size  field
///   0      1    item-type 0x53
///   1      1    reserved
///   2      2    item-length = 4 (u16 BE)
///   4      2    maximum-number-operations-invoked (u16 BE), 0 = unlimited
///   6      2    maximum-number-operations-performed (u16 BE), 0 = unlimited
/// </code>
/// Optional; its absence means 1 and 1 (synchronous operations). An acceptor omits it when the request had none.
/// </summary>
/// <param name="MaximumNumberOperationsInvoked">Outstanding operations the sender may invoke; 0 = unlimited.</param>
/// <param name="MaximumNumberOperationsPerformed">Outstanding operations the sender may perform; 0 = unlimited.</param>
public readonly record struct AsynchronousOperationsWindowSubItem(ushort MaximumNumberOperationsInvoked, ushort MaximumNumberOperationsPerformed)
{
    /// <summary>The fixed item-length.</summary>
    public const int ValueLength = 4;

    /// <summary>The whole sub-item size.</summary>
    public const int EncodedLength = ItemReader.HeaderLength + ValueLength;

    /// <summary>Offset of maximum-number-operations-invoked.</summary>
    public const int InvokedOffset = 4;

    /// <summary>Offset of maximum-number-operations-performed.</summary>
    public const int PerformedOffset = 6;

    internal static bool TryRead(ReadOnlySpan<byte> value, int valueOffset, out AsynchronousOperationsWindowSubItem item, out PduError error)
    {
        if (value.Length != ValueLength)
        {
            item = default;
            error = new PduError(PduRejectReason.InvalidItemLength, valueOffset - ItemReader.HeaderLength, value.Length, (byte)ItemType.AsynchronousOperationsWindow);
            return false;
        }

        item = new AsynchronousOperationsWindowSubItem(
            BinaryPrimitives.ReadUInt16BigEndian(value),
            BinaryPrimitives.ReadUInt16BigEndian(value[(PerformedOffset - InvokedOffset)..]));
        error = default;
        return true;
    }

    internal void Write(ref PduSpanWriter writer)
    {
        writer.WriteItemHeader(ItemType.AsynchronousOperationsWindow, ValueLength);
        writer.WriteUInt16(MaximumNumberOperationsInvoked);
        writer.WriteUInt16(MaximumNumberOperationsPerformed);
    }
}
