using System;
using System.Buffers;
using System.IO.Pipelines;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.Networking.UpperLayer;

namespace Embedded.Dicom.Networking;

/// <summary>
/// One DICOM association over a duplex byte pipe: the PS3.8 upper-layer state machine driven by PDUs, with
/// PDV reassembly and fragmentation (PS3.8 Annex E). It never sees a socket: the transport hands it an
/// <see cref="IDuplexPipe"/> and an <see cref="IAsyncDisposable"/> that closes the connection.
/// <para>
/// One reader and one writer at a time: a requestor sends a request and then receives its response; an
/// acceptor receives and answers. Buffers are rented once per association, so the steady state allocates
/// nothing per message.
/// </para>
/// </summary>
public sealed partial class DicomAssociation : IAsyncDisposable
{
    /// <summary>Largest command set accepted (PS3.7 §6.3: the command group is small; this bounds reassembly).</summary>
    public const int MaxCommandSetLength = 64 * 1024;

    /// <summary>Cap on the PDU size we send when the peer announces 0 (unlimited) or more (PS3.8 Annex D.1).</summary>
    public const int MaxSendPduLength = 1024 * 1024;

    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly IAsyncDisposable? _connection;
    private readonly UpperLayerStateMachine _fsm;
    private readonly PduLimits _limits;
    private CancellationTokenSource _timeout = new();
    private byte[] _command;
    private bool _closed;

    private DicomAssociation(IDuplexPipe pipe, IAsyncDisposable? connection, bool isRequestor, PduLimits limits, AssociationTimeouts timeouts)
    {
        _input = pipe.Input;
        _output = pipe.Output;
        _connection = connection;
        _fsm = new UpperLayerStateMachine(isRequestor);
        _limits = limits;
        Timeouts = timeouts;
        _command = ArrayPool<byte>.Shared.Rent(1024);
    }

    /// <summary>The negotiated association (contexts, limits, peer identity).</summary>
    public NegotiatedAssociation Negotiated { get; private set; } = null!;

    /// <summary>The state of the upper-layer protocol machine.</summary>
    public UlState State => _fsm.State;

    /// <summary>The timeouts in force.</summary>
    public AssociationTimeouts Timeouts { get; }

    /// <summary>True while the association can carry messages (Sta6).</summary>
    public bool IsEstablished => _fsm.State == UlState.Sta6 && !_closed;

    /// <summary>
    /// Requests an association over an open transport (PS3.8 §9.2: Evt1, Evt2 → AE-1, AE-2) and waits for the
    /// answer for at most the ACSE timeout.
    /// </summary>
    /// <exception cref="DicomNetworkException">Rejected, aborted, timed out or a protocol error.</exception>
    public static async Task<DicomAssociation> RequestAsync(IDuplexPipe pipe, IAsyncDisposable? connection, AAssociateRequest request,
        AssociationTimeouts? timeouts = null, PduLimits? limits = null, CancellationToken cancellationToken = default)
    {
        uint localMaximum = request.UserInformation.MaximumLength;
        limits ??= PduLimits.Default with { MaxDataPduLength = LimitFor(localMaximum) };
        var association = new DicomAssociation(pipe, connection, isRequestor: true, limits, timeouts ?? AssociationTimeouts.Default);
        try
        {
            association._fsm.Fire(UlEvent.Evt1);
            association._fsm.Fire(UlEvent.Evt2);
            request.Write(association._output);
            await association.FlushAsync(cancellationToken).ConfigureAwait(false);

            while (true)
            {
                PduEnvelope envelope = await association.ReadPduAsync(association.Timeouts.Acse, cancellationToken).ConfigureAwait(false);
                try
                {
                    switch (envelope.Header.Type)
                    {
                        case PduType.AAssociateAccept:
                            if (AAssociateAccept.TryRead(envelope.Body, association._limits, out AAssociateAccept? accept, out PduError error) != PduReadStatus.Done)
                            {
                                association.ConsumeEnvelope(envelope);
                                await association.ProviderAbortAsync(UlEvent.Evt19, error.ToAAbort(), "invalid A-ASSOCIATE-AC: " + error).ConfigureAwait(false);
                            }

                            association._fsm.Fire(UlEvent.Evt3);
                            association.Negotiated = AssociationNegotiation.ProcessAccept(request, accept!, localMaximum);
                            association.ConsumeEnvelope(envelope);
                            return association;
                        case PduType.AAssociateReject:
                            AAssociateReject.TryRead(envelope.Body, out AAssociateReject reject, out _);
                            association.ConsumeEnvelope(envelope);
                            association._fsm.Fire(UlEvent.Evt4);
                            await association.CloseTransportAsync().ConfigureAwait(false);
                            throw new DicomNetworkException(DicomNetworkFailure.AssociationRejected,
                                $"association rejected by {request.CalledAeTitle}: {AssociationRejection.Describe(reject)}");
                        default:
                            association.ConsumeEnvelope(envelope);
                            await association.HandleUnexpectedPduAsync(envelope.Header.Type, envelope).ConfigureAwait(false);
                            break;
                    }
                }
                finally
                {
                    association.ConsumeEnvelope(envelope);
                }
            }
        }
        catch
        {
            await association.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs the acceptor side of association establishment on an incoming connection (Evt5 → AE-5, ARTIM
    /// started): reads the A-ASSOCIATE-RQ within ARTIM, negotiates with <paramref name="policy"/>, and answers
    /// A-ASSOCIATE-AC, or A-ASSOCIATE-RJ (and returns null). <paramref name="overCapacity"/> rejects with
    /// 2/3/2 (local limit exceeded), after reading the request as PS3.8 requires; <paramref name="accept"/>, when
    /// given, is the application's last word on a request the policy accepted (false: RJ 1/1/1).
    /// </summary>
    public static async Task<DicomAssociation?> AcceptAsync(IDuplexPipe pipe, IAsyncDisposable? connection, AcceptorPolicy policy,
        AssociationTimeouts? timeouts = null, bool overCapacity = false, CancellationToken cancellationToken = default,
        Func<AAssociateRequest, bool>? accept = null)
    {
        PduLimits limits = policy.Limits with { MaxDataPduLength = LimitFor(policy.MaximumLength) };
        var association = new DicomAssociation(pipe, connection, isRequestor: false, limits, timeouts ?? AssociationTimeouts.Default);
        try
        {
            association._fsm.Fire(UlEvent.Evt5);
            PduEnvelope envelope = await association.ReadPduAsync(association.Timeouts.Artim, cancellationToken).ConfigureAwait(false);
            if (envelope.Header.Type != PduType.AAssociateRequest)
            {
                association.ConsumeEnvelope(envelope);
                await association.HandleUnexpectedPduAsync(envelope.Header.Type, envelope).ConfigureAwait(false);
                return null;
            }

            PduReadStatus status = AAssociateRequest.TryRead(envelope.Body, association._limits, out AAssociateRequest? request, out PduError error);
            association.ConsumeEnvelope(envelope);
            if (status != PduReadStatus.Done)
            {
                await association.ProviderAbortAsync(UlEvent.Evt19, error.ToAAbort(), "invalid A-ASSOCIATE-RQ: " + error).ConfigureAwait(false);
            }

            AAssociateAccept? acceptPdu = null;
            NegotiatedAssociation? negotiated = null;
            AssociationRejectReason reason = AssociationRejectReason.TooManyAssociations;
            bool acceptable = !overCapacity && AssociationNegotiation.TryAccept(request!, policy, out acceptPdu, out negotiated, out reason);
            if (acceptable && accept is not null && !accept(request!))
            {
                // The application's own decision (e.g. a firmware accept hook): service-user, no reason given.
                acceptable = false;
                reason = AssociationRejectReason.RefusedByApplication;
            }

            // AE-6 → Sta3 then Evt7/Evt8: the local user's answer is the policy's decision.
            association._fsm.Fire(UlEvent.Evt6);
            if (!acceptable)
            {
                association._fsm.Fire(UlEvent.Evt8);
                AssociationRejection.ToPdu(reason).Write(association._output);
                await association.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                association.RejectReason = reason;
                await association.AwaitCloseAsync().ConfigureAwait(false);
                return null;
            }

            association._fsm.Fire(UlEvent.Evt7);
            association.Negotiated = negotiated!;
            acceptPdu!.Write(association._output);
            await association.FlushAsync(cancellationToken).ConfigureAwait(false);
            return association;
        }
        catch (DicomNetworkException)
        {
            await association.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch
        {
            await association.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Set on an acceptor whose request was refused (for logging).</summary>
    public AssociationRejectReason? RejectReason { get; private set; }

    /// <summary>The PDU-length limit enforced on receipt for an announced Maximum Length (0 = unlimited → our cap).</summary>
    private static int LimitFor(uint maximumLength)
        => maximumLength == 0 || maximumLength > MaxSendPduLength ? MaxSendPduLength + PresentationDataValue.ItemHeaderLength : (int)maximumLength + PresentationDataValue.ItemHeaderLength;

    /// <summary>
    /// Releases the association (A-RELEASE-RQ, then A-RELEASE-RP within the ACSE timeout; PS3.8 §7.2) and
    /// closes the connection. A release collision is resolved as PS3.8 §9.2.5 describes.
    /// </summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (!IsEstablished)
        {
            await DisposeAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            _fsm.Fire(UlEvent.Evt11);
            new AReleaseRequest().Write(_output);
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            while (_fsm.State != UlState.Sta1)
            {
                PduEnvelope envelope = await ReadPduAsync(Timeouts.Acse, cancellationToken).ConfigureAwait(false);
                PduType type = envelope.Header.Type;
                ConsumeEnvelope(envelope);
                switch (type)
                {
                    case PduType.AReleaseResponse:
                        _fsm.Fire(UlEvent.Evt13);
                        break;
                    case PduType.AReleaseRequest:
                        // Release collision: as requestor we answer first (AR-8 → Sta9, AR-9 → Sta11).
                        _fsm.Fire(UlEvent.Evt12);
                        _fsm.Fire(UlEvent.Evt14);
                        new AReleaseResponse().Write(_output);
                        await FlushAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case PduType.PDataTf:
                        _fsm.Fire(UlEvent.Evt10); // AR-6: late data while waiting for the RP is dropped
                        break;
                    default:
                        await HandleUnexpectedPduAsync(type, envelope).ConfigureAwait(false);
                        break;
                }
            }
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Aborts the association (A-ABORT, source service-user; PS3.8 §7.3) and closes the connection.</summary>
    public async Task AbortAsync()
    {
        // Evt15: AA-1 sends A-ABORT (Sta3, Sta5–Sta12); AA-2 (Sta4) only closes; elsewhere there is nothing to abort.
        if (!_closed && _fsm.Fire(UlEvent.Evt15) == UlAction.AA1)
        {
            try
            {
                new AAbort(AAbortSource.ServiceUser, AAbortReason.NotSpecified).Write(_output);
                await _output.FlushAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.IO.IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                // The transport is already gone; closing is all that is left.
            }
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Closes the connection without a PDU (after a release or an abort, or on disposal).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _currentSink?.Abort();
        _currentSink = null;
        await CloseTransportAsync().ConfigureAwait(false);
        _timeout.Dispose();
        byte[] command = _command;
        _command = [];
        if (command.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(command);
        }

        ReturnSendBuffers();
    }

    private async ValueTask CloseTransportAsync()
    {
        try
        {
            await _input.CompleteAsync().ConfigureAwait(false);
            await _output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.IO.IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Closing a broken transport.
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sta13 after sending RJ or A-ABORT: wait (at most ARTIM) for the peer to close, then close (AA-2 / AR-5).</summary>
    private async ValueTask AwaitCloseAsync()
    {
        try
        {
            _timeout.CancelAfter(Timeouts.Artim);
            while (true)
            {
                ReadResult result = await _input.ReadAsync(_timeout.Token).ConfigureAwait(false);
                _input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.IO.IOException or InvalidOperationException)
        {
            // ARTIM expired or the transport broke: close anyway.
        }

        await DisposeAsync().ConfigureAwait(false);
    }
}
