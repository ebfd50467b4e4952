using System;
using System.Buffers;
using System.Buffers.Binary;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// One presentation-data-value (PDV) item of a P-DATA-TF PDU (PS3.8 §9.3.5.1, Table 9-23; message control header
/// PS3.8 Annex E.2). Big-endian length; unlike other items it has no type byte and a 4-byte length.
/// <code>
/// offset  size  field
///   0      4    item-length: u32 BE = 2 + fragment length (at least 2; even, since fragments are even)
///   4      1    presentation context ID (odd, 1–255)
///   5      1    message control header:
///                 bit 0: 1 command fragment, 0 data-set fragment
///                 bit 1: 1 last fragment of that command or data set, 0 more follow
///                 bits 2–7: sent as 0, never tested
///   6      n    fragment (a piece of the command set or data set, not parsable on its own)
/// </code>
/// A received value is a view over the PDU body: the fragment is a slice of the received sequence, not a copy.
/// </summary>
public readonly struct PresentationDataValue
{
    /// <summary>Size of the item header before the fragment: item-length, context ID and control header.</summary>
    public const int ItemHeaderLength = 6;

    /// <summary>Offset of the u32 big-endian item-length.</summary>
    public const int ItemLengthOffset = 0;

    /// <summary>Offset of the presentation context ID.</summary>
    public const int PresentationContextIdOffset = 4;

    /// <summary>Offset of the message control header.</summary>
    public const int MessageControlHeaderOffset = 5;

    /// <summary>Offset of the fragment.</summary>
    public const int FragmentOffset = 6;

    /// <summary>The smallest item-length: the context ID and the control header.</summary>
    public const int MinimumItemLength = 2;

    /// <summary>Message control header bit 0: the fragment is part of a command set.</summary>
    public const byte CommandBit = 0x01;

    /// <summary>Message control header bit 1: the fragment is the last of its command set or data set.</summary>
    public const byte LastFragmentBit = 0x02;

    /// <summary>Creates a value.</summary>
    public PresentationDataValue(byte presentationContextId, byte messageControlHeader, ReadOnlySequence<byte> fragment)
    {
        PresentationContextId = presentationContextId;
        MessageControlHeader = messageControlHeader;
        Fragment = fragment;
    }

    /// <summary>The presentation context the fragment belongs to.</summary>
    public byte PresentationContextId { get; }

    /// <summary>The message control header byte as received (bits 2–7 included).</summary>
    public byte MessageControlHeader { get; }

    /// <summary>True for a command-set fragment (bit 0), false for a data-set fragment.</summary>
    public bool IsCommand => (MessageControlHeader & CommandBit) != 0;

    /// <summary>True for the last fragment of its command set or data set (bit 1).</summary>
    public bool IsLastFragment => (MessageControlHeader & LastFragmentBit) != 0;

    /// <summary>The fragment bytes (a slice of the PDU body; valid as long as the body is).</summary>
    public ReadOnlySequence<byte> Fragment { get; }

    /// <summary>The message control header for a fragment of that kind (bits 2–7 zero).</summary>
    public static byte GetMessageControlHeader(bool isCommand, bool isLastFragment) =>
        (byte)((isCommand ? CommandBit : 0) | (isLastFragment ? LastFragmentBit : 0));

    /// <summary>
    /// Writes the 6-byte PDV item header for a fragment of <paramref name="fragmentLength"/> bytes, which the caller
    /// sends right after it (a gathered write). Returns 6.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fragmentLength"/> is negative or odd.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 6 bytes.</exception>
    public static int WriteItemHeader(Span<byte> destination, byte presentationContextId, byte messageControlHeader, int fragmentLength)
    {
        if (fragmentLength < 0 || (fragmentLength & 1) != 0)
        {
            PduThrowHelper.ThrowFragmentLength(fragmentLength);
        }

        if (destination.Length < ItemHeaderLength)
        {
            PduThrowHelper.ThrowDestinationTooSmall(ItemHeaderLength);
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)fragmentLength + MinimumItemLength);
        destination[PresentationContextIdOffset] = presentationContextId;
        destination[MessageControlHeaderOffset] = messageControlHeader;
        return ItemHeaderLength;
    }
}
