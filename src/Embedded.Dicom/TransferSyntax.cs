using System;

namespace Embedded.Dicom;

/// <summary>
/// A transfer syntax (PS3.5 §10): the UID and the three encoding choices it fixes for a data set, namely
/// implicit or explicit VR (§7.1), byte order (§7.3) and whether the whole data set is deflated (§A.5);
/// plus whether pixel data is encapsulated (§A.4). The registered syntaxes (PS3.6 Table A-1) are shared
/// instances, generated into <c>TransferSyntax.Generated.cs</c>; <see cref="Lookup"/> finds them by UID.
/// </summary>
public sealed partial class TransferSyntax : IEquatable<TransferSyntax>
{
    private TransferSyntax(DicomUid uid, string name, bool explicitVR, bool littleEndian, bool deflated, bool encapsulated, bool retired)
    {
        Uid = uid;
        Name = name;
        IsExplicitVR = explicitVR;
        IsLittleEndian = littleEndian;
        IsDeflated = deflated;
        IsEncapsulated = encapsulated;
        IsRetired = retired;
    }

    private TransferSyntax(string uid, string name, bool explicitVR, bool littleEndian, bool deflated, bool encapsulated, bool retired)
        : this(DicomUid.Parse(uid), name, explicitVR, littleEndian, deflated, encapsulated, retired)
    {
    }

    /// <summary>The transfer syntax UID.</summary>
    public DicomUid Uid { get; }

    /// <summary>The PS3.6 name, or the UID text for a syntax that is not in the registry.</summary>
    public string Name { get; }

    /// <summary>True when elements carry their VR (PS3.5 §7.1.2); false for Implicit VR (§7.1.3).</summary>
    public bool IsExplicitVR { get; }

    /// <summary>True for little endian byte order (PS3.5 §7.3); false only for the retired Explicit VR Big Endian.</summary>
    public bool IsLittleEndian { get; }

    /// <summary>True when the data set is compressed with raw deflate after the file meta information (PS3.5 §A.5).</summary>
    public bool IsDeflated { get; }

    /// <summary>
    /// True when pixel data is encapsulated (PS3.5 §A.4): every transfer syntax other than the native ones
    /// (Implicit VR LE, Explicit VR LE, Deflated Explicit VR LE, Explicit VR BE) is treated so, as PS3.5 §10
    /// defines all further syntaxes as explicit VR little endian with encapsulated pixel data.
    /// </summary>
    public bool IsEncapsulated { get; }

    /// <summary>True when PS3.6 marks the transfer syntax as retired.</summary>
    public bool IsRetired { get; }

    /// <summary>
    /// The shared instance for a registered transfer syntax UID. For any other UID (a private or future
    /// syntax) a new instance is returned that is explicit VR little endian with encapsulated pixel data,
    /// which is what PS3.5 §10 requires of every non-native transfer syntax; its <see cref="Name"/> is the UID.
    /// </summary>
    public static TransferSyntax Lookup(in DicomUid uid)
    {
        ReadOnlySpan<byte> value = uid.Span;
        foreach (TransferSyntax known in s_known)
        {
            if (known.Uid.Equals(value))
            {
                return known;
            }
        }

        return new TransferSyntax(uid, uid.ToString(), explicitVR: true, littleEndian: true, deflated: false, encapsulated: true, retired: false);
    }

    /// <summary>Equality of UIDs.</summary>
    public bool Equals(TransferSyntax? other) => other is not null && Uid.Equals(other.Uid);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TransferSyntax);

    /// <inheritdoc/>
    public override int GetHashCode() => Uid.GetHashCode();

    /// <summary>The name and the UID, for messages to people.</summary>
    public override string ToString() => Name == Uid.ToString() ? Name : $"{Name} ({Uid})";
}
