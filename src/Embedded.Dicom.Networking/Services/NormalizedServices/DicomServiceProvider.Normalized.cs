using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Dimse;

namespace Embedded.Dicom.Networking.Services;

/// <summary>
/// The DIMSE-N SCP (PS3.7 §10) of the service provider: each N-request is handed, with its data set, to the
/// <see cref="INormalizedHandler"/> and answered with its reply. Without a handler the dispatcher answers 0x0211.
/// </summary>
public sealed partial class DicomServiceProvider
{
    /// <summary>Longest N-service data set accepted (larger: 0x0213 Resource limitation).</summary>
    public const int MaxNormalizedDataSetLength = 1024 * 1024;

    private IdentifierBuffer? _normalizedIn;
    private IdentifierBuffer? _normalizedOut;
    private List<(ushort MessageId, NormalizedEventReport Report)>? _eventReports;
    private ushort _nextEventMessageId = 0x8000;

    /// <summary>Serves DIMSE-N requests (MPPS, …); null answers them 0x0211 (Unrecognized operation).</summary>
    public INormalizedHandler? Normalized { get; init; }

    private static bool IsNormalizedRequest(ReadOnlySpan<byte> commandSet)
        => CommandSetPrimitives.TryPeekCommandField(commandSet, out ushort field, out _)
            && field is (ushort)CommandField.NEventReportRequest or (ushort)CommandField.NGetRequest or (ushort)CommandField.NSetRequest
                or (ushort)CommandField.NActionRequest or (ushort)CommandField.NCreateRequest or (ushort)CommandField.NDeleteRequest;

    private IDataSetSink? OpenNormalizedDataSet(ReadOnlySpan<byte> commandSet)
    {
        if (Normalized is null || !IsNormalizedRequest(commandSet))
        {
            return null;
        }

        _normalizedIn ??= new IdentifierBuffer(MaxNormalizedDataSetLength);
        _normalizedIn.Reset();
        return _normalizedIn;
    }

    /// <summary>Answers a DIMSE-N request when there is a handler; false for anything else (or an invalid command set).</summary>
    /// <remarks>Synchronous for every other message: the C-ECHO/C-STORE steady state stays allocation-free.</remarks>
    private ValueTask<bool> TryAnswerNormalizedAsync(in DimseReceiveResult received, CancellationToken cancellationToken)
        => Normalized is { } handler && IsNormalizedRequest(received.CommandSet.Span)
            ? AnswerNormalizedAsync(handler, received, cancellationToken)
            : new ValueTask<bool>(false);

    private async ValueTask<bool> AnswerNormalizedAsync(INormalizedHandler handler, DimseReceiveResult received, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> commandSet = received.CommandSet;
        NegotiatedPresentationContext context = _association.Negotiated.GetContext(received.PresentationContextId)!;
        TransferSyntax syntax = context.TransferSyntax!;
        _normalizedIn ??= new IdentifierBuffer(MaxNormalizedDataSetLength);
        if (!received.HadDataSet)
        {
            _normalizedIn.Reset();
        }

        if (!TryDecodeNormalized(commandSet.Span, received.HadDataSet, syntax, out NormalizedRequest request, out ushort messageId))
        {
            return false; // the dispatcher reports the invalid command set
        }

        request = request with { CallingAeTitle = _association.Negotiated.CallingAeTitle };

        NormalizedReply reply;
        if (_normalizedIn.Overflowed)
        {
            reply = new NormalizedReply(0x0213, "data set too long"); // Resource limitation (PS3.7 C.5)
        }
        else if (!handler.IsSupported(request.SopClassUid))
        {
            reply = new NormalizedReply(DicomStatus.SopClassNotSupported.Code); // 0x0122
        }
        else
        {
            try
            {
                reply = handler.Handle(request);
            }
            catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                _log?.Invoke(_id, "N-service handler failed: " + e.Message);
                reply = new NormalizedReply(0x0110, "processing failure"); // Processing failure (PS3.7 Annex C)
            }
        }

        DicomUid? instance = reply.SopInstanceUid ?? request.SopInstanceUid;
        LongString? comment = reply.ErrorComment is { } text ? (LongString?)LongString.Create(text.Length > 64 ? text[..64] : text) : null;
        bool hasDataSet = reply.DataSet is not null && syntax.IsLittleEndian && !syntax.IsDeflated && !syntax.IsEncapsulated;
        byte contextId = received.PresentationContextId;
        switch (request.Operation)
        {
            case NormalizedOperation.Create:
                _association.WriteCommand(contextId, new NCreateResponse
                {
                    MessageIDBeingRespondedTo = messageId, AffectedSOPClassUID = request.SopClassUid, AffectedSOPInstanceUID = instance,
                    Status = reply.Status, ErrorComment = comment, HasDataSet = hasDataSet,
                });
                break;
            case NormalizedOperation.Set:
                _association.WriteCommand(contextId, new NSetResponse
                {
                    MessageIDBeingRespondedTo = messageId, AffectedSOPClassUID = request.SopClassUid, AffectedSOPInstanceUID = instance,
                    Status = reply.Status, ErrorComment = comment, HasDataSet = hasDataSet,
                });
                break;
            case NormalizedOperation.Get:
                _association.WriteCommand(contextId, new NGetResponse
                {
                    MessageIDBeingRespondedTo = messageId, AffectedSOPClassUID = request.SopClassUid, AffectedSOPInstanceUID = instance,
                    Status = reply.Status, ErrorComment = comment, HasDataSet = hasDataSet,
                });
                break;
            case NormalizedOperation.Action:
                _association.WriteCommand(contextId, new NActionResponse
                {
                    MessageIDBeingRespondedTo = messageId, AffectedSOPClassUID = request.SopClassUid, AffectedSOPInstanceUID = instance,
                    ActionTypeID = request.TypeId, Status = reply.Status, ErrorComment = comment, HasDataSet = hasDataSet,
                });
                break;
            case NormalizedOperation.EventReport:
                _association.WriteCommand(contextId, new NEventReportResponse
                {
                    MessageIDBeingRespondedTo = messageId, AffectedSOPClassUID = request.SopClassUid, AffectedSOPInstanceUID = instance,
                    EventTypeID = request.TypeId, Status = reply.Status, ErrorComment = comment, HasDataSet = hasDataSet,
                });
                break;
            default:
                _association.WriteCommand(contextId, new NDeleteResponse
                {
                    MessageIDBeingRespondedTo = messageId, AffectedSOPClassUID = request.SopClassUid, AffectedSOPInstanceUID = instance,
                    Status = reply.Status, ErrorComment = comment,
                });
                break;
        }

        if (hasDataSet && request.Operation != NormalizedOperation.Delete)
        {
            _normalizedOut ??= new IdentifierBuffer(int.MaxValue);
            _normalizedOut.Reset();
            reply.DataSet!(new DataSetWriter(_normalizedOut, syntax));
            await _association.SendDataSetAsync(contextId, _normalizedOut, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _association.SendAsync(cancellationToken).ConfigureAwait(false);
        }

        if (reply.EventReport is { } report)
        {
            await SendEventReportAsync(report, contextId, syntax, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// Sends an N-EVENT-REPORT-RQ the handler asked for; its response is picked up by the read loop
    /// (<see cref="TryCompleteEventReport"/>) while other requests keep being served (PS3.7 D.3.3.3: each side
    /// invokes its own operations).
    /// </summary>
    private async ValueTask SendEventReportAsync(NormalizedEventReport report, byte contextId, TransferSyntax syntax, CancellationToken cancellationToken)
    {
        ushort messageId = _nextEventMessageId++;
        (_eventReports ??= []).Add((messageId, report));
        _association.WriteCommand(contextId, new NEventReportRequest
        {
            MessageID = messageId, AffectedSOPClassUID = report.SopClassUid, AffectedSOPInstanceUID = report.SopInstanceUid,
            EventTypeID = report.EventTypeId, HasDataSet = report.EventInformation is not null,
        });
        if (report.EventInformation is { } information)
        {
            _normalizedOut ??= new IdentifierBuffer(int.MaxValue);
            _normalizedOut.Reset();
            information(new DataSetWriter(_normalizedOut, syntax));
            await _association.SendDataSetAsync(contextId, _normalizedOut, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _association.SendAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True when <paramref name="received"/> answered one of our N-EVENT-REPORT-RQs.</summary>
    private bool TryCompleteEventReport(in DimseReceiveResult received)
    {
        if (_eventReports is not { Count: > 0 } pending || !NEventReportResponse.TryDecode(received.CommandSet.Span, out NEventReportResponse response, out _))
        {
            return false;
        }

        for (int i = 0; i < pending.Count; i++)
        {
            if (pending[i].MessageId == response.MessageIDBeingRespondedTo)
            {
                NormalizedEventReport report = pending[i].Report;
                pending.RemoveAt(i);
                _log?.Invoke(_id, $"N-EVENT-REPORT {response.MessageIDBeingRespondedTo} answered 0x{response.Status:X4}");
                report.Completed?.Invoke(true, response.Status);
                return true;
            }
        }

        return false;
    }

    /// <summary>The association ended with reports unanswered: each is told it was not delivered.</summary>
    private void FailPendingEventReports()
    {
        if (_eventReports is not { Count: > 0 } pending)
        {
            return;
        }

        foreach ((_, NormalizedEventReport report) in pending)
        {
            report.Completed?.Invoke(false, 0);
        }

        pending.Clear();
    }

    private void ReleaseNormalizedBuffers()
    {
        _normalizedIn?.Dispose();
        _normalizedOut?.Dispose();
    }

    private bool TryDecodeNormalized(ReadOnlySpan<byte> commandSet, bool hadDataSet, TransferSyntax syntax, out NormalizedRequest request, out ushort messageId)
    {
        ReadOnlyMemory<byte> data = hadDataSet ? _normalizedIn!.WrittenMemory : default;
        CommandSetPrimitives.TryPeekCommandField(commandSet, out ushort field, out _);
        request = default;
        messageId = 0;
        switch ((CommandField)field)
        {
            case CommandField.NCreateRequest when NCreateRequest.TryDecode(commandSet, out NCreateRequest m, out _):
                messageId = m.MessageID;
                request = new(NormalizedOperation.Create, m.AffectedSOPClassUID, m.AffectedSOPInstanceUID, 0, null, data, hadDataSet, syntax);
                return true;
            case CommandField.NSetRequest when NSetRequest.TryDecode(commandSet, out NSetRequest m, out _):
                messageId = m.MessageID;
                request = new(NormalizedOperation.Set, m.RequestedSOPClassUID, m.RequestedSOPInstanceUID, 0, null, data, hadDataSet, syntax);
                return true;
            case CommandField.NGetRequest when NGetRequest.TryDecode(commandSet, out NGetRequest m, out _):
                messageId = m.MessageID;
                request = new(NormalizedOperation.Get, m.RequestedSOPClassUID, m.RequestedSOPInstanceUID, 0, m.AttributeIdentifierList, data, hadDataSet, syntax);
                return true;
            case CommandField.NActionRequest when NActionRequest.TryDecode(commandSet, out NActionRequest m, out _):
                messageId = m.MessageID;
                request = new(NormalizedOperation.Action, m.RequestedSOPClassUID, m.RequestedSOPInstanceUID, m.ActionTypeID, null, data, hadDataSet, syntax);
                return true;
            case CommandField.NEventReportRequest when NEventReportRequest.TryDecode(commandSet, out NEventReportRequest m, out _):
                messageId = m.MessageID;
                request = new(NormalizedOperation.EventReport, m.AffectedSOPClassUID, m.AffectedSOPInstanceUID, m.EventTypeID, null, data, hadDataSet, syntax);
                return true;
            case CommandField.NDeleteRequest when NDeleteRequest.TryDecode(commandSet, out NDeleteRequest m, out _):
                messageId = m.MessageID;
                request = new(NormalizedOperation.Delete, m.RequestedSOPClassUID, m.RequestedSOPInstanceUID, 0, null, data, hadDataSet, syntax);
                return true;
            default:
                return false;
        }
    }
}
