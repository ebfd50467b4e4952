namespace Embedded.Dicom;

/// <summary>
/// The value of (0000,0100) Command Field: which DIMSE message a command set carries
/// (PS3.7 §9.3, §10.3, Annex E Table E.1-1). A response is its request with bit 15 set.
/// </summary>
/// <remarks>Linked source: compiled into the runtime and into the netstandard2.0 generator.</remarks>
public enum CommandField : ushort
{
    /// <summary>C-STORE-RQ (PS3.7 §9.3.1.1).</summary>
    CStoreRequest = 0x0001,
    /// <summary>C-STORE-RSP (PS3.7 §9.3.1.2).</summary>
    CStoreResponse = 0x8001,
    /// <summary>C-GET-RQ (PS3.7 §9.3.3.1).</summary>
    CGetRequest = 0x0010,
    /// <summary>C-GET-RSP (PS3.7 §9.3.3.2).</summary>
    CGetResponse = 0x8010,
    /// <summary>C-FIND-RQ (PS3.7 §9.3.2.1).</summary>
    CFindRequest = 0x0020,
    /// <summary>C-FIND-RSP (PS3.7 §9.3.2.2).</summary>
    CFindResponse = 0x8020,
    /// <summary>C-MOVE-RQ (PS3.7 §9.3.4.1).</summary>
    CMoveRequest = 0x0021,
    /// <summary>C-MOVE-RSP (PS3.7 §9.3.4.2).</summary>
    CMoveResponse = 0x8021,
    /// <summary>C-ECHO-RQ (PS3.7 §9.3.5.1).</summary>
    CEchoRequest = 0x0030,
    /// <summary>C-ECHO-RSP (PS3.7 §9.3.5.2).</summary>
    CEchoResponse = 0x8030,
    /// <summary>C-CANCEL-RQ for C-FIND, C-GET and C-MOVE (PS3.7 §9.3.2.3, §9.3.3.3, §9.3.4.3); it has no response.</summary>
    CCancelRequest = 0x0FFF,
    /// <summary>N-EVENT-REPORT-RQ (PS3.7 §10.3.1.1).</summary>
    NEventReportRequest = 0x0100,
    /// <summary>N-EVENT-REPORT-RSP (PS3.7 §10.3.1.2).</summary>
    NEventReportResponse = 0x8100,
    /// <summary>N-GET-RQ (PS3.7 §10.3.2.1).</summary>
    NGetRequest = 0x0110,
    /// <summary>N-GET-RSP (PS3.7 §10.3.2.2).</summary>
    NGetResponse = 0x8110,
    /// <summary>N-SET-RQ (PS3.7 §10.3.3.1).</summary>
    NSetRequest = 0x0120,
    /// <summary>N-SET-RSP (PS3.7 §10.3.3.2).</summary>
    NSetResponse = 0x8120,
    /// <summary>N-ACTION-RQ (PS3.7 §10.3.4.1).</summary>
    NActionRequest = 0x0130,
    /// <summary>N-ACTION-RSP (PS3.7 §10.3.4.2).</summary>
    NActionResponse = 0x8130,
    /// <summary>N-CREATE-RQ (PS3.7 §10.3.5.1).</summary>
    NCreateRequest = 0x0140,
    /// <summary>N-CREATE-RSP (PS3.7 §10.3.5.2).</summary>
    NCreateResponse = 0x8140,
    /// <summary>N-DELETE-RQ (PS3.7 §10.3.6.1).</summary>
    NDeleteRequest = 0x0150,
    /// <summary>N-DELETE-RSP (PS3.7 §10.3.6.2).</summary>
    NDeleteResponse = 0x8150,
}
