using System;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The User Identity Negotiation sub-item of an A-ASSOCIATE-RQ (PS3.7 Annex D.3.3.7.1, Table D.3-14). Big-endian.
/// <code>
/// offset  size  field
///   0      1    item-type 0x58
///   1      1    reserved
///   2      2    item-length (u16 BE)
///   4      1    user-identity-type (<see cref="UserIdentityType"/>)
///   5      1    positive-response-requested: 1 yes, 0 no
///   6      2    primary-field-length (u16 BE)
///   8      n    primary field (username, ticket, assertion or token)
///   8+n    2    secondary-field-length (u16 BE), non-zero only for type 2
///  10+n    m    secondary field (passcode)
/// </code>
/// The fields are opaque bytes (tickets and assertions are binary, passcodes may hold any byte), never strings.
/// Each field is bounded by <see cref="PduLimits.MaxUserIdentityLength"/> on receipt.
/// </summary>
public sealed class UserIdentityRequestSubItem
{
    /// <summary>Offset of the user-identity-type byte.</summary>
    public const int TypeOffset = 4;

    /// <summary>Offset of the positive-response-requested byte.</summary>
    public const int PositiveResponseRequestedOffset = 5;

    /// <summary>Offset of the u16 primary-field-length.</summary>
    public const int PrimaryFieldLengthOffset = 6;

    /// <summary>Offset of the primary field.</summary>
    public const int PrimaryFieldOffset = 8;

    /// <summary>The identity type.</summary>
    public UserIdentityType IdentityType { get; set; }

    /// <summary>True when the requestor wants a User Identity AC sub-item back.</summary>
    public bool PositiveResponseRequested { get; set; }

    /// <summary>The primary field, as sent.</summary>
    public byte[] PrimaryField
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    } = [];

    /// <summary>The secondary field, as sent; empty unless <see cref="IdentityType"/> is <see cref="UserIdentityType.UsernameAndPasscode"/>.</summary>
    public byte[] SecondaryField
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    } = [];

    private int ValueLength => 2 + 2 + PrimaryField.Length + 2 + SecondaryField.Length;

    internal int GetEncodedLength()
    {
        ItemLength.Checked("user identity primary field", PrimaryField.Length);
        ItemLength.Checked("user identity secondary field", SecondaryField.Length);
        return ItemLength.Checked("user identity sub-item", ValueLength);
    }

    internal void Write(ref PduSpanWriter writer)
    {
        writer.WriteItemHeader(ItemType.UserIdentityRequest, ValueLength);
        writer.WriteByte((byte)IdentityType);
        writer.WriteByte(PositiveResponseRequested ? (byte)1 : (byte)0);
        writer.WritePrefixed(PrimaryField);
        writer.WritePrefixed(SecondaryField);
    }

    internal static UserIdentityRequestSubItem? TryRead(ReadOnlySpan<byte> value, int valueOffset, PduLimits limits, out PduError error)
    {
        const byte Type = (byte)ItemType.UserIdentityRequest;
        var fields = new FieldReader(value, valueOffset, Type);
        if (!fields.TryReadByte(out byte identityType) || !fields.TryReadByte(out byte positiveResponse))
        {
            error = fields.Error;
            return null;
        }

        // Check each declared length against the limit before it is copied.
        int primaryOffset = fields.Offset;
        if (!fields.TryReadPrefixed(out ReadOnlySpan<byte> primary))
        {
            error = fields.Error;
            return null;
        }

        if (primary.Length > limits.MaxUserIdentityLength)
        {
            error = new PduError(PduRejectReason.UserIdentityTooLong, primaryOffset, primary.Length, Type);
            return null;
        }

        int secondaryOffset = fields.Offset;
        if (!fields.TryReadPrefixed(out ReadOnlySpan<byte> secondary))
        {
            error = fields.Error;
            return null;
        }

        if (secondary.Length > limits.MaxUserIdentityLength)
        {
            error = new PduError(PduRejectReason.UserIdentityTooLong, secondaryOffset, secondary.Length, Type);
            return null;
        }

        error = default;
        return new UserIdentityRequestSubItem
        {
            IdentityType = (UserIdentityType)identityType,
            PositiveResponseRequested = positiveResponse != 0,
            PrimaryField = primary.ToArray(),
            SecondaryField = secondary.ToArray(),
        };
    }
}
