namespace Embedded.Dicom.Generators.Tests;

/// <summary>Definitions compiled by the tests (not by this project): valid ones and one per diagnostic.</summary>
internal static class Definitions
{
    public const string Usings = """
        using Embedded.Dicom;

        namespace Sample.Messages;

        """;

    public const string CEchoRequest = """
        [DimseMessage(CommandField.CEchoRequest)]
        public partial struct CEchoRequest
        {
            [CommandElement(CommandTag.MessageID, ValueRepresentation.US, Usage.M)]
            public ushort MessageID;

            [CommandElement(CommandTag.AffectedSOPClassUID, ValueRepresentation.UI, Usage.M)]
            public DicomUid AffectedSOPClassUID;
        }
        """;

    public const string CEchoResponse = """
        [DimseMessage(CommandField.CEchoResponse)]
        public partial struct CEchoResponse
        {
            [CommandElement(CommandTag.MessageIDBeingRespondedTo, ValueRepresentation.US, Usage.M)]
            public ushort MessageIDBeingRespondedTo;

            [CommandElement(CommandTag.AffectedSOPClassUID, ValueRepresentation.UI, Usage.U | Usage.Equal)]
            public DicomUid? AffectedSOPClassUID;

            [CommandElement(CommandTag.Status, ValueRepresentation.US, Usage.M)]
            public ushort Status;

            [CommandElement(CommandTag.ErrorComment, ValueRepresentation.LO, Usage.C)]
            public LongString? ErrorComment;
        }
        """;

    public const string NGetRequest = """
        [DimseMessage(CommandField.NGetRequest)]
        public partial struct NGetRequest
        {
            [CommandElement(CommandTag.MessageID, ValueRepresentation.US, Usage.M)]
            public ushort MessageID;

            [CommandElement(CommandTag.RequestedSOPClassUID, ValueRepresentation.UI, Usage.M)]
            public DicomUid RequestedSOPClassUID;

            [CommandElement(CommandTag.RequestedSOPInstanceUID, ValueRepresentation.UI, Usage.M)]
            public DicomUid RequestedSOPInstanceUID;

            [CommandElement(CommandTag.AttributeIdentifierList, ValueRepresentation.AT, Usage.U)]
            public DicomTagList? AttributeIdentifierList;
        }
        """;

    public const string CMoveRequest = """
        [DimseMessage(CommandField.CMoveRequest)]
        public partial struct CMoveRequest
        {
            [CommandElement(CommandTag.MessageID, ValueRepresentation.US, Usage.M)]
            public ushort MessageID;

            [CommandElement(CommandTag.AffectedSOPClassUID, ValueRepresentation.UI, Usage.M)]
            public DicomUid AffectedSOPClassUID;

            [CommandElement(CommandTag.Priority, ValueRepresentation.US, Usage.M)]
            public ushort Priority;

            [CommandElement(CommandTag.MoveDestination, ValueRepresentation.AE, Usage.M)]
            public AeTitle MoveDestination;
        }
        """;

    public const string Unrelated = """
        namespace Sample.Other;

        public static class Helper
        {
            public static int Twice(int value) => value * 2;
        }
        """;

    public static string CCancelLike(string commandField) => $$"""
        [DimseMessage({{commandField}})]
        public partial struct Odd
        {
            [CommandElement(CommandTag.MessageIDBeingRespondedTo, ValueRepresentation.US, Usage.M)]
            public ushort MessageIDBeingRespondedTo;
        }
        """;
}
