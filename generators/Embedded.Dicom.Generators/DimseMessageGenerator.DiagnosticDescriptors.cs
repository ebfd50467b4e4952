using Microsoft.CodeAnalysis;

namespace Embedded.Dicom.Generators;

public sealed partial class DimseMessageGenerator
{
    /// <summary>
    /// Every diagnostic of the generator. IDs are stable and never reused; they are listed with examples in
    /// generators/Embedded.Dicom.Generators/DiagnosticIds.md. Highest ID in use: EDICOM1008.
    /// </summary>
    public static class DiagnosticDescriptors
    {
        private const string Category = "Embedded.Dicom.Generators";

        /// <summary>EDICOM1001: the definition is not a partial struct.</summary>
        public static DiagnosticDescriptor NotPartial { get; } = new(
            "EDICOM1001", "DIMSE message definition must be partial",
            "The DIMSE message definition '{0}' must be declared partial so that its codec can be generated",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>EDICOM1002: the same tag is declared twice.</summary>
        public static DiagnosticDescriptor DuplicateTag { get; } = new(
            "EDICOM1002", "Command element declared twice",
            "'{0}' declares command element {1} more than once (PS3.7 §6.3.1: each element at most once)",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>EDICOM1003: the tag is not a (non-retired) command element.</summary>
        public static DiagnosticDescriptor UnknownCommandTag { get; } = new(
            "EDICOM1003", "Unknown command element",
            "{0} is not a command element of PS3.7 Annex E Table E.1-1{1}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>EDICOM1004: the VR differs from the standard's for a known tag.</summary>
        public static DiagnosticDescriptor WrongVR { get; } = new(
            "EDICOM1004", "Wrong VR for a command element",
            "Command element {0} {1} has VR {2} in PS3.7 Annex E, not {3}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>EDICOM1005: a mandatory element of the message is not declared.</summary>
        public static DiagnosticDescriptor MissingMandatoryElement { get; } = new(
            "EDICOM1005", "Mandatory command element missing",
            "'{0}' ({1}) does not declare the mandatory element {2} {3} as Usage.M",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>EDICOM1006: the field's type does not carry the VR and usage.</summary>
        public static DiagnosticDescriptor WrongFieldType { get; } = new(
            "EDICOM1006", "Field type does not match the element",
            "Field '{0}' holds a {1} element with usage {2} and must be of type {3}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>EDICOM1007: a protocol element the generated code writes is declared.</summary>
        public static DiagnosticDescriptor ProtocolElementDeclared { get; } = new(
            "EDICOM1007", "Protocol element declared",
            "{0} is written by the generated codec of every message; remove its declaration",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>EDICOM1008: the definition's shape is not supported.</summary>
        public static DiagnosticDescriptor UnsupportedDefinition { get; } = new(
            "EDICOM1008", "Unsupported DIMSE message definition",
            "The DIMSE message definition '{0}' is not supported: {1}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    }
}
