using System;

namespace Embedded.Dicom.TestData;

/// <summary>Golden A-ASSOCIATE-RQ PDUs (PS3.8 §9.3.2).</summary>
public static class AAssociateRequestData
{
    /// <summary>Called AE title of <see cref="MinimalVerification"/>.</summary>
    public const string MinimalVerificationCalledAeTitle = "ANY-SCP";

    /// <summary>Calling AE title of <see cref="MinimalVerification"/>.</summary>
    public const string MinimalVerificationCallingAeTitle = "ECHOSCU";

    /// <summary>
    /// A minimal A-ASSOCIATE-RQ, 180 bytes (shared DICOM reference §4.10; decoded and re-encoded byte-identically by
    /// pynetdicom). Decoded fields:
    /// <list type="bullet">
    /// <item>PDU type 0x01, PDU-length 0xAE = 174; protocol version 1</item>
    /// <item>called AE "ANY-SCP", calling AE "ECHOSCU" (space padded to 16), 32 reserved zero bytes</item>
    /// <item>Application Context item 0x10, length 21: "1.2.840.10008.3.1.1.1"</item>
    /// <item>Presentation Context item 0x20, length 46: ID 1; abstract syntax 0x30 (length 17) "1.2.840.10008.1.1"
    /// (Verification); transfer syntax 0x40 (length 17) "1.2.840.10008.1.2" (Implicit VR Little Endian)</item>
    /// <item>User Information item 0x50, length 27: Maximum Length 0x51 = 16384; Implementation Class UID 0x52
    /// "1.2.3.4" (odd length, unpadded); Implementation Version Name 0x55 "TEST"</item>
    /// </list>
    /// </summary>
    public static ReadOnlySpan<byte> MinimalVerification =>
    [
        0x01, 0x00, 0x00, 0x00, 0x00, 0xAE,                                     // type 1, reserved, PDU-length 174
        0x00, 0x01, 0x00, 0x00,                                                 // protocol version 1, reserved
        0x41, 0x4E, 0x59, 0x2D, 0x53, 0x43, 0x50, 0x20,                         // called AE "ANY-SCP"
        0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
        0x45, 0x43, 0x48, 0x4F, 0x53, 0x43, 0x55, 0x20,                         // calling AE "ECHOSCU"
        0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,                         // 32 reserved bytes
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x10, 0x00, 0x00, 0x15,                                                 // Application Context item, length 21
        0x31, 0x2E, 0x32, 0x2E, 0x38, 0x34, 0x30, 0x2E, 0x31, 0x30, 0x30,       // "1.2.840.10008.3.1.1.1"
        0x30, 0x38, 0x2E, 0x33, 0x2E, 0x31, 0x2E, 0x31, 0x2E, 0x31,
        0x20, 0x00, 0x00, 0x2E,                                                 // Presentation Context item, length 46
        0x01, 0x00, 0x00, 0x00,                                                 // ID 1, 3 reserved
        0x30, 0x00, 0x00, 0x11,                                                 // Abstract Syntax, length 17
        0x31, 0x2E, 0x32, 0x2E, 0x38, 0x34, 0x30, 0x2E, 0x31,                   // "1.2.840.10008.1.1"
        0x30, 0x30, 0x30, 0x38, 0x2E, 0x31, 0x2E, 0x31,
        0x40, 0x00, 0x00, 0x11,                                                 // Transfer Syntax, length 17
        0x31, 0x2E, 0x32, 0x2E, 0x38, 0x34, 0x30, 0x2E, 0x31,                   // "1.2.840.10008.1.2"
        0x30, 0x30, 0x30, 0x38, 0x2E, 0x31, 0x2E, 0x32,
        0x50, 0x00, 0x00, 0x1B,                                                 // User Information item, length 27
        0x51, 0x00, 0x00, 0x04, 0x00, 0x00, 0x40, 0x00,                         // Maximum Length 16384
        0x52, 0x00, 0x00, 0x07, 0x31, 0x2E, 0x32, 0x2E, 0x33, 0x2E, 0x34,       // Implementation Class UID "1.2.3.4"
        0x55, 0x00, 0x00, 0x04, 0x54, 0x45, 0x53, 0x54,                         // Implementation Version Name "TEST"
    ];
}
