using System.IO;
using Embedded.Dicom.Networking.Dimse;

namespace Embedded.Dicom.Cli;

/// <summary>Prints a decoded message in a line a person can read.</summary>
internal readonly struct Printer(TextWriter output) : IDimseMessageHandler
{
    public void OnCEchoRequest(in CEchoRequest m) => output.WriteLine($"  decoded C-ECHO-RQ id={m.MessageID} class={m.AffectedSOPClassUID}");
    public void OnCEchoResponse(in CEchoResponse m) => output.WriteLine($"  decoded C-ECHO-RSP to={m.MessageIDBeingRespondedTo} status={new DicomStatus(m.Status)}");
    public void OnCStoreRequest(in CStoreRequest m) => output.WriteLine($"  decoded C-STORE-RQ id={m.MessageID} class={m.AffectedSOPClassUID} instance={m.AffectedSOPInstanceUID}");
    public void OnCStoreResponse(in CStoreResponse m) => output.WriteLine($"  decoded C-STORE-RSP to={m.MessageIDBeingRespondedTo} status={new DicomStatus(m.Status)} instance={m.AffectedSOPInstanceUID}");
    public void OnCFindRequest(in CFindRequest m) => output.WriteLine($"  decoded C-FIND-RQ id={m.MessageID}");
    public void OnCFindResponse(in CFindResponse m) => output.WriteLine($"  decoded C-FIND-RSP status={new DicomStatus(m.Status)}");
    public void OnCGetRequest(in CGetRequest m) => output.WriteLine($"  decoded C-GET-RQ id={m.MessageID}");
    public void OnCGetResponse(in CGetResponse m) => output.WriteLine($"  decoded C-GET-RSP status={new DicomStatus(m.Status)}");
    public void OnCMoveRequest(in CMoveRequest m) => output.WriteLine($"  decoded C-MOVE-RQ id={m.MessageID} destination={m.MoveDestination}");
    public void OnCMoveResponse(in CMoveResponse m) => output.WriteLine($"  decoded C-MOVE-RSP status={new DicomStatus(m.Status)}");
    public void OnCCancelRequest(in CCancelRequest m) => output.WriteLine($"  decoded C-CANCEL-RQ for={m.MessageIDBeingRespondedTo}");
    public void OnNEventReportRequest(in NEventReportRequest m) => output.WriteLine($"  decoded N-EVENT-REPORT-RQ event={m.EventTypeID}");
    public void OnNEventReportResponse(in NEventReportResponse m) => output.WriteLine($"  decoded N-EVENT-REPORT-RSP status={new DicomStatus(m.Status)}");
    public void OnNGetRequest(in NGetRequest m) => output.WriteLine($"  decoded N-GET-RQ id={m.MessageID}");
    public void OnNGetResponse(in NGetResponse m) => output.WriteLine($"  decoded N-GET-RSP status={new DicomStatus(m.Status)}");
    public void OnNSetRequest(in NSetRequest m) => output.WriteLine($"  decoded N-SET-RQ id={m.MessageID}");
    public void OnNSetResponse(in NSetResponse m) => output.WriteLine($"  decoded N-SET-RSP status={new DicomStatus(m.Status)}");
    public void OnNActionRequest(in NActionRequest m) => output.WriteLine($"  decoded N-ACTION-RQ action={m.ActionTypeID}");
    public void OnNActionResponse(in NActionResponse m) => output.WriteLine($"  decoded N-ACTION-RSP status={new DicomStatus(m.Status)}");
    public void OnNCreateRequest(in NCreateRequest m) => output.WriteLine($"  decoded N-CREATE-RQ id={m.MessageID}");
    public void OnNCreateResponse(in NCreateResponse m) => output.WriteLine($"  decoded N-CREATE-RSP status={new DicomStatus(m.Status)}");
    public void OnNDeleteRequest(in NDeleteRequest m) => output.WriteLine($"  decoded N-DELETE-RQ id={m.MessageID}");
    public void OnNDeleteResponse(in NDeleteResponse m) => output.WriteLine($"  decoded N-DELETE-RSP status={new DicomStatus(m.Status)}");
    public void OnInvalidCommand(ushort commandField, in CommandSetError error) => output.WriteLine($"  invalid command 0x{commandField:X4}: {error}");
}
