namespace Embedded.Dicom.Networking.Pdu;

/// <summary>The outcome of a PDU parse.</summary>
public enum PduReadStatus
{
    /// <summary>A complete, well-formed PDU (or item) was read.</summary>
    Done,

    /// <summary>The bytes end before the PDU does; nothing was consumed. Read more and call again.</summary>
    NeedMoreData,

    /// <summary>
    /// The bytes break PS3.8 or a <see cref="PduLimits"/> limit; the accompanying <see cref="PduError"/> says why and
    /// which A-ABORT to send. The association cannot continue.
    /// </summary>
    Invalid,
}
