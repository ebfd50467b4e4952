using System;

namespace Embedded.Dicom.TestData;

/// <summary>Golden A-ASSOCIATE-AC PDUs (PS3.8 §9.3.3).</summary>
public static class AAssociateAcceptData
{
    /// <summary>
    /// An A-ASSOCIATE-AC, 171 bytes, with one accepted and one rejected context; its reserved AE fields hold the
    /// titles of <see cref="AAssociateRequestData.MinimalVerification"/>. Assembled field by field from PS3.8 Tables 9-17 … 9-20 (lengths
    /// computed by a script); unlike the RQ fixture it was not checked against another implementation. Decoded fields:
    /// <list type="bullet">
    /// <item>PDU type 0x02, PDU-length 0xA5 = 165; protocol version 1</item>
    /// <item>reserved AE fields echo the request: called "ANY-SCP", calling "ECHOSCU"</item>
    /// <item>Application Context item 0x10, length 21: "1.2.840.10008.3.1.1.1"</item>
    /// <item>Presentation Context item 0x21, length 25: ID 1, result 0 (acceptance), transfer syntax
    /// "1.2.840.10008.1.2"</item>
    /// <item>Presentation Context item 0x21, length 8: ID 3, result 3 (abstract syntax not supported), transfer
    /// syntax sub-item of length 0</item>
    /// <item>User Information item 0x50, length 27: Maximum Length 16384; Implementation Class UID "1.2.3.4";
    /// Implementation Version Name "TEST"</item>
    /// </list>
    /// </summary>
    public static ReadOnlySpan<byte> AcceptedAndRejectedContext =>
    [
        0x02, 0x00, 0x00, 0x00, 0x00, 0xA5,                                     // type 2, reserved, PDU-length 165
        0x00, 0x01, 0x00, 0x00,                                                 // protocol version 1, reserved
        0x41, 0x4E, 0x59, 0x2D, 0x53, 0x43, 0x50, 0x20,                         // called AE "ANY-SCP" (echoed)
        0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
        0x45, 0x43, 0x48, 0x4F, 0x53, 0x43, 0x55, 0x20,                         // calling AE "ECHOSCU" (echoed)
        0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,                         // 32 reserved bytes
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x10, 0x00, 0x00, 0x15,                                                 // Application Context item, length 21
        0x31, 0x2E, 0x32, 0x2E, 0x38, 0x34, 0x30, 0x2E, 0x31, 0x30, 0x30,       // "1.2.840.10008.3.1.1.1"
        0x30, 0x38, 0x2E, 0x33, 0x2E, 0x31, 0x2E, 0x31, 0x2E, 0x31,
        0x21, 0x00, 0x00, 0x19,                                                 // Presentation Context (AC), length 25
        0x01, 0x00, 0x00, 0x00,                                                 // ID 1, reserved, result 0, reserved
        0x40, 0x00, 0x00, 0x11,                                                 // Transfer Syntax, length 17
        0x31, 0x2E, 0x32, 0x2E, 0x38, 0x34, 0x30, 0x2E, 0x31,                   // "1.2.840.10008.1.2"
        0x30, 0x30, 0x30, 0x38, 0x2E, 0x31, 0x2E, 0x32,
        0x21, 0x00, 0x00, 0x08,                                                 // Presentation Context (AC), length 8
        0x03, 0x00, 0x03, 0x00,                                                 // ID 3, reserved, result 3, reserved
        0x40, 0x00, 0x00, 0x00,                                                 // Transfer Syntax, length 0
        0x50, 0x00, 0x00, 0x1B,                                                 // User Information item, length 27
        0x51, 0x00, 0x00, 0x04, 0x00, 0x00, 0x40, 0x00,                         // Maximum Length 16384
        0x52, 0x00, 0x00, 0x07, 0x31, 0x2E, 0x32, 0x2E, 0x33, 0x2E, 0x34,       // Implementation Class UID "1.2.3.4"
        0x55, 0x00, 0x00, 0x04, 0x54, 0x45, 0x53, 0x54,                         // Implementation Version Name "TEST"
    ];
}
