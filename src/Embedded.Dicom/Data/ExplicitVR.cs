namespace Embedded.Dicom.Data;

/// <summary>Facts about VRs in Explicit VR encodings (PS3.5 §7.1.2).</summary>
internal static class ExplicitVR
{
    /// <summary>True for the VR codes of PS3.5 Table 6.2-1.</summary>
    public static bool IsKnown(ValueRepresentation vr) => vr switch
    {
        ValueRepresentation.AE or ValueRepresentation.AS or ValueRepresentation.AT or ValueRepresentation.CS
            or ValueRepresentation.DA or ValueRepresentation.DS or ValueRepresentation.DT or ValueRepresentation.FD
            or ValueRepresentation.FL or ValueRepresentation.IS or ValueRepresentation.LO or ValueRepresentation.LT
            or ValueRepresentation.OB or ValueRepresentation.OD or ValueRepresentation.OF or ValueRepresentation.OL
            or ValueRepresentation.OV or ValueRepresentation.OW or ValueRepresentation.PN or ValueRepresentation.SH
            or ValueRepresentation.SL or ValueRepresentation.SQ or ValueRepresentation.SS or ValueRepresentation.ST
            or ValueRepresentation.SV or ValueRepresentation.TM or ValueRepresentation.UC or ValueRepresentation.UI
            or ValueRepresentation.UL or ValueRepresentation.UN or ValueRepresentation.UR or ValueRepresentation.US
            or ValueRepresentation.UT or ValueRepresentation.UV => true,
        _ => false,
    };

    /// <summary>
    /// True for the VRs written with two reserved bytes and a u32 length (PS3.5 §7.1.2, Table 7.1-1):
    /// OB OD OF OL OV OW SQ SV UC UN UR UT UV. All others have a u16 length (Table 7.1-2).
    /// </summary>
    public static bool HasLongLength(ValueRepresentation vr) => vr switch
    {
        ValueRepresentation.OB or ValueRepresentation.OD or ValueRepresentation.OF or ValueRepresentation.OL
            or ValueRepresentation.OV or ValueRepresentation.OW or ValueRepresentation.SQ or ValueRepresentation.SV
            or ValueRepresentation.UC or ValueRepresentation.UN or ValueRepresentation.UR or ValueRepresentation.UT
            or ValueRepresentation.UV => true,
        _ => false,
    };
}
