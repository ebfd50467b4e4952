using System;

namespace Embedded.Dicom;

/// <summary>
/// Declares a partial struct as the definition of one DIMSE message (PS3.7 §9.3, §10.3). The
/// Embedded.Dicom generator emits its command-set encoder and decoder and adds it to the
/// CommandField dispatch. The protocol elements every message carries — (0000,0000) CommandGroupLength,
/// (0000,0100) CommandField and (0000,0800) CommandDataSetType — are handled by the generated code and
/// are not declared; the other elements are declared with <see cref="CommandElementAttribute"/> on fields.
/// </summary>
/// <remarks>Linked source: compiled into the runtime and into the netstandard2.0 generator.</remarks>
[AttributeUsage(AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class DimseMessageAttribute : Attribute
{
    /// <summary>Declares the message carried by the command field <paramref name="commandField"/>.</summary>
    public DimseMessageAttribute(CommandField commandField) => CommandField = commandField;

    /// <summary>The (0000,0100) value of this message.</summary>
    public CommandField CommandField { get; }
}

/// <summary>
/// Declares a field of a <see cref="DimseMessageAttribute"/> type as one command element: its tag, VR and
/// usage in this message as the PS3.7 table gives them. The field type follows from the VR
/// (UL → uint, US → ushort, UI → DicomUid, AE → AeTitle, LO → LongString, AT → DicomTagList) and is
/// nullable for U and C elements.
/// </summary>
/// <remarks>Linked source: compiled into the runtime and into the netstandard2.0 generator.</remarks>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class CommandElementAttribute : Attribute
{
    /// <summary>Declares the element (gggg,eeee) = <paramref name="tag"/>.</summary>
    public CommandElementAttribute(uint tag, ValueRepresentation vr, Usage usage)
    {
        Tag = tag;
        VR = vr;
        Usage = usage;
    }

    /// <summary>The tag, group in the high 16 bits.</summary>
    public uint Tag { get; }

    /// <summary>The value representation (PS3.7 Annex E).</summary>
    public ValueRepresentation VR { get; }

    /// <summary>The usage in this message.</summary>
    public Usage Usage { get; }
}
