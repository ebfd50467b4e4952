namespace Embedded.Dicom;

/// <summary>Whether a message carries a data set after its command set (PS3.7 §9.3, §10.3 message tables).</summary>
public enum DataSetPresence
{
    /// <summary>Never: (0000,0800) is always 0x0101.</summary>
    Never,
    /// <summary>Always: the message is incomplete without its data set.</summary>
    Always,
    /// <summary>Conditional or user option: the message says which with (0000,0800).</summary>
    Optional,
}

/// <summary>
/// What the standard says about the command group, in one place for the generator (which validates
/// message definitions against it) and the runtime (which names elements in errors).
/// PS3.7 Annex E Table E.1-1 (elements), Table E.2-1 (retired elements), §9.3 and §10.3 (message tables).
/// </summary>
/// <remarks>Linked source: must stay netstandard2.0-clean; returned arrays are shared and never modified.</remarks>
public static class CommandDictionary
{
    private static readonly uint[] s_none = new uint[0];
    private static readonly uint[] s_response = { CommandTag.MessageIDBeingRespondedTo, CommandTag.Status };
    private static readonly uint[] s_cStoreRequest = { CommandTag.AffectedSOPClassUID, CommandTag.MessageID, CommandTag.Priority, CommandTag.AffectedSOPInstanceUID };
    private static readonly uint[] s_cQueryRequest = { CommandTag.AffectedSOPClassUID, CommandTag.MessageID, CommandTag.Priority };
    private static readonly uint[] s_cMoveRequest = { CommandTag.AffectedSOPClassUID, CommandTag.MessageID, CommandTag.MoveDestination, CommandTag.Priority };
    private static readonly uint[] s_cEchoRequest = { CommandTag.AffectedSOPClassUID, CommandTag.MessageID };
    private static readonly uint[] s_cCancelRequest = { CommandTag.MessageIDBeingRespondedTo };
    private static readonly uint[] s_nEventReportRequest = { CommandTag.AffectedSOPClassUID, CommandTag.MessageID, CommandTag.AffectedSOPInstanceUID, CommandTag.EventTypeID };
    private static readonly uint[] s_nRequestedRequest = { CommandTag.RequestedSOPClassUID, CommandTag.MessageID, CommandTag.RequestedSOPInstanceUID };
    private static readonly uint[] s_nActionRequest = { CommandTag.RequestedSOPClassUID, CommandTag.MessageID, CommandTag.RequestedSOPInstanceUID, CommandTag.ActionTypeID };
    private static readonly uint[] s_nCreateRequest = { CommandTag.AffectedSOPClassUID, CommandTag.MessageID };

    /// <summary>
    /// Looks up a group 0000 element. Retired elements (Table E.2-1) are known, so that a receiver can skip
    /// them by name, but <paramref name="retired"/> tells a definition not to declare them.
    /// </summary>
    public static bool TryGetElement(uint tag, out ValueRepresentation vr, out string keyword, out bool retired)
    {
        retired = false;
        switch (tag)
        {
            case CommandTag.CommandGroupLength: vr = ValueRepresentation.UL; keyword = "CommandGroupLength"; return true;
            case CommandTag.AffectedSOPClassUID: vr = ValueRepresentation.UI; keyword = "AffectedSOPClassUID"; return true;
            case CommandTag.RequestedSOPClassUID: vr = ValueRepresentation.UI; keyword = "RequestedSOPClassUID"; return true;
            case CommandTag.CommandField: vr = ValueRepresentation.US; keyword = "CommandField"; return true;
            case CommandTag.MessageID: vr = ValueRepresentation.US; keyword = "MessageID"; return true;
            case CommandTag.MessageIDBeingRespondedTo: vr = ValueRepresentation.US; keyword = "MessageIDBeingRespondedTo"; return true;
            case CommandTag.MoveDestination: vr = ValueRepresentation.AE; keyword = "MoveDestination"; return true;
            case CommandTag.Priority: vr = ValueRepresentation.US; keyword = "Priority"; return true;
            case CommandTag.CommandDataSetType: vr = ValueRepresentation.US; keyword = "CommandDataSetType"; return true;
            case CommandTag.Status: vr = ValueRepresentation.US; keyword = "Status"; return true;
            case CommandTag.OffendingElement: vr = ValueRepresentation.AT; keyword = "OffendingElement"; return true;
            case CommandTag.ErrorComment: vr = ValueRepresentation.LO; keyword = "ErrorComment"; return true;
            case CommandTag.ErrorID: vr = ValueRepresentation.US; keyword = "ErrorID"; return true;
            case CommandTag.AffectedSOPInstanceUID: vr = ValueRepresentation.UI; keyword = "AffectedSOPInstanceUID"; return true;
            case CommandTag.RequestedSOPInstanceUID: vr = ValueRepresentation.UI; keyword = "RequestedSOPInstanceUID"; return true;
            case CommandTag.EventTypeID: vr = ValueRepresentation.US; keyword = "EventTypeID"; return true;
            case CommandTag.AttributeIdentifierList: vr = ValueRepresentation.AT; keyword = "AttributeIdentifierList"; return true;
            case CommandTag.ActionTypeID: vr = ValueRepresentation.US; keyword = "ActionTypeID"; return true;
            case CommandTag.NumberOfRemainingSuboperations: vr = ValueRepresentation.US; keyword = "NumberOfRemainingSuboperations"; return true;
            case CommandTag.NumberOfCompletedSuboperations: vr = ValueRepresentation.US; keyword = "NumberOfCompletedSuboperations"; return true;
            case CommandTag.NumberOfFailedSuboperations: vr = ValueRepresentation.US; keyword = "NumberOfFailedSuboperations"; return true;
            case CommandTag.NumberOfWarningSuboperations: vr = ValueRepresentation.US; keyword = "NumberOfWarningSuboperations"; return true;
            case CommandTag.MoveOriginatorApplicationEntityTitle: vr = ValueRepresentation.AE; keyword = "MoveOriginatorApplicationEntityTitle"; return true;
            case CommandTag.MoveOriginatorMessageID: vr = ValueRepresentation.US; keyword = "MoveOriginatorMessageID"; return true;
        }

        retired = true;
        switch (tag)
        {
            case 0x0000_0001: vr = ValueRepresentation.UL; keyword = "CommandLengthToEnd"; return true;
            case 0x0000_0010: vr = ValueRepresentation.SH; keyword = "CommandRecognitionCode"; return true;
            case 0x0000_0200: vr = ValueRepresentation.AE; keyword = "Initiator"; return true;
            case 0x0000_0300: vr = ValueRepresentation.AE; keyword = "Receiver"; return true;
            case 0x0000_0400: vr = ValueRepresentation.AE; keyword = "FindLocation"; return true;
            case 0x0000_0850: vr = ValueRepresentation.US; keyword = "NumberOfMatches"; return true;
            case 0x0000_0860: vr = ValueRepresentation.US; keyword = "ResponseSequenceNumber"; return true;
            case 0x0000_4000: vr = ValueRepresentation.LT; keyword = "DialogReceiver"; return true;
            case 0x0000_4010: vr = ValueRepresentation.LT; keyword = "TerminalType"; return true;
        }

        retired = false;
        vr = ValueRepresentation.None;
        keyword = "";
        return false;
    }

    /// <summary>The PS3.6 keyword of a command element, or an empty string when the tag is not one.</summary>
    public static string GetKeyword(uint tag) => TryGetElement(tag, out _, out string keyword, out _) ? keyword : "";

    /// <summary>
    /// The elements that PS3.7 marks M in this message, other than the three protocol elements
    /// (CommandGroupLength, CommandField, CommandDataSetType) that every message carries.
    /// </summary>
    public static uint[] GetMandatoryElements(CommandField commandField)
    {
        switch (commandField)
        {
            case CommandField.CStoreRequest: return s_cStoreRequest;
            case CommandField.CFindRequest:
            case CommandField.CGetRequest: return s_cQueryRequest;
            case CommandField.CMoveRequest: return s_cMoveRequest;
            case CommandField.CEchoRequest: return s_cEchoRequest;
            case CommandField.CCancelRequest: return s_cCancelRequest;
            case CommandField.NEventReportRequest: return s_nEventReportRequest;
            case CommandField.NGetRequest:
            case CommandField.NSetRequest:
            case CommandField.NDeleteRequest: return s_nRequestedRequest;
            case CommandField.NActionRequest: return s_nActionRequest;
            case CommandField.NCreateRequest: return s_nCreateRequest;
            case CommandField.CStoreResponse:
            case CommandField.CFindResponse:
            case CommandField.CGetResponse:
            case CommandField.CMoveResponse:
            case CommandField.CEchoResponse:
            case CommandField.NEventReportResponse:
            case CommandField.NGetResponse:
            case CommandField.NSetResponse:
            case CommandField.NActionResponse:
            case CommandField.NCreateResponse:
            case CommandField.NDeleteResponse: return s_response;
            default: return s_none;
        }
    }

    /// <summary>Whether the message carries a data set (PS3.7 §9.3, §10.3; summarised in PS3.7 Annex E).</summary>
    public static DataSetPresence GetDataSetPresence(CommandField commandField)
    {
        switch (commandField)
        {
            case CommandField.CEchoRequest:
            case CommandField.CEchoResponse:
            case CommandField.CStoreResponse:
            case CommandField.CCancelRequest:
            case CommandField.NGetRequest:
            case CommandField.NDeleteRequest:
            case CommandField.NDeleteResponse:
                return DataSetPresence.Never;
            case CommandField.CStoreRequest:
            case CommandField.CFindRequest:
            case CommandField.CGetRequest:
            case CommandField.CMoveRequest:
            case CommandField.NSetRequest:
                return DataSetPresence.Always;
            default:
                return DataSetPresence.Optional;
        }
    }

    /// <summary>True for the command fields defined by PS3.7.</summary>
    public static bool IsDefined(CommandField commandField) => GetMandatoryElements(commandField).Length != 0;
}
