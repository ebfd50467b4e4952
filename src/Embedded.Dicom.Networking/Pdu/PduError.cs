using System.Globalization;

namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// Why a PDU was found <see cref="PduReadStatus.Invalid"/>: a reason, where, and a number that helps. It allocates
/// nothing; <see cref="ToString"/> builds a sentence only when asked.
/// </summary>
public readonly struct PduError
{
    /// <summary>Creates an error.</summary>
    /// <param name="reason">What went wrong.</param>
    /// <param name="offset">Byte offset from the start of the PDU (its type byte) where the fault was found.</param>
    /// <param name="detail">The offending value: a length, a type, a limit (see each <see cref="PduRejectReason"/>).</param>
    /// <param name="itemType">The type of the item or PDU concerned, 0 when none.</param>
    public PduError(PduRejectReason reason, int offset, long detail = 0, byte itemType = 0)
    {
        Reason = reason;
        Offset = offset;
        Detail = detail;
        ItemType = itemType;
    }

    /// <summary>What went wrong; <see cref="PduRejectReason.None"/> on success.</summary>
    public PduRejectReason Reason { get; }

    /// <summary>Byte offset from the start of the PDU (its type byte) where the fault was found.</summary>
    public int Offset { get; }

    /// <summary>The offending value; its meaning is given on each <see cref="PduRejectReason"/> member.</summary>
    public long Detail { get; }

    /// <summary>The item (or PDU) type concerned, 0 when none.</summary>
    public byte ItemType { get; }

    /// <summary>True when there is no error.</summary>
    public bool IsNone => Reason == PduRejectReason.None;

    /// <summary>Source of the A-ABORT to send: always the service-provider (PS3.8 §9.3.8, the UL detected it).</summary>
    public AAbortSource AbortSource => AAbortSource.ServiceProvider;

    /// <summary>
    /// The A-ABORT reason/diagnostic to send for <see cref="Reason"/> (PS3.8 §9.3.8, Table 9-26). This is the one
    /// place where reasons map to the wire: an unknown PDU type is "unrecognized PDU" (Evt19); a repeated singleton
    /// item is "unexpected PDU parameter"; a breached local limit has no code of its own and is "not specified";
    /// every other malformation is "invalid PDU parameter value". "Unexpected PDU" is the state machine's to send,
    /// and "unrecognized PDU parameter" is never sent because unknown items are skipped (PS3.8 Annex D.2).
    /// </summary>
    public AAbortReason AbortReason => Reason switch
    {
        PduRejectReason.None => AAbortReason.NotSpecified,
        PduRejectReason.UnknownPduType => AAbortReason.UnrecognizedPdu,
        PduRejectReason.DuplicateItem => AAbortReason.UnexpectedPduParameter,
        PduRejectReason.TooManyPresentationContexts
            or PduRejectReason.TooManySubItems
            or PduRejectReason.UserIdentityTooLong
            or PduRejectReason.TooManyPdvs => AAbortReason.NotSpecified,
        PduRejectReason.PduTooLarge
            or PduRejectReason.InvalidPduLength
            or PduRejectReason.ItemHeaderTruncated
            or PduRejectReason.ItemLengthPastEnd
            or PduRejectReason.InvalidItemLength
            or PduRejectReason.FieldLengthPastEnd
            or PduRejectReason.UidTooLong
            or PduRejectReason.MissingApplicationContext
            or PduRejectReason.MissingPresentationContext
            or PduRejectReason.MissingUserInformation
            or PduRejectReason.MissingAbstractSyntax
            or PduRejectReason.MissingTransferSyntax
            or PduRejectReason.MissingMaximumLength
            or PduRejectReason.EmptyDataPdu
            or PduRejectReason.PdvHeaderTruncated
            or PduRejectReason.PdvLengthTooShort
            or PduRejectReason.PdvLengthPastEnd
            or PduRejectReason.OddPdvLength => AAbortReason.InvalidPduParameterValue,
        _ => AAbortReason.NotSpecified,
    };

    /// <summary>The A-ABORT PDU to send for this error.</summary>
    public AAbort ToAAbort() => new(AbortSource, AbortReason);

    /// <summary>A sentence naming the fault and where it is (allocates).</summary>
    public override string ToString()
    {
        string at = string.Create(CultureInfo.InvariantCulture, $" at offset {Offset}");
        string item = string.Create(CultureInfo.InvariantCulture, $"item 0x{ItemType:X2}");
        string text = Reason switch
        {
            PduRejectReason.None => "no error",
            PduRejectReason.UnknownPduType => string.Create(CultureInfo.InvariantCulture, $"PDU type 0x{Detail:X2} is not defined by PS3.8 (unrecognized PDU)"),
            PduRejectReason.PduTooLarge => string.Create(CultureInfo.InvariantCulture, $"PDU type 0x{ItemType:X2} declares PDU-length {Detail}, above the accepted limit"),
            PduRejectReason.InvalidPduLength => string.Create(CultureInfo.InvariantCulture, $"PDU type 0x{ItemType:X2} declares PDU-length {Detail}, which that PDU type cannot have"),
            PduRejectReason.ItemHeaderTruncated => string.Create(CultureInfo.InvariantCulture, $"only {Detail} bytes remain where a 4-byte item header should start"),
            PduRejectReason.ItemLengthPastEnd => string.Create(CultureInfo.InvariantCulture, $"{item} declares length {Detail}, past the end of its container"),
            PduRejectReason.InvalidItemLength => string.Create(CultureInfo.InvariantCulture, $"{item} has length {Detail}, which does not fit its fixed fields"),
            PduRejectReason.FieldLengthPastEnd => string.Create(CultureInfo.InvariantCulture, $"a field of {item} declares length {Detail}, past the end of the item"),
            PduRejectReason.UidTooLong => string.Create(CultureInfo.InvariantCulture, $"a UID in {item} is {Detail} bytes long, more than 64"),
            PduRejectReason.DuplicateItem => $"{item} appears more than once where only one is allowed",
            PduRejectReason.MissingApplicationContext => "the A-ASSOCIATE PDU has no application context item (0x10)",
            PduRejectReason.MissingPresentationContext => "the A-ASSOCIATE PDU has no presentation context item",
            PduRejectReason.MissingUserInformation => "the A-ASSOCIATE PDU has no user information item (0x50)",
            PduRejectReason.MissingAbstractSyntax => "a proposed presentation context has no abstract syntax sub-item (0x30)",
            PduRejectReason.MissingTransferSyntax => "a presentation context has no transfer syntax sub-item (0x40)",
            PduRejectReason.MissingMaximumLength => "the user information item has no Maximum Length sub-item (0x51)",
            PduRejectReason.TooManyPresentationContexts => string.Create(CultureInfo.InvariantCulture, $"the PDU holds more than {Detail} presentation contexts"),
            PduRejectReason.TooManySubItems => string.Create(CultureInfo.InvariantCulture, $"{item} holds more than {Detail} entries"),
            PduRejectReason.UserIdentityTooLong => string.Create(CultureInfo.InvariantCulture, $"a user identity field of {item} is {Detail} bytes long, above the accepted limit"),
            PduRejectReason.EmptyDataPdu => "the P-DATA-TF holds no PDV item",
            PduRejectReason.PdvHeaderTruncated => string.Create(CultureInfo.InvariantCulture, $"only {Detail} bytes remain in the P-DATA-TF where a 6-byte PDV item header should start"),
            PduRejectReason.PdvLengthTooShort => string.Create(CultureInfo.InvariantCulture, $"a PDV item declares length {Detail}, less than the 2 bytes of its context ID and control header"),
            PduRejectReason.PdvLengthPastEnd => string.Create(CultureInfo.InvariantCulture, $"a PDV item declares length {Detail}, past the end of the P-DATA-TF"),
            PduRejectReason.OddPdvLength => string.Create(CultureInfo.InvariantCulture, $"a PDV item declares length {Detail}, so its fragment has an odd length"),
            PduRejectReason.TooManyPdvs => string.Create(CultureInfo.InvariantCulture, $"the P-DATA-TF holds more than {Detail} PDV items"),
            _ => Reason.ToString(),
        };

        return Reason == PduRejectReason.None ? text : text + at + ".";
    }
}
