using System;
using System.IO;
using Embedded.Dicom.Device;

namespace Embedded.Dicom.Cli;

/// <summary>A board profile failed to load or its hardware failed to open; the message says which file and field, or which driver.</summary>
internal sealed class BoardException(string message) : Exception(message);

/// <summary>
/// The board <c>edicom agent --board NAME</c> runs on: its profile found by name (or path) and its inputs and
/// outputs opened with the driver the profile names — never detected.
/// </summary>
internal sealed class BoardSession : IDisposable
{
    private readonly DeviceBoard? _board;

    private BoardSession(DeviceBoard? board) => _board = board;

    public string Name => _board?.Profile.Name ?? "none";

    public IStatusInputs? Inputs => _board?.Inputs;

    public IStatusOutputs? Outputs => _board?.Outputs;

    /// <summary>For simulated boards: drives an input; null on success, else the reason.</summary>
    public Func<string, bool, string?>? Simulate => _board is { IsSimulated: true } board
        ? (name, active) => board.TrySimulateInput(name, active, out string? error) ? null : error
        : null;

    /// <summary>
    /// NAME is a path to a board.json or to a folder holding one, or a board name looked up in $EDICOM_BOARDS,
    /// next to the executable (boards/ and ../share/edicom/boards/), /usr/share/edicom/boards, and the boards/
    /// folder of the current directory or any parent (a source checkout). No name: no inputs or outputs.
    /// </summary>
    public static BoardSession Open(string? name)
    {
        if (name is null)
        {
            return new BoardSession(null);
        }

        string path = Find(name) ?? throw new BoardException($"board '{name}' not found (looked for {name}/board.json in $EDICOM_BOARDS, {AppContext.BaseDirectory}boards, /usr/share/edicom/boards and ./boards upwards)");
        try
        {
            return new BoardSession(DeviceBoard.Open(BoardProfile.Load(path)));
        }
        catch (Exception e) when (e is BoardProfileException or BoardOpenException)
        {
            throw new BoardException(e.Message);
        }
    }

    public void Dispose() => _board?.Dispose();

    private static string? Find(string name)
    {
        if (File.Exists(name))
        {
            return Path.GetFullPath(name);
        }

        if (File.Exists(Path.Combine(name, "board.json")))
        {
            return Path.GetFullPath(Path.Combine(name, "board.json"));
        }

        if (name.Contains('/', StringComparison.Ordinal) || name.StartsWith('.'))
        {
            return null;
        }

        foreach (string? root in (ReadOnlySpan<string?>)[Environment.GetEnvironmentVariable("EDICOM_BOARDS"), Path.Combine(AppContext.BaseDirectory, "boards"),
            Path.Combine(AppContext.BaseDirectory, "..", "share", "edicom", "boards"), "/usr/share/edicom/boards"])
        {
            if (root is not null && File.Exists(Path.Combine(root, name, "board.json")))
            {
                return Path.GetFullPath(Path.Combine(root, name, "board.json"));
            }
        }

        for (DirectoryInfo? directory = new(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "boards", name, "board.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
