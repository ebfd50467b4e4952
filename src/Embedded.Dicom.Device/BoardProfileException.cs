using System;

namespace Embedded.Dicom.Device;

/// <summary>
/// A board profile is malformed. The message names the file and the JSON field, e.g.
/// <c>boards/rpi4/board.json: inputs[1].line: must be 0..53, got 99</c>.
/// </summary>
public sealed class BoardProfileException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The file (or other source name) the profile was read from.</param>
    /// <param name="problem">The field path and what is wrong with it.</param>
    /// <param name="innerException">The JSON reader's exception, if any.</param>
    public BoardProfileException(string source, string problem, Exception? innerException = null)
        : base($"{source}: {problem}", innerException)
    {
        ProfileSource = source;
        Problem = problem;
    }

    /// <summary>The file (or other source name) the profile was read from.</summary>
    public string ProfileSource { get; }

    /// <summary>The message without the source prefix: the field path and what is wrong with it.</summary>
    public string Problem { get; }
}
