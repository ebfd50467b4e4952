namespace Embedded.Dicom.Networking.Acse;

/// <summary>Who we are on the wire (PS3.7 D.3.3.2): sent in every A-ASSOCIATE-RQ/AC and written in Part 10 meta groups.</summary>
public static class Implementation
{
    /// <summary>
    /// Our Implementation Class UID: a UUID-derived UID under the 2.25 root (PS3.5 §B.2), fixed for the
    /// product; it changes only when the implementation's wire behaviour does.
    /// </summary>
    public static DicomUid ClassUid { get; } = DicomUid.Parse("2.25.328059505459173253061620588366327503287");

    /// <summary>Implementation Version Name (at most 16 characters).</summary>
    public const string VersionName = "EDICOM_0.1";
}
