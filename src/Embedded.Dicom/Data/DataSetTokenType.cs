namespace Embedded.Dicom.Data;

/// <summary>What <see cref="DataSetReader.Read"/> stopped on (PS3.5 §7.1, §7.5, §A.4).</summary>
public enum DataSetTokenType : byte
{
    /// <summary>Nothing has been read yet, or the last <see cref="DataSetReader.Read"/> returned false.</summary>
    None = 0,

    /// <summary>A data element with a value (possibly empty): everything that is not a sequence.</summary>
    Element,

    /// <summary>
    /// The header of a sequence: VR SQ, or of undefined length where PS3.5 makes that a sequence (an explicit
    /// UN, PS3.5 §6.2.2; an implicit tag not in the dictionary); or the header of encapsulated pixel data,
    /// (7FE0,0010) of undefined length (PS3.5 §A.4), whose items are <see cref="Fragment"/> tokens.
    /// </summary>
    SequenceStart,

    /// <summary>An item (FFFE,E000) of a sequence; the elements of its data set follow.</summary>
    ItemStart,

    /// <summary>
    /// The end of an item: its Item Delimitation Item (FFFE,E00D), or the point where an item of defined
    /// length ends (then <see cref="DataSetReader.HeaderLength"/> is 0: no bytes belong to this token).
    /// </summary>
    ItemEnd,

    /// <summary>
    /// The end of a sequence or of encapsulated pixel data: its Sequence Delimitation Item (FFFE,E0DD), or the
    /// point where a sequence of defined length ends (then <see cref="DataSetReader.HeaderLength"/> is 0).
    /// </summary>
    SequenceEnd,

    /// <summary>An item of encapsulated pixel data (the Basic Offset Table first, then fragments), with its bytes as value.</summary>
    Fragment,
}
