using System.Text;

namespace Embedded.Dicom.Generators.Helpers;

/// <summary>Writes indented C# source, one line at a time.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public void WriteLine(string line = "")
    {
        if (line.Length > 0)
        {
            _builder.Append(' ', _indent * 4);
        }

        _builder.Append(line).Append('\n');
    }

    public void OpenBlock(string? header = null)
    {
        if (header is not null)
        {
            WriteLine(header);
        }

        WriteLine("{");
        _indent++;
    }

    public void CloseBlock(string suffix = "")
    {
        _indent--;
        WriteLine("}" + suffix);
    }

    public override string ToString() => _builder.ToString();
}
