using System.Globalization;

namespace Embedded.Dicom.Networking.Dimse;

/// <summary>Why a command set could not be decoded or encoded.</summary>
public enum CommandSetErrorKind
{
    /// <summary>No error.</summary>
    None,
    /// <summary>The bytes end inside an element header.</summary>
    Truncated,
    /// <summary>An element's declared length runs past the end of the command set.</summary>
    LengthPastEnd,
    /// <summary>An element's length is odd; PS3.7 §6.3.1 requires even lengths.</summary>
    OddLength,
    /// <summary>An element outside group 0000; PS3.7 §6.3.1 allows only command elements.</summary>
    NotCommandElement,
    /// <summary>A value's size does not fit its VR (US not 2 bytes, UI over 64, AT not a multiple of 4 …).</summary>
    WrongValueSize,
    /// <summary>An element appears twice; PS3.7 §6.3.1 allows each at most once.</summary>
    DuplicateElement,
    /// <summary>A mandatory element of the message is absent.</summary>
    MissingMandatoryElement,
    /// <summary>(0000,0100) names another message than the one being decoded.</summary>
    WrongCommandField,
    /// <summary>(0000,0100) names no message of PS3.7.</summary>
    UnknownCommandField,
    /// <summary>(0000,0800) announces a data set for a message that never has one.</summary>
    UnexpectedDataSet,
    /// <summary>(0000,0800) is 0x0101 for a message that always carries a data set.</summary>
    MissingDataSet,
    /// <summary>The destination span is too small for the encoded command set.</summary>
    DestinationTooSmall,
    /// <summary>A mandatory UI or AE value to encode is empty.</summary>
    EmptyMandatoryValue,
}

/// <summary>
/// The outcome of decoding or encoding a command set: a kind and the tag it concerns. It allocates nothing;
/// <see cref="ToString"/> makes the text for a person only when asked.
/// </summary>
public readonly struct CommandSetError
{
    /// <summary>Creates an error.</summary>
    public CommandSetError(CommandSetErrorKind kind, uint tag, int detail = 0)
    {
        Kind = kind;
        Tag = tag;
        Detail = detail;
    }

    /// <summary>What went wrong; <see cref="CommandSetErrorKind.None"/> on success.</summary>
    public CommandSetErrorKind Kind { get; }

    /// <summary>The element concerned.</summary>
    public uint Tag { get; }

    /// <summary>A number that helps: the bad length, the value found, or the offset.</summary>
    public int Detail { get; }

    /// <summary>True when there is no error.</summary>
    public bool IsNone => Kind == CommandSetErrorKind.None;

    /// <summary>A sentence naming the element (allocates).</summary>
    public override string ToString()
    {
        string keyword = CommandDictionary.GetKeyword(Tag);
        string element = string.Create(CultureInfo.InvariantCulture, $"({Tag >> 16:X4},{Tag & 0xFFFF:X4}){(keyword.Length > 0 ? " " + keyword : "")}");
        return Kind switch
        {
            CommandSetErrorKind.None => "no error",
            CommandSetErrorKind.Truncated => string.Create(CultureInfo.InvariantCulture, $"command set truncated inside an element header at offset {Detail}"),
            CommandSetErrorKind.LengthPastEnd => string.Create(CultureInfo.InvariantCulture, $"element {element} declares length {(uint)Detail} past the end of the command set"),
            CommandSetErrorKind.OddLength => string.Create(CultureInfo.InvariantCulture, $"element {element} has odd length {Detail} (PS3.7 §6.3.1)"),
            CommandSetErrorKind.NotCommandElement => $"element {element} is not in the command group 0000 (PS3.7 §6.3.1)",
            CommandSetErrorKind.WrongValueSize => string.Create(CultureInfo.InvariantCulture, $"element {element} has a value of {Detail} bytes, which its VR does not allow"),
            CommandSetErrorKind.DuplicateElement => $"element {element} appears more than once (PS3.7 §6.3.1)",
            CommandSetErrorKind.MissingMandatoryElement => $"mandatory element {element} is missing",
            CommandSetErrorKind.WrongCommandField => string.Create(CultureInfo.InvariantCulture, $"(0000,0100) CommandField is 0x{Detail:X4}, not the message being decoded"),
            CommandSetErrorKind.UnknownCommandField => string.Create(CultureInfo.InvariantCulture, $"(0000,0100) CommandField 0x{Detail:X4} is not a DIMSE message"),
            CommandSetErrorKind.UnexpectedDataSet => string.Create(CultureInfo.InvariantCulture, $"(0000,0800) CommandDataSetType 0x{Detail:X4} announces a data set this message never has"),
            CommandSetErrorKind.MissingDataSet => "(0000,0800) CommandDataSetType is 0x0101 but this message always carries a data set",
            CommandSetErrorKind.DestinationTooSmall => string.Create(CultureInfo.InvariantCulture, $"destination too small: {Detail} bytes needed"),
            CommandSetErrorKind.EmptyMandatoryValue => $"mandatory element {element} has an empty value",
            _ => Kind.ToString(),
        };
    }
}
