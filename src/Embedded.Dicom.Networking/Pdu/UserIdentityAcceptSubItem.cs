using System;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The User Identity Negotiation sub-item of an A-ASSOCIATE-AC (PS3.7 Annex D.3.3.7.2, Table D.3-15). Big-endian.
/// <code>
/// offset  size  field
///   0      1    item-type 0x59
///   1      1    reserved
///   2      2    item-length (u16 BE)
///   4      2    server-response-length (u16 BE)
///   6      n    server response (a Kerberos server ticket, a SAML response or a JWT; empty otherwise)
/// </code>
/// Sent only when the request asked for a positive response and the identity was accepted (details per type are
/// unverified, reference §9). The response is opaque bytes, bounded by <see cref="PduLimits.MaxUserIdentityLength"/>.
/// </summary>
public sealed class UserIdentityAcceptSubItem
{
    /// <summary>Offset of the u16 server-response-length.</summary>
    public const int ServerResponseLengthOffset = 4;

    /// <summary>Offset of the server response.</summary>
    public const int ServerResponseOffset = 6;

    /// <summary>The server response, as sent.</summary>
    public byte[] ServerResponse
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    } = [];

    internal int GetEncodedLength() => ItemLength.Checked("user identity server response", 2 + ServerResponse.Length);

    internal void Write(ref PduSpanWriter writer)
    {
        writer.WriteItemHeader(ItemType.UserIdentityAccept, 2 + ServerResponse.Length);
        writer.WritePrefixed(ServerResponse);
    }

    internal static UserIdentityAcceptSubItem? TryRead(ReadOnlySpan<byte> value, int valueOffset, PduLimits limits, out PduError error)
    {
        const byte Type = (byte)ItemType.UserIdentityAccept;
        var fields = new FieldReader(value, valueOffset, Type);
        int responseOffset = fields.Offset;
        if (!fields.TryReadPrefixed(out ReadOnlySpan<byte> response))
        {
            error = fields.Error;
            return null;
        }

        if (response.Length > limits.MaxUserIdentityLength)
        {
            error = new PduError(PduRejectReason.UserIdentityTooLong, responseOffset, response.Length, Type);
            return null;
        }

        error = default;
        return new UserIdentityAcceptSubItem { ServerResponse = response.ToArray() };
    }
}
