using Embedded.Dicom.Generators.Helpers;

namespace Embedded.Dicom.Generators.Model;

/// <summary>One DIMSE message definition, as the emitter needs it.</summary>
/// <remarks>
/// Cacheability contract: only strings, numbers and equatable collections — never a symbol, syntax node or
/// compilation — so that two parses of an unchanged definition compare equal and emission is skipped.
/// </remarks>
public sealed record MessageSpec
{
    /// <summary>Namespace of the type, or empty for the global namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary>Simple name of the struct.</summary>
    public required string TypeName { get; init; }

    /// <summary>The (0000,0100) value.</summary>
    public required ushort CommandField { get; init; }

    /// <summary>Name of the <c>CommandField</c> enum member.</summary>
    public required string CommandFieldName { get; init; }

    /// <summary>Whether the message has a data set, from the standard's table.</summary>
    public required DataSetPresence DataSetPresence { get; init; }

    /// <summary>The declared elements in ascending tag order.</summary>
    public required ImmutableEquatableArray<ElementSpec> Elements { get; init; }
}

/// <summary>One declared command element.</summary>
/// <remarks>Cacheability contract: as <see cref="MessageSpec"/>.</remarks>
public sealed record ElementSpec
{
    /// <summary>The tag.</summary>
    public required uint Tag { get; init; }

    /// <summary>The PS3.6 keyword.</summary>
    public required string Keyword { get; init; }

    /// <summary>The field that holds the value.</summary>
    public required string FieldName { get; init; }

    /// <summary>The VR.</summary>
    public required ValueRepresentation VR { get; init; }

    /// <summary>The usage flags.</summary>
    public required Usage Usage { get; init; }

    /// <summary>True when the field is a Nullable&lt;T&gt; (U and C elements).</summary>
    public bool IsOptional => (Usage & Usage.M) == 0;

    /// <summary>True for "(=)" elements.</summary>
    public bool EchoesRequest => (Usage & Usage.Equal) != 0;
}

/// <summary>A parse result: the spec (null when the definition has errors) and its diagnostics.</summary>
/// <remarks>Cacheability contract: as <see cref="MessageSpec"/>.</remarks>
public sealed record DefinitionResult
{
    /// <summary>The definition, or null when an error prevents emission.</summary>
    public MessageSpec? Spec { get; init; }

    /// <summary>Diagnostics found while parsing.</summary>
    public required ImmutableEquatableArray<DiagnosticInfo> Diagnostics { get; init; }
}
