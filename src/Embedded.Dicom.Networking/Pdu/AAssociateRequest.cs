using System;
using System.Buffers;
using System.Collections.Generic;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The A-ASSOCIATE-RQ PDU (PS3.8 §9.3.2, Table 9-11). Big-endian throughout.
/// <code>
/// offset  size  field
///   0      1    PDU-type 0x01
///   1      1    reserved
///   2      4    PDU-length (u32 BE)
///   6      2    protocol-version (u16 BE): bit 0 set (0x0001)
///   8      2    reserved
///  10     16    called-AE-title, space padded
///  26     16    calling-AE-title, space padded
///  42     32    reserved (zeros)
///  74      …    variable items: one Application Context (0x10), one or more Presentation Context (0x20),
///               one User Information (0x50), in any order; unknown items are skipped
/// </code>
/// Decoding checks structure and limits only: the protocol version, application context name, AE titles and
/// presentation contexts are judged by the acceptor, which answers with an A-ASSOCIATE-RJ or per-context results
/// (reference §4.9). Not a hot path: decoding allocates the object graph.
/// </summary>
public sealed class AAssociateRequest
{
    /// <summary>The protocol version written by default: bit 0 set (PS3.8 §9.3.2).</summary>
    public const ushort DefaultProtocolVersion = 1;

    /// <summary>Offset of the u16 protocol-version.</summary>
    public const int ProtocolVersionOffset = 6;

    /// <summary>Offset of the called AE title.</summary>
    public const int CalledAeTitleOffset = 10;

    /// <summary>Offset of the calling AE title.</summary>
    public const int CallingAeTitleOffset = 26;

    /// <summary>Offset of the 32 reserved bytes.</summary>
    public const int ReservedOffset = 42;

    /// <summary>Offset of the first variable item; also the size of the fixed part, header included.</summary>
    public const int VariableItemsOffset = 74;

    /// <summary>The protocol version; receivers test bit 0 only.</summary>
    public ushort ProtocolVersion { get; set; } = DefaultProtocolVersion;

    /// <summary>The called AE title (the acceptor addressed).</summary>
    public AeTitle CalledAeTitle { get; set; }

    /// <summary>The calling AE title (the requestor).</summary>
    public AeTitle CallingAeTitle { get; set; }

    /// <summary>
    /// True when the received called AE field held a byte outside the AE repertoire (a control character, a
    /// backslash or a non-ASCII byte); <see cref="CalledAeTitle"/> then reads empty. An acceptor should answer
    /// A-ASSOCIATE-RJ (1, 1, 7) rather than abort (reference §7 #10).
    /// </summary>
    public bool IsCalledAeTitleMalformed { get; private set; }

    /// <summary>
    /// As <see cref="IsCalledAeTitleMalformed"/> for the calling AE field (A-ASSOCIATE-RJ 1, 1, 3).
    /// </summary>
    public bool IsCallingAeTitleMalformed { get; private set; }

    /// <summary>The application context name; by default the DICOM one (<see cref="ApplicationContextItem.DicomApplicationContextName"/>).</summary>
    public DicomUid ApplicationContextName { get; set; } = ApplicationContextItem.DicomApplicationContextName;

    /// <summary>The presentation contexts proposed.</summary>
    public List<PresentationContextRequest> PresentationContexts { get; } = [];

    /// <summary>The user information item.</summary>
    public UserInformation UserInformation
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    } = new();

    /// <summary>Decodes the body returned by <see cref="PduReader.TryReadPdu"/> (copied first when it spans segments).</summary>
    /// <returns><see cref="PduReadStatus.Done"/> or <see cref="PduReadStatus.Invalid"/>; never NeedMoreData.</returns>
    public static PduReadStatus TryRead(ReadOnlySequence<byte> body, PduLimits limits, out AAssociateRequest? pdu, out PduError error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        pdu = null;
        PduReadStatus status = AssociatePduCodec.TryGetSpan(body, limits, PduType.AAssociateRequest, out ReadOnlySpan<byte> span, out error);
        return status == PduReadStatus.Done ? TryRead(span, limits, out pdu, out error) : status;
    }

    /// <summary>Decodes a PDU body (the bytes after the 6-byte header).</summary>
    /// <returns><see cref="PduReadStatus.Done"/> or <see cref="PduReadStatus.Invalid"/>; never NeedMoreData.</returns>
    public static PduReadStatus TryRead(ReadOnlySpan<byte> body, PduLimits limits, out AAssociateRequest? pdu, out PduError error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var contexts = new List<PresentationContextRequest>();
        PduReadStatus status = AssociatePduCodec.TryRead(body, limits, PduType.AAssociateRequest, contexts, null, out AssociatePduCodec.Fields fields, out error);
        if (status != PduReadStatus.Done)
        {
            pdu = null;
            return status;
        }

        pdu = new AAssociateRequest
        {
            ProtocolVersion = fields.ProtocolVersion,
            CalledAeTitle = fields.CalledAeTitle,
            CallingAeTitle = fields.CallingAeTitle,
            IsCalledAeTitleMalformed = fields.CalledAeTitleMalformed,
            IsCallingAeTitleMalformed = fields.CallingAeTitleMalformed,
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
        long length = VariableItemsOffset + ApplicationContextItem.GetEncodedLength(ApplicationContextName);
        foreach (PresentationContextRequest context in PresentationContexts)
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
        AssociatePduCodec.WriteFixed(ref writer, PduType.AAssociateRequest, length, ProtocolVersion, CalledAeTitle, CallingAeTitle);
        ApplicationContextItem.Write(ref writer, ApplicationContextName);
        foreach (PresentationContextRequest context in PresentationContexts)
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
