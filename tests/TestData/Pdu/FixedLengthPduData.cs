using System;

namespace Embedded.Dicom.TestData;

/// <summary>
/// Golden 10-byte PDUs (PS3.8 §9.3.4, §9.3.6–§9.3.8): header <c>type, 0x00, PDU-length 4 (u32 BE)</c>, then four
/// one-byte fields. Assembled from the PS3.8 tables.
/// </summary>
public static class FixedLengthPduData
{
    /// <summary>A-ASSOCIATE-RJ: result 1 (rejected-permanent), source 1 (service-user), reason 7 (called AE title not recognized).</summary>
    public static ReadOnlySpan<byte> AAssociateRejectCalledAeNotRecognized =>
        [0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01, 0x01, 0x07];

    /// <summary>A-ASSOCIATE-RJ: result 2 (rejected-transient), source 3 (service-provider, presentation), reason 2 (local limit exceeded).</summary>
    public static ReadOnlySpan<byte> AAssociateRejectLocalLimitExceeded =>
        [0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x02, 0x03, 0x02];

    /// <summary>A-RELEASE-RQ: four reserved bytes.</summary>
    public static ReadOnlySpan<byte> AReleaseRequest =>
        [0x05, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00];

    /// <summary>A-RELEASE-RP: four reserved bytes.</summary>
    public static ReadOnlySpan<byte> AReleaseResponse =>
        [0x06, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00];

    /// <summary>A-ABORT: source 0 (service-user), reason 0.</summary>
    public static ReadOnlySpan<byte> AAbortByUser =>
        [0x07, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00];

    /// <summary>A-ABORT: source 2 (service-provider), reason 6 (invalid PDU parameter value).</summary>
    public static ReadOnlySpan<byte> AAbortInvalidParameterValue =>
        [0x07, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x02, 0x06];
}
