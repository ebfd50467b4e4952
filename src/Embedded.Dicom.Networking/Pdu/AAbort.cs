using System;
using System.Buffers;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The A-ABORT PDU (PS3.8 §9.3.8, Table 9-26): 10 bytes, big-endian header.
/// <code>
/// offset  size  field
///   0      1    PDU-type 0x07
///   1      1    reserved
///   2      4    PDU-length = 4 (u32 BE)
///   6      1    reserved
///   7      1    reserved
///   8      1    source: 0 service-user, 1 reserved, 2 service-provider
///   9      1    reason/diag.: significant for source 2 (see <see cref="AAbortReason"/>), else 0
/// </code>
/// Reserved bytes are sent as 0 and never tested on receipt; the source and reason are kept as received.
/// </summary>
public readonly struct AAbort : IEquatable<AAbort>
{
    /// <summary>The whole PDU size.</summary>
    public const int EncodedLength = FixedLengthPdu.EncodedLength;

    /// <summary>Offset of the source byte.</summary>
    public const int SourceOffset = 8;

    /// <summary>Offset of the reason/diagnostic byte.</summary>
    public const int ReasonOffset = 9;

    /// <summary>Creates an A-ABORT.</summary>
    public AAbort(AAbortSource source, AAbortReason reason)
    {
        Source = source;
        Reason = reason;
    }

    /// <summary>Who aborted.</summary>
    public AAbortSource Source { get; }

    /// <summary>Why; 0 unless <see cref="Source"/> is the service-provider.</summary>
    public AAbortReason Reason { get; }

    /// <summary>Decodes the 4-byte body returned by <see cref="PduReader.TryReadPdu"/>.</summary>
    public static PduReadStatus TryRead(ReadOnlySequence<byte> body, out AAbort pdu, out PduError error)
    {
        Span<byte> fields = stackalloc byte[FixedLengthPdu.PduLength];
        PduReadStatus status = FixedLengthPdu.TryReadBody(body, PduType.AAbort, fields, out error);
        pdu = status == PduReadStatus.Done ? FromFields(fields) : default;
        return status;
    }

    /// <summary>Decodes the 4-byte body.</summary>
    public static PduReadStatus TryRead(ReadOnlySpan<byte> body, out AAbort pdu, out PduError error)
    {
        Span<byte> fields = stackalloc byte[FixedLengthPdu.PduLength];
        PduReadStatus status = FixedLengthPdu.TryReadBody(body, PduType.AAbort, fields, out error);
        pdu = status == PduReadStatus.Done ? FromFields(fields) : default;
        return status;
    }

    /// <summary>The encoded size, 10 bytes.</summary>
    public int GetEncodedLength() => EncodedLength;

    /// <summary>Writes the whole PDU; returns 10.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 10 bytes.</exception>
    public int Write(Span<byte> destination) =>
        FixedLengthPdu.Write(destination, PduType.AAbort, 0, 0, (byte)Source, (byte)Reason);

    /// <summary>Writes the whole PDU into <paramref name="writer"/>.</summary>
    public void Write(IBufferWriter<byte> writer) =>
        FixedLengthPdu.Write(writer, PduType.AAbort, 0, 0, (byte)Source, (byte)Reason);

    /// <inheritdoc/>
    public bool Equals(AAbort other) => Source == other.Source && Reason == other.Reason;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is AAbort other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Source, Reason);

    /// <summary>The fields as text.</summary>
    public override string ToString() => $"A-ABORT (source {Source}, reason {Reason})";

    /// <summary>Equality of source and reason.</summary>
    public static bool operator ==(AAbort left, AAbort right) => left.Equals(right);

    /// <summary>Inequality of source or reason.</summary>
    public static bool operator !=(AAbort left, AAbort right) => !left.Equals(right);

    private static AAbort FromFields(ReadOnlySpan<byte> fields) =>
        new((AAbortSource)fields[SourceOffset - PduHeader.Size], (AAbortReason)fields[ReasonOffset - PduHeader.Size]);
}
