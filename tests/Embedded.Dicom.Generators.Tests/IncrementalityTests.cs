using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Embedded.Dicom.Generators.Tests;

public class IncrementalityTests
{
    private static readonly string[] s_trackedSteps =
    [
        DimseMessageGenerator.StepNames.Definitions,
        DimseMessageGenerator.StepNames.MessageSpecs,
        DimseMessageGenerator.StepNames.AllMessages,
    ];

    [Fact]
    public void UnrelatedEdit_LeavesEveryTrackedStepCached()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(
            Definitions.Usings + Definitions.CEchoRequest + Definitions.CEchoResponse, Definitions.Unrelated);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        // Edit the unrelated file and add a new one.
        SyntaxTree unrelated = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation
            .ReplaceSyntaxTree(unrelated, CSharpSyntaxTree.ParseText(Definitions.Unrelated.Replace("value * 2", "value + value"), GeneratorHarness.ParseOptions, unrelated.FilePath))
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Sample.More; public class Other { }", GeneratorHarness.ParseOptions, "More.cs"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in s_trackedSteps)
        {
            var reasons = result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
        }
    }

    [Fact]
    public void DefinitionEdit_ModifiesTheSpecOfThatMessageOnly()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(
            Definitions.Usings + Definitions.CEchoRequest, Definitions.Usings + Definitions.CEchoResponse);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        SyntaxTree response = compilation.SyntaxTrees.Last();
        string changed = Definitions.Usings + Definitions.CEchoResponse.Replace(
            "    [CommandElement(CommandTag.ErrorComment, ValueRepresentation.LO, Usage.C)]\n    public LongString? ErrorComment;\n", "");
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(response, CSharpSyntaxTree.ParseText(changed, GeneratorHarness.ParseOptions, response.FilePath));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var specs = result.TrackedSteps[DimseMessageGenerator.StepNames.MessageSpecs].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Contains(IncrementalStepRunReason.Modified, specs);
        Assert.Contains(specs, r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
        Assert.Contains(result.TrackedSteps[DimseMessageGenerator.StepNames.AllMessages].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void Model_HoldsNoSymbolsOrCompilation()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(
            Definitions.Usings + Definitions.CEchoRequest + Definitions.CEchoResponse + Definitions.NGetRequest,
            Definitions.Usings + Definitions.CEchoRequest.Replace("public partial struct", "public struct").Replace("CEchoRequest", "Broken"));
        GeneratorRunResult result = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();

        int walked = 0;
        foreach (IncrementalGeneratorRunStep step in result.TrackedSteps[DimseMessageGenerator.StepNames.Definitions])
        {
            foreach (var (value, _) in step.Outputs)
            {
                Walk(value, new HashSet<object>(ReferenceEqualityComparer.Instance));
                walked++;
            }
        }

        Assert.Equal(4, walked); // three valid definitions and one with a diagnostic
    }

    private static void Walk(object? node, HashSet<object> visited)
    {
        if (node is null || node is string || node.GetType().IsPrimitive || node.GetType().IsEnum || !visited.Add(node))
        {
            return;
        }

        Type type = node.GetType();
        Assert.False(node is ISymbol, $"{type} is a symbol");
        Assert.False(node is Compilation, $"{type} is a compilation");
        Assert.False(node is SyntaxNode or SyntaxTree, $"{type} is syntax");
        if (node is DiagnosticDescriptor or Microsoft.CodeAnalysis.Text.TextSpan or Microsoft.CodeAnalysis.Text.LinePositionSpan)
        {
            return; // plain values
        }

        if (node is IEnumerable sequence)
        {
            foreach (object? item in sequence)
            {
                Walk(item, visited);
            }
        }

        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Walk(field.GetValue(node), visited);
        }
    }
}
