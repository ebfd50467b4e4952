using System;
using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.Networking.UpperLayer;

namespace Embedded.Dicom.Networking;

public sealed partial class DicomAssociation
{
    /// <summary>A PDU read from the pipe; its body stays valid until <see cref="ConsumeEnvelope"/>.</summary>
    private readonly struct PduEnvelope(PduHeader header, ReadOnlySequence<byte> body, SequencePosition end)
    {
        public PduHeader Header { get; } = header;

        public ReadOnlySequence<byte> Body { get; } = body;

        public SequencePosition End { get; } = end;
    }

    private bool _envelopeOpen;

    private void ConsumeEnvelope(in PduEnvelope envelope)
    {
        if (_envelopeOpen)
        {
            _envelopeOpen = false;
            _input.AdvanceTo(envelope.End);
        }
    }

    /// <summary>
    /// Reads one whole PDU, waiting at most <paramref name="timeout"/> for it. Limits are checked on the 6-byte
    /// header before the body is waited for (PS3.8 §9.3.1; conventions C8). A malformed PDU is answered with
    /// A-ABORT (Evt19); a closed transport is Evt17.
    /// </summary>
    [AsyncMethodBuilder(typeof(SharedPoolAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<PduEnvelope> ReadPduAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_closed)
        {
            throw new DicomNetworkException(DicomNetworkFailure.ConnectionClosed, "the association is closed");
        }

        while (true)
        {
            ReadResult result = await ReadWithTimeoutAsync(timeout, cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            PduReadStatus status = PduReader.TryReadPdu(ref reader, _limits, out PduHeader header, out ReadOnlySequence<byte> body, out PduError error);
            if (status == PduReadStatus.Done)
            {
                _envelopeOpen = true;
                return new PduEnvelope(header, body, reader.Position);
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            if (status == PduReadStatus.Invalid)
            {
                await ProviderAbortAsync(UlEvent.Evt19, error.ToAAbort(), "invalid PDU from the peer: " + error).ConfigureAwait(false);
            }

            if (result.IsCompleted)
            {
                _fsm.Fire(UlEvent.Evt17);
                _currentSink?.Abort();
                _currentSink = null;
                await DisposeAsync().ConfigureAwait(false);
                throw new DicomNetworkException(DicomNetworkFailure.ConnectionClosed,
                    buffer.IsEmpty ? "the peer closed the connection" : "the peer closed the connection in the middle of a PDU");
            }
        }
    }

    [AsyncMethodBuilder(typeof(SharedPoolAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ReadWithTimeoutAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout == Timeout.InfiniteTimeSpan && !cancellationToken.CanBeCanceled)
        {
            return await _input.ReadAsync(CancellationToken.None).ConfigureAwait(false);
        }

        CancellationTokenRegistration registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _timeout)
            : default;
        try
        {
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                _timeout.CancelAfter(timeout);
            }

            return await _input.ReadAsync(_timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            bool byCaller = cancellationToken.IsCancellationRequested;
            if (!byCaller && _fsm.State is UlState.Sta2 or UlState.Sta13)
            {
                // Evt18, ARTIM expired: AA-2 closes the transport without a PDU (PS3.8 §9.1.5).
                _fsm.Fire(UlEvent.Evt18);
                await DisposeAsync().ConfigureAwait(false);
                throw new DicomNetworkException(DicomNetworkFailure.Timeout, $"timeout: ARTIM expired after {timeout.TotalSeconds:0.###} s without the expected PDU; connection closed");
            }

            await AbortAsync().ConfigureAwait(false);
            if (byCaller)
            {
                throw;
            }

            throw new DicomNetworkException(DicomNetworkFailure.Timeout,
                $"timeout: no answer from the peer within {timeout.TotalSeconds:0.###} s; the association was aborted");
        }
        finally
        {
            await registration.DisposeAsync().ConfigureAwait(false);
            if (!_closed && !_timeout.TryReset())
            {
                ResetTimeoutSource();
            }
        }
    }

    private void ResetTimeoutSource()
    {
        // Only after a cancellation: a cancelled source cannot be reset.
        CancellationTokenSource old = _timeout;
        _timeout = new CancellationTokenSource();
        old.Dispose();
    }

    [AsyncMethodBuilder(typeof(SharedPoolAsyncValueTaskMethodBuilder))]
    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        FlushResult result;
        try
        {
            result = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.IO.IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // A peer that aborts while we send (e.g. storescp --abort-during) resets the connection, but its
            // A-ABORT is usually still readable: report the abort and its reason, not a bare reset
            // (PS3.7 Annex A.6; interop: an abort must reach the user with its source and reason).
            AAbort? abort = await TryReadPendingAbortAsync().ConfigureAwait(false);
            // PS3.8: an association whose send failed part-way is never reused.
            await DisposeAsync().ConfigureAwait(false);
            if (abort is { } received)
            {
                throw new DicomNetworkException(DicomNetworkFailure.Aborted, "the peer aborted the association while we were sending: " + DescribeAbort(received), e);
            }

            throw new DicomNetworkException(DicomNetworkFailure.ConnectionClosed, "sending failed: " + e.Message, e);
        }

        if (result.IsCompleted)
        {
            await DisposeAsync().ConfigureAwait(false);
            throw new DicomNetworkException(DicomNetworkFailure.ConnectionClosed, "the peer closed the connection while we were sending");
        }
    }

    /// <summary>Failure path only: looks, for at most half a second, for an A-ABORT the peer sent before resetting.</summary>
    private async ValueTask<AAbort?> TryReadPendingAbortAsync()
    {
        if (_closed || _envelopeOpen)
        {
            return null;
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        try
        {
            while (true)
            {
                ReadResult result = await _input.ReadAsync(wait.Token).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                var reader = new SequenceReader<byte>(buffer);
                while (PduReader.TryReadPdu(ref reader, _limits, out PduHeader header, out ReadOnlySequence<byte> body, out _) == PduReadStatus.Done)
                {
                    if (header.Type == PduType.AAbort && AAbort.TryRead(body, out AAbort abort, out _) == PduReadStatus.Done)
                    {
                        _input.AdvanceTo(buffer.End);
                        return abort;
                    }
                }

                _input.AdvanceTo(reader.Position, buffer.End);
                if (result.IsCompleted)
                {
                    return null;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.IO.IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Sends A-ABORT as the service provider (AA-1, AA-7 or AA-8 by the table), closes, and throws a protocol error
    /// naming <paramref name="why"/>. Never returns normally.
    /// </summary>
    private async ValueTask ProviderAbortAsync(UlEvent cause, AAbort abort, string why)
    {
        UlAction action = _fsm.Fire(cause);
        if (action is UlAction.AA1 or UlAction.AA7 or UlAction.AA8)
        {
            try
            {
                new AAbort(AAbortSource.ServiceProvider, abort.Reason).Write(_output);
                await _output.FlushAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.IO.IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                // Best effort: the peer may already be gone.
            }
        }

        await DisposeAsync().ConfigureAwait(false);
        throw new DicomNetworkException(DicomNetworkFailure.ProtocolError, why + $"; sent A-ABORT (service-provider, reason {abort.Reason})");
    }

    /// <summary>A PDU that the current state does not expect: the table says AA-8/AA-1/AA-7 (abort) or AA-3 for A-ABORT.</summary>
    private async ValueTask HandleUnexpectedPduAsync(PduType type, PduEnvelope envelope)
    {
        if (type == PduType.AAbort)
        {
            AAbort.TryRead(envelope.Body, out AAbort abort, out _);
            _fsm.Fire(UlEvent.Evt16);
            await DisposeAsync().ConfigureAwait(false);
            throw new DicomNetworkException(DicomNetworkFailure.Aborted, "the peer aborted the association: " + DescribeAbort(abort));
        }

        UlEvent cause = type switch
        {
            PduType.AAssociateRequest => UlEvent.Evt6,
            PduType.AAssociateAccept => UlEvent.Evt3,
            PduType.AAssociateReject => UlEvent.Evt4,
            PduType.PDataTf => UlEvent.Evt10,
            PduType.AReleaseRequest => UlEvent.Evt12,
            _ => UlEvent.Evt13,
        };
        UlState state = _fsm.State;
        await ProviderAbortAsync(cause, new AAbort(AAbortSource.ServiceProvider, AAbortReason.UnexpectedPdu), $"unexpected {type} in {state}").ConfigureAwait(false);
    }

    /// <summary>"source service-user, reason not specified" and so on (PS3.8 §9.3.8).</summary>
    public static string DescribeAbort(AAbort abort)
    {
        string source = abort.Source switch
        {
            AAbortSource.ServiceUser => "service-user",
            AAbortSource.ServiceProvider => "service-provider",
            _ => "reserved source",
        };
        return abort.Source == AAbortSource.ServiceProvider ? $"A-ABORT source {source}, reason {abort.Reason}" : $"A-ABORT source {source}";
    }
}
