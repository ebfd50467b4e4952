namespace Embedded.Dicom.Data;

/// <summary>
/// The character sets of Specific Character Set (0008,0005) that this library decodes and encodes
/// (PS3.3 C.12.1.1.2, PS3.5 §6.1). See <see cref="SpecificCharacterSetCodec"/>.
/// </summary>
public enum SpecificCharacterSet : byte
{
    /// <summary>The default repertoire (ISO-IR 6, ASCII): (0008,0005) absent, empty, "ISO_IR 6" or "ISO 2022 IR 6".</summary>
    Default = 0,

    /// <summary>"ISO_IR 100" (or "ISO 2022 IR 100"): ISO 8859-1, Latin alphabet No. 1.</summary>
    IsoIr100 = 1,

    /// <summary>"ISO_IR 192": Unicode in UTF-8.</summary>
    IsoIr192 = 2,

    /// <summary>
    /// Any other value of (0008,0005), multi-valued ones (ISO 2022 code extensions) included. Decoding falls
    /// back to ISO 8859-1, which maps every byte to a character and so never fails; this value is the flag
    /// that tells the caller the text may be wrong. It cannot be used to encode.
    /// </summary>
    Unrecognized = 255,
}
