namespace Embedded.Dicom.Networking.Pdu;

/// <summary>
/// The reason/diagnostic field of an A-ABORT PDU, significant when the source is
/// <see cref="AAbortSource.ServiceProvider"/> (PS3.8 §9.3.8, Table 9-26).
/// </summary>
public enum AAbortReason : byte
{
    /// <summary>Reason not specified.</summary>
    NotSpecified = 0,

    /// <summary>Unrecognized PDU.</summary>
    UnrecognizedPdu = 1,

    /// <summary>Unexpected PDU (a known PDU in a state where it is not allowed).</summary>
    UnexpectedPdu = 2,

    /// <summary>Reserved.</summary>
    Reserved = 3,

    /// <summary>Unrecognized PDU parameter.</summary>
    UnrecognizedPduParameter = 4,

    /// <summary>Unexpected PDU parameter.</summary>
    UnexpectedPduParameter = 5,

    /// <summary>Invalid PDU parameter value.</summary>
    InvalidPduParameterValue = 6,
}
