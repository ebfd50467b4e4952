using System;
using System.IO;

namespace Embedded.Dicom.Device.Tests;

internal static class TestProfiles
{
    /// <summary>A simulated board: JSON written with single quotes for readability.</summary>
    public static BoardProfile Sim(string inputs, string outputs = "[]", string? mcp23017 = null) =>
        BoardProfile.Parse(
            $"{{ 'name': 'test', 'rid': 'linux-x64', 'gpio': {{ 'driver': 'sim' }}, {(mcp23017 is null ? "" : $"'mcp23017': {mcp23017}, ")}'inputs': {inputs}, 'outputs': {outputs} }}".Replace('\'', '"'),
            "test.json");

    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Embedded.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Embedded.sln not found above {AppContext.BaseDirectory}");
    }
}
