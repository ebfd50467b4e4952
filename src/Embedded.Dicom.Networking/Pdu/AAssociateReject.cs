using System;
using System.Buffers;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The A-ASSOCIATE-RJ PDU (PS3.8 §9.3.4, Table 9-21): 10 bytes, big-endian header.
/// <code>
/// offset  size  field
///   0      1    PDU-type 0x03
///   1      1    reserved
///   2      4    PDU-length = 4 (u32 BE)
///   6      1    reserved
///   7      1    result: 1 rejected-permanent, 2 rejected-transient
///   8      1    source: 1 service-user, 2 service-provider (ACSE), 3 service-provider (presentation)
///   9      1    reason/diag., by source:
///                 1: 1 no reason given, 2 application context name not supported,
///                    3 calling AE title not recognized, 7 called AE title not recognized
///                 2: 1 no reason given, 2 protocol version not supported
///                 3: 1 temporary congestion, 2 local limit exceeded
/// </code>
/// The reason's meaning depends on the source, so it is kept as a byte. Values are kept as received, unknown ones
/// included; the reserved byte is sent as 0 and never tested.
/// </summary>
public readonly struct AAssociateReject : IEquatable<AAssociateReject>
{
    /// <summary>The whole PDU size.</summary>
    public const int EncodedLength = FixedLengthPdu.EncodedLength;

    /// <summary>Offset of the result byte.</summary>
    public const int ResultOffset = 7;

    /// <summary>Offset of the source byte.</summary>
    public const int SourceOffset = 8;

    /// <summary>Offset of the reason/diagnostic byte.</summary>
    public const int ReasonOffset = 9;

    /// <summary>Creates an A-ASSOCIATE-RJ.</summary>
    public AAssociateReject(AAssociateRejectResult result, AAssociateRejectSource source, byte reason)
    {
        Result = result;
        Source = source;
        Reason = reason;
    }

    /// <summary>Permanent or transient.</summary>
    public AAssociateRejectResult Result { get; }

    /// <summary>Who rejected.</summary>
    public AAssociateRejectSource Source { get; }

    /// <summary>The reason/diagnostic, interpreted per <see cref="Source"/> (see the type's table).</summary>
    public byte Reason { get; }

    /// <summary>Decodes the 4-byte body returned by <see cref="PduReader.TryReadPdu"/>.</summary>
    public static PduReadStatus TryRead(ReadOnlySequence<byte> body, out AAssociateReject pdu, out PduError error)
    {
        Span<byte> fields = stackalloc byte[FixedLengthPdu.PduLength];
        PduReadStatus status = FixedLengthPdu.TryReadBody(body, PduType.AAssociateReject, fields, out error);
        pdu = status == PduReadStatus.Done ? FromFields(fields) : default;
        return status;
    }

    /// <summary>Decodes the 4-byte body.</summary>
    public static PduReadStatus TryRead(ReadOnlySpan<byte> body, out AAssociateReject pdu, out PduError error)
    {
        Span<byte> fields = stackalloc byte[FixedLengthPdu.PduLength];
        PduReadStatus status = FixedLengthPdu.TryReadBody(body, PduType.AAssociateReject, fields, out error);
        pdu = status == PduReadStatus.Done ? FromFields(fields) : default;
        return status;
    }

    /// <summary>The encoded size, 10 bytes.</summary>
    public int GetEncodedLength() => EncodedLength;

    /// <summary>Writes the whole PDU; returns 10.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 10 bytes.</exception>
    public int Write(Span<byte> destination) =>
        FixedLengthPdu.Write(destination, PduType.AAssociateReject, 0, (byte)Result, (byte)Source, Reason);

    /// <summary>Writes the whole PDU into <paramref name="writer"/>.</summary>
    public void Write(IBufferWriter<byte> writer) =>
        FixedLengthPdu.Write(writer, PduType.AAssociateReject, 0, (byte)Result, (byte)Source, Reason);

    /// <inheritdoc/>
    public bool Equals(AAssociateReject other) => Result == other.Result && Source == other.Source && Reason == other.Reason;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is AAssociateReject other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Result, Source, Reason);

    /// <summary>The fields as text.</summary>
    public override string ToString() => $"A-ASSOCIATE-RJ (result {Result}, source {Source}, reason {Reason})";

    /// <summary>Equality of all fields.</summary>
    public static bool operator ==(AAssociateReject left, AAssociateReject right) => left.Equals(right);

    /// <summary>Inequality of any field.</summary>
    public static bool operator !=(AAssociateReject left, AAssociateReject right) => !left.Equals(right);

    private static AAssociateReject FromFields(ReadOnlySpan<byte> fields) => new(
        (AAssociateRejectResult)fields[ResultOffset - PduHeader.Size],
        (AAssociateRejectSource)fields[SourceOffset - PduHeader.Size],
        fields[ReasonOffset - PduHeader.Size]);
}
