using System;
using System.Globalization;

namespace Embedded.Dicom;

/// <summary>The class of a DIMSE status code, PS3.7 Annex C.</summary>
public enum StatusCategory
{
    /// <summary>A code the standard does not classify.</summary>
    Unknown,
    /// <summary>0000.</summary>
    Success,
    /// <summary>0001, 0107, 0116, Bxxx.</summary>
    Warning,
    /// <summary>Axxx, Cxxx, 01xx and 02xx other than the warnings.</summary>
    Failure,
    /// <summary>FE00: ended by C-CANCEL.</summary>
    Cancel,
    /// <summary>FF00, FF01: more responses follow.</summary>
    Pending,
}

/// <summary>
/// A DIMSE status (0000,0900), with its class and the name PS3.7 Annex C and the PS3.4 service classes
/// give it. Errors shown to users name the status this way: "0xA700 Out of Resources".
/// </summary>
public readonly struct DicomStatus : IEquatable<DicomStatus>
{
    /// <summary>0000 Success.</summary>
    public static readonly DicomStatus Success = new(0x0000);
    /// <summary>FE00 Cancel.</summary>
    public static readonly DicomStatus Cancel = new(0xFE00);
    /// <summary>FF00 Pending.</summary>
    public static readonly DicomStatus Pending = new(0xFF00);
    /// <summary>A700 Refused: Out of Resources (C-STORE, C-FIND).</summary>
    public static readonly DicomStatus OutOfResources = new(0xA700);
    /// <summary>0110 Processing failure.</summary>
    public static readonly DicomStatus ProcessingFailure = new(0x0110);
    /// <summary>0122 Refused: SOP class not supported.</summary>
    public static readonly DicomStatus SopClassNotSupported = new(0x0122);

    /// <summary>Wraps a status code.</summary>
    public DicomStatus(ushort code) => Code = code;

    /// <summary>The (0000,0900) value.</summary>
    public ushort Code { get; }

    /// <summary>The class of the code (PS3.7 Annex C; unlisted codes by their high nibble).</summary>
    public StatusCategory Category => Classify(Code);

    /// <summary>True for Success and Warning: the operation was performed.</summary>
    public bool IsSuccessOrWarning => Category is StatusCategory.Success or StatusCategory.Warning;

    /// <summary>Classifies a status code, PS3.7 Annex C.</summary>
    public static StatusCategory Classify(ushort code) => code switch
    {
        0x0000 => StatusCategory.Success,
        0x0001 or 0x0107 or 0x0116 => StatusCategory.Warning,
        0xFE00 => StatusCategory.Cancel,
        0xFF00 or 0xFF01 => StatusCategory.Pending,
        _ when (code & 0xF000) == 0xB000 => StatusCategory.Warning,
        _ when (code & 0xF000) is 0xA000 or 0xC000 => StatusCategory.Failure,
        _ when (code & 0xFF00) is 0x0100 or 0x0200 => StatusCategory.Failure,
        _ => StatusCategory.Unknown,
    };

    /// <summary>The name of the status (general names of PS3.7 Annex C; service-specific ranges by class).</summary>
    public string Name => Code switch
    {
        0x0000 => "Success",
        0x0001 => "Warning",
        0x0105 => "No Such Attribute",
        0x0106 => "Invalid Attribute Value",
        0x0107 => "Attribute List Error",
        0x0110 => "Processing Failure",
        0x0111 => "Duplicate SOP Instance",
        0x0112 => "No Such SOP Instance",
        0x0113 => "No Such Event Type",
        0x0114 => "No Such Argument",
        0x0115 => "Invalid Argument Value",
        0x0116 => "Attribute Value Out of Range",
        0x0117 => "Invalid Object Instance",
        0x0118 => "No Such SOP Class",
        0x0119 => "Class-Instance Conflict",
        0x0120 => "Missing Attribute",
        0x0121 => "Missing Attribute Value",
        0x0122 => "SOP Class Not Supported",
        0x0123 => "No Such Action",
        0x0124 => "Not Authorized",
        0x0210 => "Duplicate Invocation",
        0x0211 => "Unrecognized Operation",
        0x0212 => "Mistyped Argument",
        0x0213 => "Resource Limitation",
        0xA701 => "Out of Resources: Unable to Calculate Number of Matches",
        0xA702 => "Out of Resources: Unable to Perform Sub-operations",
        0xA801 => "Move Destination Unknown",
        0xA900 => "Identifier Does Not Match SOP Class",
        0xB000 => "Coercion of Data Elements / Sub-operations Complete with Failures",
        0xB006 => "Elements Discarded",
        0xB007 => "Data Set Does Not Match SOP Class",
        0xFE00 => "Cancel",
        0xFF00 => "Pending",
        0xFF01 => "Pending: Optional Keys Not Supported",
        _ when (Code & 0xFF00) == 0xA700 => "Out of Resources",
        _ when (Code & 0xFF00) == 0xA900 => "Data Set Does Not Match SOP Class",
        _ when (Code & 0xF000) == 0xC000 => "Cannot Understand",
        _ when (Code & 0xF000) == 0xB000 => "Warning",
        _ when (Code & 0xF000) == 0xA000 => "Failure",
        _ => "Unknown Status",
    };

    /// <summary>"0xA700 Out of Resources" (allocates).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"0x{Code:X4} {Name}");

    /// <inheritdoc/>
    public bool Equals(DicomStatus other) => Code == other.Code;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DicomStatus other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Code;

    /// <summary>Equality.</summary>
    public static bool operator ==(DicomStatus left, DicomStatus right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(DicomStatus left, DicomStatus right) => !left.Equals(right);

    /// <summary>Wraps a code.</summary>
    public static implicit operator DicomStatus(ushort code) => new(code);
}
