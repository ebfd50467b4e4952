using Microsoft.CodeAnalysis;

namespace Embedded.Dicom.Generators;

/// <summary>Emits the command-set codec of every [DimseMessage] definition.</summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class DimseMessageGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
