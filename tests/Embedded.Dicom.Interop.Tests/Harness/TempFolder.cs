using System;
using System.IO;

namespace Embedded.Dicom.Interop.Tests.Harness;

/// <summary>A fresh folder under the system temp folder, deleted with everything in it on disposal.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(string purpose = "interop")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"edicom-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>Creates (if needed) and returns a sub-folder.</summary>
    public string Sub(string name)
    {
        string path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A path inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a server killed a moment ago may still hold a file.
        }
    }
}
