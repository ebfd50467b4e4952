using System;
using System.Buffers;
using System.Collections.Generic;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The A-ASSOCIATE-AC PDU (PS3.8 §9.3.3, Table 9-17). Big-endian throughout; same offsets as
/// <see cref="AAssociateRequest"/>.
/// <code>
/// offset  size  field
///   0      1    PDU-type 0x02
///   1      1    reserved
///   2      4    PDU-length (u32 BE)
///   6      2    protocol-version (u16 BE): bit 0 set
///   8      2    reserved
///  10     16    reserved: the called AE title of the request, echoed
///  26     16    reserved: the calling AE title of the request, echoed
///  42     32    reserved (zeros)
///  74      …    variable items: one Application Context (0x10), one or more Presentation Context (0x21),
///               one User Information (0x50); unknown items are skipped
/// </code>
/// The AE fields are reserved in the AC: they are written as the request's values, unchanged (not swapped), and
/// never validated on receipt; bytes that are not a valid AE title read as an empty title (reference §7 #11).
/// </summary>
public sealed class AAssociateAccept
{
    /// <summary>The protocol version.</summary>
    public ushort ProtocolVersion { get; set; } = AAssociateRequest.DefaultProtocolVersion;

    /// <summary>The called AE title of the request, echoed (reserved; not validated on receipt).</summary>
    public AeTitle CalledAeTitle { get; set; }

    /// <summary>The calling AE title of the request, echoed (reserved; not validated on receipt).</summary>
    public AeTitle CallingAeTitle { get; set; }

    /// <summary>The application context name.</summary>
    public DicomUid ApplicationContextName { get; set; } = ApplicationContextItem.DicomApplicationContextName;

    /// <summary>One result per proposed presentation context.</summary>
    public List<PresentationContextResult> PresentationContexts { get; } = [];

    /// <summary>The user information item.</summary>
    public UserInformation UserInformation
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    } = new();

    /// <summary>
    /// Starts an answer to <paramref name="request"/>: its AE titles and application context name echoed unchanged,
    /// protocol version 1; presentation contexts and user information left for negotiation to fill.
    /// </summary>
    public static AAssociateAccept CreateFor(AAssociateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new AAssociateAccept
        {
            ProtocolVersion = AAssociateRequest.DefaultProtocolVersion,
            CalledAeTitle = request.CalledAeTitle,
            CallingAeTitle = request.CallingAeTitle,
            ApplicationContextName = request.ApplicationContextName,
        };
    }

    /// <summary>Decodes the body returned by <see cref="PduReader.TryReadPdu"/> (copied first when it spans segments).</summary>
    /// <returns><see cref="PduReadStatus.Done"/> or <see cref="PduReadStatus.Invalid"/>; never NeedMoreData.</returns>
    public static PduReadStatus TryRead(ReadOnlySequence<byte> body, PduLimits limits, out AAssociateAccept? pdu, out PduError error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        pdu = null;
        PduReadStatus status = AssociatePduCodec.TryGetSpan(body, limits, PduType.AAssociateAccept, out ReadOnlySpan<byte> span, out error);
        return status == PduReadStatus.Done ? TryRead(span, limits, out pdu, out error) : status;
    }

    /// <summary>Decodes a PDU body (the bytes after the 6-byte header).</summary>
    /// <returns><see cref="PduReadStatus.Done"/> or <see cref="PduReadStatus.Invalid"/>; never NeedMoreData.</returns>
    public static PduReadStatus TryRead(ReadOnlySpan<byte> body, PduLimits limits, out AAssociateAccept? pdu, out PduError error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var contexts = new List<PresentationContextResult>();
        PduReadStatus status = AssociatePduCodec.TryRead(body, limits, PduType.AAssociateAccept, null, contexts, out AssociatePduCodec.Fields fields, out error);
        if (status != PduReadStatus.Done)
        {
            pdu = null;
            return status;
        }

        pdu = new AAssociateAccept
        {
            ProtocolVersion = fields.ProtocolVersion,
            CalledAeTitle = fields.CalledAeTitle,
            CallingAeTitle = fields.CallingAeTitle,
            ApplicationContextName = fields.ApplicationContextName,
            UserInformation = fields.UserInformation!,
        };
        pdu.PresentationContexts.AddRange(contexts);
        return status;
    }

    /// <summary>The size of the whole PDU, header included.</summary>
    /// <exception cref="InvalidOperationException">An item would exceed its u16 length field.</exception>
    public int GetEncodedLength()
    {
        long length = AAssociateRequest.VariableItemsOffset + ApplicationContextItem.GetEncodedLength(ApplicationContextName);
        foreach (PresentationContextResult context in PresentationContexts)
        {
            length += context?.GetEncodedLength() ?? ThrowNullContext();
        }

        length += UserInformation.GetEncodedLength();
        return (int)Math.Min(length, int.MaxValue);
    }

    /// <summary>
    /// Writes the whole PDU (header included): UIDs unpadded, AE titles space padded to 16 bytes, reserved fields
    /// zero. Returns the bytes written.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    public int Write(Span<byte> destination)
    {
        int length = GetEncodedLength();
        AssociatePduCodec.CheckDestination(destination, length);
        var writer = new PduSpanWriter(destination);
        AssociatePduCodec.WriteFixed(ref writer, PduType.AAssociateAccept, length, ProtocolVersion, CalledAeTitle, CallingAeTitle);
        ApplicationContextItem.Write(ref writer, ApplicationContextName);
        foreach (PresentationContextResult context in PresentationContexts)
        {
            context.Write(ref writer);
        }

        UserInformation.Write(ref writer);
        return writer.Position;
    }

    /// <summary>Writes the whole PDU into <paramref name="writer"/>.</summary>
    public void Write(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int length = GetEncodedLength();
        writer.Advance(Write(writer.GetSpan(length)));
    }

    private static int ThrowNullContext()
    {
        PduThrowHelper.ThrowNullElement(nameof(PresentationContexts));
        return 0;
    }
}
