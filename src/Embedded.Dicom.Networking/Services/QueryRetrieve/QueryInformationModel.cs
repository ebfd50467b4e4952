using System;

namespace Embedded.Dicom.Networking.Services;

/// <summary>The C-FIND information models served and used here (PS3.4 C.6.1, C.6.2 and K.6.1).</summary>
public enum QueryModel
{
    /// <summary>Not a C-FIND SOP class handled here.</summary>
    None,

    /// <summary>Patient Root Query/Retrieve Information Model – FIND (PS3.4 C.6.1): PATIENT, STUDY, SERIES, IMAGE.</summary>
    PatientRoot,

    /// <summary>Study Root Query/Retrieve Information Model – FIND (PS3.4 C.6.2): STUDY, SERIES, IMAGE.</summary>
    StudyRoot,

    /// <summary>Modality Worklist Information Model – FIND (PS3.4 K.6.1): one level, no (0008,0052).</summary>
    ModalityWorklist,
}

/// <summary>The levels of the Query/Retrieve hierarchy, (0008,0052) Query/Retrieve Level (PS3.4 C.4.1.1.1).</summary>
public enum QueryLevel
{
    /// <summary>Absent or not one of the defined terms.</summary>
    None,

    /// <summary>"PATIENT".</summary>
    Patient,

    /// <summary>"STUDY".</summary>
    Study,

    /// <summary>"SERIES".</summary>
    Series,

    /// <summary>"IMAGE" (the instance level).</summary>
    Image,
}

/// <summary>SOP class UIDs, level names and a few attribute tags of the C-FIND services.</summary>
public static class QueryInformationModel
{
    /// <summary>Patient Root Query/Retrieve Information Model – FIND, 1.2.840.10008.5.1.4.1.2.1.1.</summary>
    public static DicomUid PatientRootFind { get; } = DicomUid.Parse("1.2.840.10008.5.1.4.1.2.1.1");

    /// <summary>Study Root Query/Retrieve Information Model – FIND, 1.2.840.10008.5.1.4.1.2.2.1.</summary>
    public static DicomUid StudyRootFind { get; } = DicomUid.Parse("1.2.840.10008.5.1.4.1.2.2.1");

    /// <summary>Modality Worklist Information Model – FIND, 1.2.840.10008.5.1.4.31.</summary>
    public static DicomUid ModalityWorklistFind { get; } = DicomUid.Parse("1.2.840.10008.5.1.4.31");

    /// <summary>(0008,0005) Specific Character Set.</summary>
    public static DicomTag SpecificCharacterSet => new(0x00080005);

    /// <summary>(0008,0052) Query/Retrieve Level.</summary>
    public static DicomTag QueryRetrieveLevel => new(0x00080052);

    /// <summary>(0040,0100) Scheduled Procedure Step Sequence (PS3.4 Table K.6-1).</summary>
    public static DicomTag ScheduledProcedureStepSequence => new(0x00400100);

    /// <summary>The model of a FIND SOP class UID, or <see cref="QueryModel.None"/>.</summary>
    public static QueryModel GetModel(in DicomUid sopClassUid)
    {
        if (sopClassUid.Equals(PatientRootFind))
        {
            return QueryModel.PatientRoot;
        }

        if (sopClassUid.Equals(StudyRootFind))
        {
            return QueryModel.StudyRoot;
        }

        return sopClassUid.Equals(ModalityWorklistFind) ? QueryModel.ModalityWorklist : QueryModel.None;
    }

    /// <summary>The SOP class UID of a model.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="model"/> is <see cref="QueryModel.None"/>.</exception>
    public static DicomUid GetSopClassUid(QueryModel model) => model switch
    {
        QueryModel.PatientRoot => PatientRootFind,
        QueryModel.StudyRoot => StudyRootFind,
        QueryModel.ModalityWorklist => ModalityWorklistFind,
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };

    /// <summary>The defined term of a level ("PATIENT", "STUDY", "SERIES", "IMAGE").</summary>
    public static string GetLevelName(QueryLevel level) => level switch
    {
        QueryLevel.Patient => "PATIENT",
        QueryLevel.Study => "STUDY",
        QueryLevel.Series => "SERIES",
        QueryLevel.Image => "IMAGE",
        _ => "",
    };

    /// <summary>Parses a (0008,0052) value (CS: surrounding spaces are not significant).</summary>
    public static QueryLevel ParseLevel(ReadOnlySpan<char> value) => value.Trim() switch
    {
        "PATIENT" => QueryLevel.Patient,
        "STUDY" => QueryLevel.Study,
        "SERIES" => QueryLevel.Series,
        "IMAGE" => QueryLevel.Image,
        _ => QueryLevel.None,
    };

    /// <summary>
    /// True when <paramref name="level"/> exists in <paramref name="model"/>: the Study Root model has no PATIENT
    /// level (PS3.4 C.6.2.1), the worklist model has no levels at all (PS3.4 K.6.1.1).
    /// </summary>
    public static bool HasLevel(QueryModel model, QueryLevel level) => model switch
    {
        QueryModel.PatientRoot => level != QueryLevel.None,
        QueryModel.StudyRoot => level is QueryLevel.Study or QueryLevel.Series or QueryLevel.Image,
        _ => false,
    };
}
