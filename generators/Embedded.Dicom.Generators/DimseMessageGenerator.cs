using Microsoft.CodeAnalysis;

namespace Embedded.Dicom.Generators;

/// <summary>
/// Emits the command-set codec of every [DimseMessage] definition (PS3.7 §6.3, §9.3, §10.3), a dispatcher
/// from (0000,0100) to the message types, and the response helpers for "(=)" elements.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class DimseMessageGenerator : IIncrementalGenerator
{
    /// <summary>Metadata name of the attribute that marks a definition.</summary>
    public const string DimseMessageAttributeName = "Embedded.Dicom.DimseMessageAttribute";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<Model.DefinitionResult> results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                DimseMessageAttributeName,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.StructDeclarationSyntax,
                static (ctx, ct) => Parser.Parse(ctx, ct))
            .WithTrackingName(StepNames.Definitions);

        IncrementalValuesProvider<Model.MessageSpec> specs = results
            .Where(static r => r.Spec is not null)
            .Select(static (r, _) => r.Spec!)
            .WithTrackingName(StepNames.MessageSpecs);

        context.RegisterSourceOutput(results.Select(static (r, _) => r.Diagnostics).WithTrackingName(StepNames.Diagnostics),
            static (spc, diagnostics) =>
            {
                foreach (Helpers.DiagnosticInfo diagnostic in diagnostics)
                {
                    spc.ReportDiagnostic(diagnostic.ToDiagnostic());
                }
            });
        context.RegisterSourceOutput(specs, static (spc, spec) => Emitter.EmitCodec(spc, spec));
        context.RegisterSourceOutput(specs.Collect().WithTrackingName(StepNames.AllMessages), static (spc, all) => Emitter.EmitDispatcher(spc, all));
    }

    /// <summary>Tracking names of the pipeline steps, for incrementality tests.</summary>
    public static class StepNames
    {
        /// <summary>The parse of each definition (spec and diagnostics).</summary>
        public const string Definitions = nameof(Definitions);

        /// <summary>The specs that are emitted.</summary>
        public const string MessageSpecs = nameof(MessageSpecs);

        /// <summary>The diagnostics, reported apart from emission.</summary>
        public const string Diagnostics = nameof(Diagnostics);

        /// <summary>All specs together, for the dispatcher.</summary>
        public const string AllMessages = nameof(AllMessages);
    }
}
