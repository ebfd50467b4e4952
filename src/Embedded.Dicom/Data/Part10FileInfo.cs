namespace Embedded.Dicom.Data;

/// <summary>
/// What <see cref="Part10.TryReadFileMetaInformation(System.IO.Stream, out Part10FileInfo, out string?)"/>
/// found in the File Meta Information of a DICOM file (PS3.10 §7.1, Table 7.1-1), and where the data set starts.
/// </summary>
public sealed class Part10FileInfo
{
    /// <summary>(0002,0002) Media Storage SOP Class UID; empty when the element is absent.</summary>
    public DicomUid MediaStorageSopClassUid { get; internal set; }

    /// <summary>(0002,0003) Media Storage SOP Instance UID; empty when the element is absent.</summary>
    public DicomUid MediaStorageSopInstanceUid { get; internal set; }

    /// <summary>(0002,0010) Transfer Syntax UID of the data set that follows (always present: the reader requires it).</summary>
    public DicomUid TransferSyntaxUid { get; internal set; }

    /// <summary>(0002,0012) Implementation Class UID; empty when the element is absent.</summary>
    public DicomUid ImplementationClassUid { get; internal set; }

    /// <summary>(0002,0013) Implementation Version Name without padding, or null when absent.</summary>
    public string? ImplementationVersionName { get; internal set; }

    /// <summary>(0002,0016) Source Application Entity Title without padding, or null when absent.</summary>
    public string? SourceApplicationEntityTitle { get; internal set; }

    /// <summary>
    /// Offset of the first byte after the group 0002 elements, i.e. of the data set, from the start of the
    /// file (the position the stream or handle was read from is offset 0).
    /// </summary>
    public long DataSetOffset { get; internal set; }

    /// <summary>Length of the file in bytes, or -1 when the stream cannot tell (not seekable).</summary>
    public long FileLength { get; internal set; }
}
