using System;
using System.Buffers;
using System.Collections.Generic;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.TestData;

namespace Embedded.Dicom.Networking.Tests.Dimse;

/// <summary>One instance of each of the 23 messages with every element set, and helpers to encode any of them.</summary>
internal static class SampleMessages
{
    private static readonly DicomUid s_ct = CommandSetTestData.CTImageStorage;
    private static readonly DicomUid s_instance = CommandSetTestData.SampleInstanceUid;
    private static readonly DicomTagList s_tags = DicomTagList.Create(0x0010_0010, 0x0020_000D, 0x7FE0_0010);
    private static readonly LongString s_comment = "Disk full on /var/spool"; // 23 chars: odd, space padded

    public static byte[] Encode<T>(in T message) where T : struct, IDimseCommand<T>
    {
        var writer = new ArrayBufferWriter<byte>();
        message.Write(writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>(name, encoded bytes, a function that decodes and re-encodes) for all 23 messages, fully populated.</summary>
    public static IEnumerable<(string Name, byte[] Bytes, Func<byte[], byte[]> RoundTrip)> All()
    {
        yield return Entry(new CStoreRequest { MessageID = 7, AffectedSOPClassUID = s_ct, AffectedSOPInstanceUID = s_instance, Priority = 2, MoveOriginatorApplicationEntityTitle = (AeTitle)"MOVESCU", MoveOriginatorMessageID = 3 });
        yield return Entry(new CStoreResponse { MessageIDBeingRespondedTo = 7, AffectedSOPClassUID = s_ct, AffectedSOPInstanceUID = s_instance, Status = 0xA700, OffendingElement = s_tags, ErrorComment = s_comment });
        yield return Entry(new CFindRequest { MessageID = 8, AffectedSOPClassUID = (DicomUid)"1.2.840.10008.5.1.4.1.2.2.1", Priority = 0 });
        yield return Entry(new CFindResponse { MessageIDBeingRespondedTo = 8, AffectedSOPClassUID = (DicomUid)"1.2.840.10008.5.1.4.1.2.2.1", Status = 0xFF00, OffendingElement = s_tags, ErrorComment = s_comment, HasDataSet = true });
        yield return Entry(new CGetRequest { MessageID = 9, AffectedSOPClassUID = (DicomUid)"1.2.840.10008.5.1.4.1.2.2.3", Priority = 1 });
        yield return Entry(new CGetResponse { MessageIDBeingRespondedTo = 9, AffectedSOPClassUID = (DicomUid)"1.2.840.10008.5.1.4.1.2.2.3", Status = 0xFF00, NumberOfRemainingSuboperations = 4, NumberOfCompletedSuboperations = 5, NumberOfFailedSuboperations = 6, NumberOfWarningSuboperations = 7, OffendingElement = s_tags, ErrorComment = s_comment });
        yield return Entry(new CMoveRequest { MessageID = 10, AffectedSOPClassUID = (DicomUid)"1.2.840.10008.5.1.4.1.2.2.2", Priority = 0, MoveDestination = (AeTitle)"STORESCP" });
        yield return Entry(new CMoveResponse { MessageIDBeingRespondedTo = 10, AffectedSOPClassUID = (DicomUid)"1.2.840.10008.5.1.4.1.2.2.2", Status = 0xB000, NumberOfRemainingSuboperations = 0, NumberOfCompletedSuboperations = 65535, NumberOfFailedSuboperations = 1, NumberOfWarningSuboperations = 2, OffendingElement = s_tags, ErrorComment = s_comment, HasDataSet = true });
        yield return Entry(new CEchoRequest { MessageID = 1, AffectedSOPClassUID = CommandSetTestData.Verification });
        yield return Entry(new CEchoResponse { MessageIDBeingRespondedTo = 1, AffectedSOPClassUID = CommandSetTestData.Verification, Status = 0, ErrorComment = s_comment });
        yield return Entry(new CCancelRequest { MessageIDBeingRespondedTo = 8 });
        yield return Entry(new NEventReportRequest { MessageID = 11, AffectedSOPClassUID = (DicomUid)"1.2.840.10008.1.20.1", AffectedSOPInstanceUID = (DicomUid)"1.2.840.10008.1.20.1.1", EventTypeID = 2, HasDataSet = true });
        yield return Entry(new NEventReportResponse { MessageIDBeingRespondedTo = 11, AffectedSOPClassUID = (DicomUid)"1.2.840.10008.1.20.1", AffectedSOPInstanceUID = (DicomUid)"1.2.840.10008.1.20.1.1", EventTypeID = 2, Status = 0x0113, ErrorComment = s_comment, ErrorID = 42 });
        yield return Entry(new NGetRequest { MessageID = 12, RequestedSOPClassUID = (DicomUid)"1.2.840.10008.3.1.2.3.3", RequestedSOPInstanceUID = s_instance, AttributeIdentifierList = s_tags });
        yield return Entry(new NGetResponse { MessageIDBeingRespondedTo = 12, AffectedSOPClassUID = (DicomUid)"1.2.840.10008.3.1.2.3.3", AffectedSOPInstanceUID = s_instance, Status = 0x0107, AttributeIdentifierList = s_tags, ErrorComment = s_comment, ErrorID = 1, HasDataSet = true });
        yield return Entry(new NSetRequest { MessageID = 13, RequestedSOPClassUID = (DicomUid)"1.2.840.10008.3.1.2.3.3", RequestedSOPInstanceUID = s_instance });
        yield return Entry(new NSetResponse { MessageIDBeingRespondedTo = 13, AffectedSOPClassUID = (DicomUid)"1.2.840.10008.3.1.2.3.3", AffectedSOPInstanceUID = s_instance, Status = 0x0116, AttributeIdentifierList = s_tags, ErrorComment = s_comment, ErrorID = 2, HasDataSet = true });
        yield return Entry(new NActionRequest { MessageID = 14, RequestedSOPClassUID = (DicomUid)"1.2.840.10008.1.20.1", RequestedSOPInstanceUID = (DicomUid)"1.2.840.10008.1.20.1.1", ActionTypeID = 1, HasDataSet = true });
        yield return Entry(new NActionResponse { MessageIDBeingRespondedTo = 14, AffectedSOPClassUID = (DicomUid)"1.2.840.10008.1.20.1", AffectedSOPInstanceUID = (DicomUid)"1.2.840.10008.1.20.1.1", ActionTypeID = 1, Status = 0x0123, ErrorComment = s_comment, ErrorID = 3 });
        yield return Entry(new NCreateRequest { MessageID = 15, AffectedSOPClassUID = (DicomUid)"1.2.840.10008.3.1.2.3.3", AffectedSOPInstanceUID = s_instance, HasDataSet = true });
        yield return Entry(new NCreateResponse { MessageIDBeingRespondedTo = 15, AffectedSOPClassUID = (DicomUid)"1.2.840.10008.3.1.2.3.3", AffectedSOPInstanceUID = s_instance, Status = 0x0111, ErrorComment = s_comment, ErrorID = 4 });
        yield return Entry(new NDeleteRequest { MessageID = 16, RequestedSOPClassUID = (DicomUid)"1.2.840.10008.3.1.2.3.3", RequestedSOPInstanceUID = s_instance });
        yield return Entry(new NDeleteResponse { MessageIDBeingRespondedTo = 16, AffectedSOPClassUID = (DicomUid)"1.2.840.10008.3.1.2.3.3", AffectedSOPInstanceUID = s_instance, Status = 0x0112, ErrorComment = s_comment, ErrorID = 5 });
    }

    private static (string, byte[], Func<byte[], byte[]>) Entry<T>(T message) where T : struct, IDimseCommand<T>
        => (typeof(T).Name, Encode(message), static bytes =>
        {
            Assert.True(T.TryDecode(bytes, out T decoded, out CommandSetError error), error.ToString());
            return Encode(decoded);
        });
}
