namespace Embedded.Dicom.Data;

/// <summary>How values of each VR are padded and read as text (PS3.5 §6.2, Table 6.2-1).</summary>
internal static class ValueRepresentationFacts
{
    /// <summary>
    /// True for the VRs whose value is character data: AE AS CS DA DS DT IS LO LT PN SH ST TM UC UI UR UT.
    /// </summary>
    public static bool IsText(ValueRepresentation vr) => vr switch
    {
        ValueRepresentation.AE or ValueRepresentation.AS or ValueRepresentation.CS or ValueRepresentation.DA
            or ValueRepresentation.DS or ValueRepresentation.DT or ValueRepresentation.IS or ValueRepresentation.LO
            or ValueRepresentation.LT or ValueRepresentation.PN or ValueRepresentation.SH or ValueRepresentation.ST
            or ValueRepresentation.TM or ValueRepresentation.UC or ValueRepresentation.UI or ValueRepresentation.UR
            or ValueRepresentation.UT => true,
        _ => false,
    };

    /// <summary>
    /// The byte that pads a value to even length (PS3.5 §6.2): NUL for UI, a space for the other text VRs,
    /// 0x00 for OB and UN and every binary VR.
    /// </summary>
    public static byte PaddingByte(ValueRepresentation vr) => vr != ValueRepresentation.UI && IsText(vr) ? (byte)' ' : (byte)0;
}
