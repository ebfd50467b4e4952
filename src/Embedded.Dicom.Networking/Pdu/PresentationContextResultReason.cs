namespace Embedded.Dicom.Networking.Pdu;

/// <summary>The result/reason field of an A-ASSOCIATE-AC presentation context item (PS3.8 §9.3.3.2, Table 9-18).</summary>
public enum PresentationContextResultReason : byte
{
    /// <summary>Acceptance.</summary>
    Acceptance = 0,

    /// <summary>User-rejection.</summary>
    UserRejection = 1,

    /// <summary>No reason (provider rejection).</summary>
    NoReason = 2,

    /// <summary>Abstract syntax not supported (provider rejection).</summary>
    AbstractSyntaxNotSupported = 3,

    /// <summary>Transfer syntaxes not supported (provider rejection).</summary>
    TransferSyntaxesNotSupported = 4,
}
