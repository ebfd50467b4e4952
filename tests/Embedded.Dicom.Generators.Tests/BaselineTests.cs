using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Embedded.Dicom.Generators.Tests;

/// <summary>
/// Compares every generated file with Baselines/{TestId}/{HintName}.txt. To regenerate after an intended
/// change of the emitter, run the tests with EDICOM_REGENERATE_BASELINES=1: the files are rewritten in the
/// source tree, stale ones deleted, and the test passes; review the diff before committing it.
/// </summary>
public class BaselineTests
{
    [Fact]
    public void CEchoPair() => Verify(nameof(CEchoPair), Definitions.CEchoRequest + Definitions.CEchoResponse);

    [Fact]
    public void NGetRequestWithTagList() => Verify(nameof(NGetRequestWithTagList), Definitions.NGetRequest);

    [Fact]
    public void CMoveRequestWithAeTitle() => Verify(nameof(CMoveRequestWithAeTitle), Definitions.CMoveRequest);

    private static void Verify(string testId, string definitions, [CallerFilePath] string thisFile = "")
    {
        var (result, _) = GeneratorHarness.Run(Definitions.Usings + definitions);
        Assert.Empty(result.Diagnostics);
        var generated = result.Results.Single().GeneratedSources;
        Assert.NotEmpty(generated);

        bool regenerate = Environment.GetEnvironmentVariable("EDICOM_REGENERATE_BASELINES") == "1";
        string directory = regenerate
            ? Path.Combine(Path.GetDirectoryName(thisFile)!, "Baselines", testId)
            : Path.Combine(AppContext.BaseDirectory, "Baselines", testId);
        if (regenerate)
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Directory.CreateDirectory(directory);
            foreach (GeneratedSourceResult source in generated)
            {
                File.WriteAllText(Path.Combine(directory, source.HintName + ".txt"), source.SourceText.ToString());
            }

            return;
        }

        Assert.True(Directory.Exists(directory), $"no baselines for {testId}; run with EDICOM_REGENERATE_BASELINES=1");
        var expectedFiles = Directory.GetFiles(directory, "*.txt").Select(f => Path.GetFileName(f)!).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var actualFiles = generated.Select(s => s.HintName + ".txt").OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(expectedFiles, actualFiles);
        foreach (GeneratedSourceResult source in generated)
        {
            string expected = File.ReadAllText(Path.Combine(directory, source.HintName + ".txt"));
            Assert.Equal(expected, source.SourceText.ToString());
        }
    }
}
