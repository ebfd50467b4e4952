using System;

namespace Embedded.Dicom.TestData;

/// <summary>Golden DIMSE command sets (PS3.7 §6.3.1, Implicit VR Little Endian), shared by tests and benchmarks.</summary>
public static class CommandSetTestData
{
    /// <summary>
    /// C-ECHO-RQ, Message ID 1, 68 bytes; identical to what pynetdicom writes for the same message.
    /// <code>
    /// (0000,0000) UL 56                          CommandGroupLength
    /// (0000,0002) UI "1.2.840.10008.1.1\0"       AffectedSOPClassUID (17 chars + NUL pad)
    /// (0000,0100) US 0x0030                      CommandField C-ECHO-RQ
    /// (0000,0110) US 1                           MessageID
    /// (0000,0800) US 0x0101                      CommandDataSetType: no data set
    /// </code>
    /// </summary>
    public static ReadOnlySpan<byte> CEchoRequest =>
    [
        0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x02, 0x00, 0x12, 0x00, 0x00, 0x00,
        0x31, 0x2e, 0x32, 0x2e, 0x38, 0x34, 0x30, 0x2e, 0x31, 0x30, 0x30, 0x30, 0x38, 0x2e, 0x31, 0x2e, 0x31, 0x00,
        0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x30, 0x00,
        0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00,
        0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01,
    ];

    /// <summary>CT Image Storage SOP Class UID (PS3.4 Annex B), 25 characters: odd, so it is NUL padded.</summary>
    public const string CTImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    /// <summary>An SOP Instance UID of 40 characters (even, no padding).</summary>
    public const string SampleInstanceUid = "1.2.826.0.1.3680043.8.498.1234567890.123";

    /// <summary>Verification SOP Class UID (PS3.4 Annex A).</summary>
    public const string Verification = "1.2.840.10008.1.1";
}
