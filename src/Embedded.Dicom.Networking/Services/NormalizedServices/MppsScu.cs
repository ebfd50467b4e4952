using System;
using System.Threading;
using System.Threading.Tasks;

namespace Embedded.Dicom.Networking.Services;

/// <summary>
/// The Modality Performed Procedure Step SCU (PS3.4 Annex F.7): N-CREATE with Performed Procedure Step Status
/// "IN PROGRESS", then N-SET to "COMPLETED" or "DISCONTINUED" (PS3.4 F.7.2).
/// </summary>
public static class MppsScu
{
    /// <summary>Modality Performed Procedure Step SOP Class (PS3.4 F.7.1).</summary>
    public static readonly DicomUid SopClassUid = DicomUid.Parse("1.2.840.10008.3.1.2.3.3");

    /// <summary>(0040,0252) Performed Procedure Step Status.</summary>
    public static readonly DicomTag PerformedProcedureStepStatus = new(0x00400252);

    /// <summary>N-CREATE of <paramref name="sopInstanceUid"/> with <paramref name="attributes"/> and status IN PROGRESS (PS3.4 F.7.2.1).</summary>
    public static Task<NormalizedResult> CreateAsync(DicomAssociation association, DicomUid sopInstanceUid, QueryIdentifier? attributes, ushort messageId = 1,
        CancellationToken cancellationToken = default)
    {
        QueryIdentifier list = attributes ?? new QueryIdentifier();
        list.Set(PerformedProcedureStepStatus, ValueRepresentation.CS, "IN PROGRESS");
        return NormalizedScu.CreateAsync(association, SopClassUid, sopInstanceUid, messageId, (output, syntax) => list.WriteTo(output, syntax), cancellationToken);
    }

    /// <summary>N-SET of <paramref name="sopInstanceUid"/> to <paramref name="status"/> (COMPLETED or DISCONTINUED) with <paramref name="attributes"/> (PS3.4 F.7.2.2).</summary>
    public static Task<NormalizedResult> SetAsync(DicomAssociation association, DicomUid sopInstanceUid, string status, QueryIdentifier? attributes, ushort messageId = 1,
        CancellationToken cancellationToken = default)
    {
        if (status is not ("COMPLETED" or "DISCONTINUED" or "IN PROGRESS"))
        {
            throw new ArgumentException("the status is IN PROGRESS, COMPLETED or DISCONTINUED", nameof(status));
        }

        QueryIdentifier list = attributes ?? new QueryIdentifier();
        list.Set(PerformedProcedureStepStatus, ValueRepresentation.CS, status);
        return NormalizedScu.SetAsync(association, SopClassUid, sopInstanceUid, messageId, (output, syntax) => list.WriteTo(output, syntax), cancellationToken);
    }
}
