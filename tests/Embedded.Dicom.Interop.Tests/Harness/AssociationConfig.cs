using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace Embedded.Dicom.Interop.Tests.Harness;

/// <summary>
/// Writes DCMTK association negotiation profiles (the <c>-xf FILE PROFILE</c> format of storescu.cfg and
/// storescp.cfg). The command-line presets always add the uncompressed syntaxes, so a profile is the only way
/// to make storescu propose exactly one transfer syntax (and have the data set travel in it), or storescp accept
/// exactly one.
/// </summary>
internal static class AssociationConfig
{
    /// <summary>
    /// One profile named <paramref name="profile"/>: each (SOP class, transfer syntaxes) pair becomes a
    /// presentation context. UIDs are accepted where DCMTK's sample files use symbolic names.
    /// </summary>
    public static string Write(string path, string profile, IReadOnlyList<(string SopClass, string[] TransferSyntaxes)> contexts)
    {
        var text = new StringBuilder();
        text.AppendLine("[[TransferSyntaxes]]");
        for (int i = 0; i < contexts.Count; i++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"[Syntaxes{i + 1}]");
            for (int t = 0; t < contexts[i].TransferSyntaxes.Length; t++)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"TransferSyntax{t + 1} = {contexts[i].TransferSyntaxes[t]}");
            }
        }

        text.AppendLine("[[PresentationContexts]]");
        text.AppendLine("[Contexts]");
        for (int i = 0; i < contexts.Count; i++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"PresentationContext{i + 1} = {contexts[i].SopClass}\\Syntaxes{i + 1}");
        }

        text.AppendLine("[[Profiles]]");
        text.AppendLine(CultureInfo.InvariantCulture, $"[{profile}]");
        text.AppendLine("PresentationContexts = Contexts");
        File.WriteAllText(path, text.ToString(), Encoding.ASCII);
        return path;
    }
}
