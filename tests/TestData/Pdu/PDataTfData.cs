using System;

namespace Embedded.Dicom.TestData;

/// <summary>Golden P-DATA-TF PDUs (PS3.8 §9.3.5).</summary>
public static class PDataTfData
{
    /// <summary>Length of the command fragment carried by <see cref="CEchoRequest"/>.</summary>
    public const int CEchoRequestFragmentLength = 68;

    /// <summary>
    /// A P-DATA-TF carrying a whole C-ECHO-RQ command set, 80 bytes (shared DICOM reference §1.4; identical to
    /// pynetdicom's encoder output). Decoded fields:
    /// <list type="bullet">
    /// <item>PDU type 0x04, PDU-length 0x4A = 74</item>
    /// <item>one PDV item: item-length 0x46 = 70, presentation context ID 1, message control header 0x03 (command,
    /// last fragment)</item>
    /// <item>fragment, 68 bytes of command set (Implicit VR Little Endian): (0000,0000) CommandGroupLength = 56;
    /// (0000,0002) AffectedSOPClassUID "1.2.840.10008.1.1\0"; (0000,0100) CommandField 0x0030 (C-ECHO-RQ);
    /// (0000,0110) MessageID 1; (0000,0800) CommandDataSetType 0x0101 (no data set)</item>
    /// </list>
    /// </summary>
    public static ReadOnlySpan<byte> CEchoRequest =>
    [
        0x04, 0x00, 0x00, 0x00, 0x00, 0x4A,                                     // type 4, reserved, PDU-length 74
        0x00, 0x00, 0x00, 0x46, 0x01, 0x03,                                     // PDV: length 70, context 1, header 0x03
        0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00, // (0000,0000) UL 56
        0x00, 0x00, 0x02, 0x00, 0x12, 0x00, 0x00, 0x00,                         // (0000,0002) length 18
        0x31, 0x2E, 0x32, 0x2E, 0x38, 0x34, 0x30, 0x2E, 0x31,                   // "1.2.840.10008.1.1\0"
        0x30, 0x30, 0x30, 0x38, 0x2E, 0x31, 0x2E, 0x31, 0x00,
        0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x30, 0x00,             // (0000,0100) US 0x0030
        0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00,             // (0000,0110) US 1
        0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01,             // (0000,0800) US 0x0101
    ];
}
