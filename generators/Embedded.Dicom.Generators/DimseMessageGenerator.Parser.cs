using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Embedded.Dicom.Generators.Helpers;
using Embedded.Dicom.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Embedded.Dicom.Generators;

public sealed partial class DimseMessageGenerator
{
    /// <summary>Turns one attributed struct into a <see cref="DefinitionResult"/>; all semantic work happens here, once.</summary>
    internal static class Parser
    {
        private const string CommandElementAttributeName = "Embedded.Dicom.CommandElementAttribute";

        public static DefinitionResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var syntax = (TypeDeclarationSyntax)context.TargetNode;
            Location typeLocation = syntax.Identifier.GetLocation();

            if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, typeLocation, type.Name));
            }

            if (type.ContainingType is not null || type.IsGenericType || type.IsReadOnly || type.IsRefLikeType)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDefinition, typeLocation, type.Name,
                    "declare a top-level, non-generic, non-readonly, non-ref partial struct"));
            }

            AttributeData attribute = context.Attributes[0];
            ushort commandField = attribute.ConstructorArguments.Length == 1 ? (ushort)ToUInt32(attribute.ConstructorArguments[0].Value) : (ushort)0;
            var field = (CommandField)commandField;
            if (!CommandDictionary.IsDefined(field))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDefinition, typeLocation, type.Name,
                    string.Format(CultureInfo.InvariantCulture, "0x{0:X4} is not a command field of PS3.7", commandField)));
            }

            var elements = new List<ElementSpec>();
            var seen = new HashSet<uint>();
            foreach (ISymbol member in type.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member is not IFieldSymbol fieldSymbol)
                {
                    continue;
                }

                foreach (AttributeData data in fieldSymbol.GetAttributes())
                {
                    if (data.AttributeClass?.ToDisplayString() != CommandElementAttributeName || data.ConstructorArguments.Length != 3)
                    {
                        continue;
                    }

                    Location location = data.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation()
                        ?? fieldSymbol.Locations[0];
                    uint tag = ToUInt32(data.ConstructorArguments[0].Value);
                    var vr = (ValueRepresentation)ToUInt32(data.ConstructorArguments[1].Value);
                    var usage = (Usage)ToUInt32(data.ConstructorArguments[2].Value);
                    string tagText = FormatTag(tag);

                    if (tag is CommandTag.CommandGroupLength or CommandTag.CommandField or CommandTag.CommandDataSetType)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ProtocolElementDeclared, location, tagText + " " + CommandDictionary.GetKeyword(tag)));
                        continue;
                    }

                    if (!CommandDictionary.TryGetElement(tag, out ValueRepresentation standardVR, out string keyword, out bool retired) || retired)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownCommandTag, location, tagText,
                            retired ? " (it is retired: Table E.2-1)" : ""));
                        continue;
                    }

                    if (!seen.Add(tag))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateTag, location, type.Name, tagText));
                        continue;
                    }

                    if (vr != standardVR)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongVR, location, tagText, keyword, standardVR.ToString(), vr.ToString()));
                        continue;
                    }

                    bool optional = (usage & Usage.M) == 0;
                    string expectedType = ExpectedFieldType(vr) + (optional ? "?" : "");
                    if (!FieldTypeMatches(fieldSymbol.Type, ExpectedFieldType(vr), optional))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongFieldType, fieldSymbol.Locations[0],
                            fieldSymbol.Name, vr.ToString(), UsageText(usage), expectedType));
                        continue;
                    }

                    elements.Add(new ElementSpec
                    {
                        Tag = tag,
                        Keyword = keyword,
                        FieldName = fieldSymbol.Name,
                        VR = vr,
                        Usage = usage,
                    });
                }
            }

            foreach (uint mandatory in CommandDictionary.GetMandatoryElements(field))
            {
                // A tag already reported for its VR or field type is not reported again as missing.
                bool declaredOptional = false;
                foreach (ElementSpec element in elements)
                {
                    declaredOptional |= element.Tag == mandatory && element.IsOptional;
                }

                if (!seen.Contains(mandatory) || declaredOptional)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingMandatoryElement, typeLocation,
                        type.Name, field.ToString(), FormatTag(mandatory), CommandDictionary.GetKeyword(mandatory)));
                }
            }

            elements.Sort((a, b) => a.Tag.CompareTo(b.Tag));
            MessageSpec? spec = null;
            if (diagnostics.Count == 0)
            {
                spec = new MessageSpec
                {
                    Namespace = type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString(),
                    TypeName = type.Name,
                    CommandField = commandField,
                    CommandFieldName = field.ToString(),
                    DataSetPresence = CommandDictionary.GetDataSetPresence(field),
                    Elements = new ImmutableEquatableArray<ElementSpec>(elements),
                };
            }

            return new DefinitionResult { Spec = spec, Diagnostics = new ImmutableEquatableArray<DiagnosticInfo>(diagnostics) };
        }

        // Attribute arguments arrive boxed as the constant's type (an enum's underlying type, or int for a
        // literal that fits); widen whatever integral type came.
        private static uint ToUInt32(object? value) => value switch
        {
            uint u => u,
            int i => unchecked((uint)i),
            ushort s => s,
            short s => unchecked((ushort)s),
            byte b => b,
            long l => unchecked((uint)l),
            ulong l => unchecked((uint)l),
            _ => 0,
        };

        internal static string FormatTag(uint tag)
            => string.Format(CultureInfo.InvariantCulture, "({0:X4},{1:X4})", tag >> 16, tag & 0xFFFF);

        internal static string ExpectedFieldType(ValueRepresentation vr) => vr switch
        {
            ValueRepresentation.UL => "uint",
            ValueRepresentation.US => "ushort",
            ValueRepresentation.UI => "global::Embedded.Dicom.DicomUid",
            ValueRepresentation.AE => "global::Embedded.Dicom.AeTitle",
            ValueRepresentation.LO => "global::Embedded.Dicom.LongString",
            ValueRepresentation.AT => "global::Embedded.Dicom.DicomTagList",
            _ => "?",
        };

        private static bool FieldTypeMatches(ITypeSymbol type, string expected, bool optional)
        {
            if (optional)
            {
                if (type is not INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
                {
                    return false;
                }

                type = nullable.TypeArguments[0];
            }

            return type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) == expected;
        }

        private static string UsageText(Usage usage)
        {
            string text = (usage & Usage.M) != 0 ? "M" : (usage & Usage.U) != 0 ? "U" : "C";
            return (usage & Usage.Equal) != 0 ? text + "(=)" : text;
        }
    }
}
