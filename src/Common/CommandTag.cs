namespace Embedded.Dicom;

/// <summary>
/// Tags of the command group (0000,xxxx), PS3.7 Annex E Table E.1-1, named by their PS3.6 keywords.
/// The value is (group &lt;&lt; 16) | element.
/// </summary>
/// <remarks>Linked source: compiled into the runtime and into the netstandard2.0 generator.</remarks>
public static class CommandTag
{
    /// <summary>(0000,0000) UL: bytes after this element's value to the end of the command set.</summary>
    public const uint CommandGroupLength = 0x0000_0000;
    /// <summary>(0000,0002) UI.</summary>
    public const uint AffectedSOPClassUID = 0x0000_0002;
    /// <summary>(0000,0003) UI.</summary>
    public const uint RequestedSOPClassUID = 0x0000_0003;
    /// <summary>(0000,0100) US: the <see cref="Embedded.Dicom.CommandField"/>.</summary>
    public const uint CommandField = 0x0000_0100;
    /// <summary>(0000,0110) US.</summary>
    public const uint MessageID = 0x0000_0110;
    /// <summary>(0000,0120) US.</summary>
    public const uint MessageIDBeingRespondedTo = 0x0000_0120;
    /// <summary>(0000,0600) AE.</summary>
    public const uint MoveDestination = 0x0000_0600;
    /// <summary>(0000,0700) US: 0 medium, 1 high, 2 low.</summary>
    public const uint Priority = 0x0000_0700;
    /// <summary>(0000,0800) US: 0x0101 means no data set follows; any other value means one does.</summary>
    public const uint CommandDataSetType = 0x0000_0800;
    /// <summary>(0000,0900) US.</summary>
    public const uint Status = 0x0000_0900;
    /// <summary>(0000,0901) AT, VM 1-n.</summary>
    public const uint OffendingElement = 0x0000_0901;
    /// <summary>(0000,0902) LO.</summary>
    public const uint ErrorComment = 0x0000_0902;
    /// <summary>(0000,0903) US.</summary>
    public const uint ErrorID = 0x0000_0903;
    /// <summary>(0000,1000) UI.</summary>
    public const uint AffectedSOPInstanceUID = 0x0000_1000;
    /// <summary>(0000,1001) UI.</summary>
    public const uint RequestedSOPInstanceUID = 0x0000_1001;
    /// <summary>(0000,1002) US.</summary>
    public const uint EventTypeID = 0x0000_1002;
    /// <summary>(0000,1005) AT, VM 1-n.</summary>
    public const uint AttributeIdentifierList = 0x0000_1005;
    /// <summary>(0000,1008) US.</summary>
    public const uint ActionTypeID = 0x0000_1008;
    /// <summary>(0000,1020) US.</summary>
    public const uint NumberOfRemainingSuboperations = 0x0000_1020;
    /// <summary>(0000,1021) US.</summary>
    public const uint NumberOfCompletedSuboperations = 0x0000_1021;
    /// <summary>(0000,1022) US.</summary>
    public const uint NumberOfFailedSuboperations = 0x0000_1022;
    /// <summary>(0000,1023) US.</summary>
    public const uint NumberOfWarningSuboperations = 0x0000_1023;
    /// <summary>(0000,1030) AE.</summary>
    public const uint MoveOriginatorApplicationEntityTitle = 0x0000_1030;
    /// <summary>(0000,1031) US.</summary>
    public const uint MoveOriginatorMessageID = 0x0000_1031;
}
