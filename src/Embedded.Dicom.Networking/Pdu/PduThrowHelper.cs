using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The throws of the PDU encoders (conventions C8): kept out of line so that the writers stay small. Decoders never
/// throw; they return <see cref="PduReadStatus.Invalid"/> with a <see cref="PduError"/>.
/// </summary>
internal static class PduThrowHelper
{
    [DoesNotReturn]
    public static void ThrowDestinationTooSmall(int needed) =>
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The destination is too small: {needed} bytes are needed."), "destination");

    [DoesNotReturn]
    public static void ThrowItemTooLong(string item, int length) =>
        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The {item} would be {length} bytes long, more than its u16 length field can hold (65535)."));

    [DoesNotReturn]
    public static void ThrowFragmentLength(int length) =>
        throw new ArgumentOutOfRangeException("fragmentLength", length, "A PDV fragment length must be even and at most 2^32 - 3 (PS3.8 Annex E.1).");

    [DoesNotReturn]
    public static void ThrowPduLength(long length) =>
        throw new ArgumentOutOfRangeException("pduLength", length, "A PDU-length must be within 0 and 2^32 - 1.");

    [DoesNotReturn]
    public static void ThrowLimitOutOfRange(string name, int value) =>
        throw new ArgumentOutOfRangeException(name, value, "A PDU limit must be positive.");

    [DoesNotReturn]
    public static void ThrowNullElement(string collection) =>
        throw new InvalidOperationException($"The {collection} collection holds a null element.");
}
