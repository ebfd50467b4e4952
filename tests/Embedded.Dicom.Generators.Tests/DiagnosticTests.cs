using System.Linq;
using Microsoft.CodeAnalysis;

namespace Embedded.Dicom.Generators.Tests;

/// <summary>One test per diagnostic descriptor: its ID, and that it points at the offending declaration.</summary>
public class DiagnosticTests
{
    private static void AssertSingle(string body, string id, string locatedAt)
    {
        string source = Definitions.Usings + body;
        var (result, _) = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        int expectedStart = source.IndexOf(locatedAt, System.StringComparison.Ordinal);
        Assert.True(expectedStart >= 0);
        Assert.Equal(expectedStart, diagnostic.Location.SourceSpan.Start);
        Assert.Empty(result.GeneratedTrees.Where(t => t.FilePath.Contains("Codec")));
    }

    [Fact]
    public void NonPartialStruct_ReportsEDICOM1001()
        => AssertSingle(Definitions.CEchoRequest.Replace("public partial struct CEchoRequest", "public struct CEchoRequest"), "EDICOM1001", "CEchoRequest\n");

    [Fact]
    public void DuplicateTag_ReportsEDICOM1002()
        => AssertSingle(Definitions.CEchoRequest.Replace("    public DicomUid AffectedSOPClassUID;", "    public DicomUid AffectedSOPClassUID;\n    [CommandElement(0x0000_0110u, ValueRepresentation.US, Usage.M)]\n    public ushort Again;"),
            "EDICOM1002", "CommandElement(0x0000_0110u");

    [Fact]
    public void UnknownTag_ReportsEDICOM1003()
        => AssertSingle(Definitions.CEchoRequest.Replace("    public DicomUid AffectedSOPClassUID;", "    public DicomUid AffectedSOPClassUID;\n    [CommandElement(0x0000_7777u, ValueRepresentation.US, Usage.U)]\n    public ushort? Unknown;"),
            "EDICOM1003", "CommandElement(0x0000_7777u");

    [Fact]
    public void RetiredTag_ReportsEDICOM1003()
        => AssertSingle(Definitions.CEchoRequest.Replace("    public DicomUid AffectedSOPClassUID;", "    public DicomUid AffectedSOPClassUID;\n    [CommandElement(0x0000_0850u, ValueRepresentation.US, Usage.U)]\n    public ushort? NumberOfMatches;"),
            "EDICOM1003", "CommandElement(0x0000_0850u");

    [Fact]
    public void WrongVR_ReportsEDICOM1004()
        => AssertSingle(Definitions.CEchoRequest.Replace("CommandElement(CommandTag.MessageID, ValueRepresentation.US", "CommandElement(CommandTag.MessageID, ValueRepresentation.UL"),
            "EDICOM1004", "CommandElement(CommandTag.MessageID");

    [Fact]
    public void MandatoryElementMissing_ReportsEDICOM1005()
        => AssertSingle(Definitions.CEchoRequest.Replace("    [CommandElement(CommandTag.AffectedSOPClassUID, ValueRepresentation.UI, Usage.M)]\n    public DicomUid AffectedSOPClassUID;\n", ""),
            "EDICOM1005", "CEchoRequest\n");

    [Fact]
    public void MandatoryElementDeclaredOptional_ReportsEDICOM1005()
        => AssertSingle(Definitions.CEchoRequest.Replace("ValueRepresentation.UI, Usage.M)]\n    public DicomUid AffectedSOPClassUID;", "ValueRepresentation.UI, Usage.U)]\n    public DicomUid? AffectedSOPClassUID;"),
            "EDICOM1005", "CEchoRequest\n");

    [Fact]
    public void WrongFieldType_ReportsEDICOM1006()
        => AssertSingle(Definitions.CEchoRequest.Replace("public DicomUid AffectedSOPClassUID;", "public string AffectedSOPClassUID;"),
            "EDICOM1006", "AffectedSOPClassUID;");

    [Fact]
    public void OptionalElementNotNullable_ReportsEDICOM1006()
        => AssertSingle(Definitions.CEchoResponse.Replace("public LongString? ErrorComment;", "public LongString ErrorComment;"),
            "EDICOM1006", "ErrorComment;");

    [Fact]
    public void ProtocolElementDeclared_ReportsEDICOM1007()
        => AssertSingle(Definitions.CEchoRequest.Replace("    public DicomUid AffectedSOPClassUID;", "    public DicomUid AffectedSOPClassUID;\n    [CommandElement(CommandTag.CommandField, ValueRepresentation.US, Usage.M)]\n    public ushort Field;"),
            "EDICOM1007", "CommandElement(CommandTag.CommandField");

    [Fact]
    public void ReadOnlyStruct_ReportsEDICOM1008()
        => AssertSingle(Definitions.CEchoRequest.Replace("public partial struct", "public readonly partial struct").Replace("public ushort MessageID;", "public readonly ushort MessageID;").Replace("public DicomUid AffectedSOPClassUID;", "public readonly DicomUid AffectedSOPClassUID;"),
            "EDICOM1008", "CEchoRequest\n");

    [Fact]
    public void UndefinedCommandField_ReportsEDICOM1008()
        => AssertSingle(Definitions.CCancelLike("(CommandField)0x1234"), "EDICOM1008", "Odd\n");

    [Fact]
    public void ValidDefinitions_ReportNothingAndCompileWithoutWarnings()
    {
        var (result, output) = GeneratorHarness.Run(Definitions.Usings + Definitions.CEchoRequest + Definitions.CEchoResponse + Definitions.NGetRequest + Definitions.CMoveRequest);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.Errors(output));
        Assert.Equal(6, result.GeneratedTrees.Length); // 4 codecs, the dispatcher, CEchoResponse.Response
    }
}
