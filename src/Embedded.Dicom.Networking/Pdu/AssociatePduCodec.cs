using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// What A-ASSOCIATE-RQ and A-ASSOCIATE-AC share: the 74-byte fixed part (layout on <see cref="AAssociateRequest"/>)
/// and the item walk of the variable part. Only the presentation context item type differs (0x20 / 0x21).
/// </summary>
internal static class AssociatePduCodec
{
    /// <summary>The smallest PDU-length: the fixed fields after the 6-byte header.</summary>
    public const int MinimumPduLength = AAssociateRequest.VariableItemsOffset - PduHeader.Size;

    /// <summary>The decoded fixed fields and singleton items.</summary>
    public struct Fields
    {
        public ushort ProtocolVersion;
        public AeTitle CalledAeTitle;
        public AeTitle CallingAeTitle;
        public bool CalledAeTitleMalformed;
        public bool CallingAeTitleMalformed;
        public DicomUid ApplicationContextName;
        public UserInformation? UserInformation;
    }

    /// <summary>Bounds an association PDU body, then gives it as one span (copying only a multi-segment body).</summary>
    public static PduReadStatus TryGetSpan(ReadOnlySequence<byte> body, PduLimits limits, PduType type, out ReadOnlySpan<byte> span, out PduError error)
    {
        span = default;
        if (body.Length > limits.MaxAssociationPduLength)
        {
            error = new PduError(PduRejectReason.PduTooLarge, PduHeader.LengthOffset, body.Length, (byte)type);
            return PduReadStatus.Invalid;
        }

        span = body.IsSingleSegment ? body.FirstSpan : body.ToArray();
        error = default;
        return PduReadStatus.Done;
    }

    /// <summary>
    /// Decodes the body of an A-ASSOCIATE-RQ (<paramref name="requestContexts"/> given) or -AC
    /// (<paramref name="acceptContexts"/> given).
    /// </summary>
    public static PduReadStatus TryRead(
        ReadOnlySpan<byte> body,
        PduLimits limits,
        PduType type,
        List<PresentationContextRequest>? requestContexts,
        List<PresentationContextResult>? acceptContexts,
        out Fields fields,
        out PduError error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        fields = default;
        if (body.Length > limits.MaxAssociationPduLength)
        {
            error = new PduError(PduRejectReason.PduTooLarge, PduHeader.LengthOffset, body.Length, (byte)type);
            return PduReadStatus.Invalid;
        }

        if (body.Length < MinimumPduLength)
        {
            error = new PduError(PduRejectReason.InvalidPduLength, PduHeader.LengthOffset, body.Length, (byte)type);
            return PduReadStatus.Invalid;
        }

        // Offsets in the body are PDU offsets minus the 6-byte header. Reserved fields are not tested.
        fields.ProtocolVersion = BinaryPrimitives.ReadUInt16BigEndian(body[(AAssociateRequest.ProtocolVersionOffset - PduHeader.Size)..]);
        fields.CalledAeTitleMalformed = !AeTitle.TryCreate(body.Slice(AAssociateRequest.CalledAeTitleOffset - PduHeader.Size, AeTitle.MaxLength), out fields.CalledAeTitle);
        fields.CallingAeTitleMalformed = !AeTitle.TryCreate(body.Slice(AAssociateRequest.CallingAeTitleOffset - PduHeader.Size, AeTitle.MaxLength), out fields.CallingAeTitle);

        byte contextType = (byte)(requestContexts is not null ? ItemType.PresentationContextRequest : ItemType.PresentationContextAccept);
        bool hasApplicationContext = false;
        int contextCount = 0;

        // The PDU-level walk is bounded by the PDU length; unknown items are skipped and cost no allocation.
        var items = new ItemReader(body[MinimumPduLength..], AAssociateRequest.VariableItemsOffset, int.MaxValue, (byte)type);
        while (items.TryRead(out byte itemType, out _, out ReadOnlySpan<byte> value))
        {
            int itemOffset = items.ValueOffset - ItemReader.HeaderLength;
            if (itemType == (byte)ItemType.ApplicationContext)
            {
                if (hasApplicationContext)
                {
                    error = new PduError(PduRejectReason.DuplicateItem, itemOffset, 0, itemType);
                    return PduReadStatus.Invalid;
                }

                if (!UidCodec.TryDecode(value, items.ValueOffset, itemType, out fields.ApplicationContextName, out error))
                {
                    return PduReadStatus.Invalid;
                }

                hasApplicationContext = true;
            }
            else if (itemType == contextType)
            {
                if (++contextCount > limits.MaxPresentationContexts)
                {
                    error = new PduError(PduRejectReason.TooManyPresentationContexts, itemOffset, limits.MaxPresentationContexts, itemType);
                    return PduReadStatus.Invalid;
                }

                if (requestContexts is not null)
                {
                    PresentationContextRequest? context = PresentationContextRequest.TryRead(value, items.ValueOffset, limits, out error);
                    if (context is null)
                    {
                        return PduReadStatus.Invalid;
                    }

                    requestContexts.Add(context);
                }
                else
                {
                    PresentationContextResult? context = PresentationContextResult.TryRead(value, items.ValueOffset, limits, out error);
                    if (context is null)
                    {
                        return PduReadStatus.Invalid;
                    }

                    acceptContexts!.Add(context);
                }
            }
            else if (itemType == (byte)ItemType.UserInformation)
            {
                if (fields.UserInformation is not null)
                {
                    error = new PduError(PduRejectReason.DuplicateItem, itemOffset, 0, itemType);
                    return PduReadStatus.Invalid;
                }

                fields.UserInformation = UserInformation.TryRead(value, items.ValueOffset, limits, out error);
                if (fields.UserInformation is null)
                {
                    return PduReadStatus.Invalid;
                }
            }

            // Any other item type (including the other PDU's presentation context type) is skipped.
        }

        if (!items.Error.IsNone)
        {
            error = items.Error;
            return PduReadStatus.Invalid;
        }

        PduRejectReason missing =
            !hasApplicationContext ? PduRejectReason.MissingApplicationContext
            : contextCount == 0 ? PduRejectReason.MissingPresentationContext
            : fields.UserInformation is null ? PduRejectReason.MissingUserInformation
            : PduRejectReason.None;
        if (missing != PduRejectReason.None)
        {
            error = new PduError(missing, AAssociateRequest.VariableItemsOffset, 0, (byte)type);
            return PduReadStatus.Invalid;
        }

        error = default;
        return PduReadStatus.Done;
    }

    /// <summary>Writes the header and the fixed fields (74 bytes).</summary>
    public static void WriteFixed(ref PduSpanWriter writer, PduType type, int totalLength, ushort protocolVersion, in AeTitle called, in AeTitle calling)
    {
        writer.WriteByte((byte)type);
        writer.WriteByte(0);
        writer.WriteUInt32((uint)(totalLength - PduHeader.Size));
        writer.WriteUInt16(protocolVersion);
        writer.WriteZeros(2);
        writer.WriteAeTitle(called);
        writer.WriteAeTitle(calling);
        writer.WriteZeros(32);
    }

    /// <summary>Sizes the destination, or throws.</summary>
    public static void CheckDestination(Span<byte> destination, int length)
    {
        if (destination.Length < length)
        {
            PduThrowHelper.ThrowDestinationTooSmall(length);
        }
    }
}
