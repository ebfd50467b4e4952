using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Embedded.Dicom.Generators.Helpers;

/// <summary>
/// A diagnostic kept as plain values (descriptor, file, span, arguments) so that it can travel through the
/// incremental pipeline without holding a syntax tree or a compilation.
/// </summary>
public sealed record DiagnosticInfo
{
    /// <summary>What is reported.</summary>
    public required DiagnosticDescriptor Descriptor { get; init; }

    /// <summary>The file the location is in.</summary>
    public required string FilePath { get; init; }

    /// <summary>The span in the file.</summary>
    public required TextSpan Span { get; init; }

    /// <summary>The line and column span.</summary>
    public required LinePositionSpan LineSpan { get; init; }

    /// <summary>Message format arguments.</summary>
    public required ImmutableEquatableArray<string> Arguments { get; init; }

    /// <summary>Captures a diagnostic at <paramref name="location"/>.</summary>
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] arguments)
    {
        FileLinePositionSpan lineSpan = location?.GetLineSpan() ?? default;
        return new DiagnosticInfo
        {
            Descriptor = descriptor,
            FilePath = lineSpan.Path ?? "",
            Span = location?.SourceSpan ?? default,
            LineSpan = lineSpan.Span,
            Arguments = new ImmutableEquatableArray<string>(arguments),
        };
    }

    /// <summary>Makes the Roslyn diagnostic.</summary>
    public Diagnostic ToDiagnostic()
    {
        Location location = FilePath.Length == 0 ? Location.None : Location.Create(FilePath, Span, LineSpan);
        string[] arguments = new string[Arguments.Count];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Arguments[i];
        }

        return Diagnostic.Create(Descriptor, location, arguments);
    }
}
