using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.Networking.UpperLayer;

namespace Embedded.Dicom.Networking;

/// <summary>What <see cref="DicomAssociation.ReceiveAsync"/> brought.</summary>
public enum DimseReceiveKind
{
    /// <summary>A whole DIMSE message (its data set, if any, went to the sink).</summary>
    Message,
    /// <summary>The peer sent A-RELEASE-RQ; answer with <see cref="DicomAssociation.SendReleaseResponseAsync"/>.</summary>
    ReleaseRequested,
    /// <summary>The peer sent A-ABORT; the association is closed.</summary>
    Aborted,
}

/// <summary>The outcome of one receive. <see cref="CommandSet"/> is valid until the next receive.</summary>
public readonly struct DimseReceiveResult
{
    internal DimseReceiveResult(DimseReceiveKind kind, byte presentationContextId, ReadOnlyMemory<byte> commandSet, bool hadDataSet, AAbort abort)
    {
        Kind = kind;
        PresentationContextId = presentationContextId;
        CommandSet = commandSet;
        HadDataSet = hadDataSet;
        Abort = abort;
    }

    /// <summary>What arrived.</summary>
    public DimseReceiveKind Kind { get; }

    /// <summary>The presentation context of the message.</summary>
    public byte PresentationContextId { get; }

    /// <summary>The reassembled command set (Implicit VR LE).</summary>
    public ReadOnlyMemory<byte> CommandSet { get; }

    /// <summary>True when a data set followed the command.</summary>
    public bool HadDataSet { get; }

    /// <summary>The A-ABORT, for <see cref="DimseReceiveKind.Aborted"/>.</summary>
    public AAbort Abort { get; }
}

public sealed partial class DicomAssociation
{
    private int _commandLength;
    private bool _commandDone;
    private bool _expectDataSet;
    private byte _messageContextId;
    private IDataSetSink? _currentSink;

    /// <summary>
    /// Receives the next DIMSE message (PS3.8 Annex E reassembly, whatever the PDV packing): command fragments
    /// are gathered (bounded by <see cref="MaxCommandSetLength"/>), and the data set's fragments are streamed to
    /// the sink that <paramref name="sinks"/> supplies. <paramref name="firstPduTimeout"/> bounds the wait for
    /// the message to start (the idle or DIMSE timeout); the rest of the message must follow within the DIMSE
    /// timeout.
    /// </summary>
    [AsyncMethodBuilder(typeof(SharedPoolAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<DimseReceiveResult> ReceiveAsync(IDataSetSinkProvider? sinks, TimeSpan firstPduTimeout, CancellationToken cancellationToken = default)
    {
        _commandLength = 0;
        _commandDone = false;
        _expectDataSet = false;
        _messageContextId = 0;
        _currentSink = null;
        TimeSpan timeout = firstPduTimeout;
        while (true)
        {
            PduEnvelope envelope = await ReadPduAsync(timeout, cancellationToken).ConfigureAwait(false);
            timeout = Timeouts.Dimse;
            switch (envelope.Header.Type)
            {
                case PduType.PDataTf:
                    if (_fsm.State != UlState.Sta6)
                    {
                        ConsumeEnvelope(envelope);
                        await HandleUnexpectedPduAsync(PduType.PDataTf, envelope).ConfigureAwait(false);
                    }

                    _fsm.Fire(UlEvent.Evt10);
                    ReceiveStep step = ProcessPData(envelope.Body, sinks, out string? violation, out AAbortReason reason);
                    ConsumeEnvelope(envelope);
                    if (step == ReceiveStep.Violation)
                    {
                        _currentSink?.Abort();
                        _currentSink = null;
                        await ProviderAbortAsync(UlEvent.Evt19, new AAbort(AAbortSource.ServiceProvider, reason), violation!).ConfigureAwait(false);
                    }

                    if (step == ReceiveStep.MessageComplete)
                    {
                        return new DimseReceiveResult(DimseReceiveKind.Message, _messageContextId, _command.AsMemory(0, _commandLength), _expectDataSet, default);
                    }

                    break;
                case PduType.AReleaseRequest:
                    ConsumeEnvelope(envelope);
                    _currentSink?.Abort();
                    _currentSink = null;
                    if (_fsm.Fire(UlEvent.Evt12) != UlAction.AR2)
                    {
                        await ProviderAbortAsync(UlEvent.Evt19, new AAbort(AAbortSource.ServiceProvider, AAbortReason.UnexpectedPdu), "unexpected A-RELEASE-RQ").ConfigureAwait(false);
                    }

                    return new DimseReceiveResult(DimseReceiveKind.ReleaseRequested, 0, default, false, default);
                case PduType.AAbort:
                    AAbort.TryRead(envelope.Body, out AAbort abort, out _);
                    ConsumeEnvelope(envelope);
                    _currentSink?.Abort();
                    _currentSink = null;
                    _fsm.Fire(UlEvent.Evt16);
                    await DisposeAsync().ConfigureAwait(false);
                    return new DimseReceiveResult(DimseReceiveKind.Aborted, 0, default, false, abort);
                default:
                    ConsumeEnvelope(envelope);
                    await HandleUnexpectedPduAsync(envelope.Header.Type, envelope).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>Answers A-RELEASE-RQ (AR-4: A-RELEASE-RP, then ARTIM while the peer closes) and closes.</summary>
    public async Task SendReleaseResponseAsync()
    {
        if (_fsm.Fire(UlEvent.Evt14) == UlAction.AR4)
        {
            new AReleaseResponse().Write(_output);
            try
            {
                await FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (DicomNetworkException)
            {
                return; // the requestor closed first, which is fine after a release
            }

            await AwaitCloseAsync().ConfigureAwait(false);
        }
        else
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    private enum ReceiveStep
    {
        NeedMore,
        MessageComplete,
        Violation,
    }

    private ReceiveStep ProcessPData(ReadOnlySequence<byte> body, IDataSetSinkProvider? sinks, out string? violation, out AAbortReason reason)
    {
        violation = null;
        reason = AAbortReason.UnexpectedPduParameter;
        bool complete = false;
        var pdvs = new PresentationDataValueReader(body, _limits);
        while (pdvs.TryRead(out PresentationDataValue pdv))
        {
            if (complete)
            {
                violation = "a P-DATA-TF carried PDVs of two messages (PS3.8 Annex E.2)";
                return ReceiveStep.Violation;
            }

            NegotiatedPresentationContext? context = Negotiated.GetContext(pdv.PresentationContextId);
            if (context is null || (_messageContextId != 0 && pdv.PresentationContextId != _messageContextId))
            {
                violation = $"PDV on presentation context {pdv.PresentationContextId}, which is not accepted or not the message's";
                reason = AAbortReason.InvalidPduParameterValue;
                return ReceiveStep.Violation;
            }

            _messageContextId = pdv.PresentationContextId;
            if (pdv.IsCommand)
            {
                if (_commandDone)
                {
                    violation = "a command fragment arrived after the command set ended";
                    return ReceiveStep.Violation;
                }

                long length = pdv.Fragment.Length;
                if (_commandLength + length > MaxCommandSetLength)
                {
                    violation = $"command set longer than {MaxCommandSetLength} bytes";
                    reason = AAbortReason.NotSpecified;
                    return ReceiveStep.Violation;
                }

                EnsureCommandCapacity(_commandLength + (int)length);
                pdv.Fragment.CopyTo(_command.AsSpan(_commandLength));
                _commandLength += (int)length;
                if (pdv.IsLastFragment)
                {
                    _commandDone = true;
                    _expectDataSet = CommandSetPrimitives.TryReadHasDataSet(_command.AsSpan(0, _commandLength), out bool hasDataSet) && hasDataSet;
                    if (_expectDataSet)
                    {
                        _currentSink = sinks?.OpenDataSet(_command.AsSpan(0, _commandLength), context) ?? DiscardingSink.Instance;
                    }
                    else
                    {
                        complete = true;
                    }
                }
            }
            else
            {
                if (!_commandDone || _currentSink is null)
                {
                    violation = "a data set fragment arrived without a command announcing it";
                    return ReceiveStep.Violation;
                }

                _currentSink.Write(pdv.Fragment);
                if (pdv.IsLastFragment)
                {
                    IDataSetSink sink = _currentSink;
                    _currentSink = null;
                    sink.Complete();
                    complete = true;
                }
            }
        }

        if (!pdvs.Error.IsNone)
        {
            violation = "invalid P-DATA-TF: " + pdvs.Error;
            reason = pdvs.Error.AbortReason;
            return ReceiveStep.Violation;
        }

        return complete ? ReceiveStep.MessageComplete : ReceiveStep.NeedMore;
    }

    private void EnsureCommandCapacity(int needed)
    {
        if (needed <= _command.Length)
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxCommandSetLength, Math.Max(needed, _command.Length * 2)));
        _command.AsSpan(0, _commandLength).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_command);
        _command = larger;
    }
}

/// <summary>A sink that drops the data set (used when nobody wants it, and by discarding SCPs).</summary>
public sealed class DiscardingSink : IDataSetSink
{
    /// <summary>The shared instance.</summary>
    public static DiscardingSink Instance { get; } = new();

    /// <inheritdoc/>
    public void Write(in ReadOnlySequence<byte> fragment)
    {
    }

    /// <inheritdoc/>
    public void Complete()
    {
    }

    /// <inheritdoc/>
    public void Abort()
    {
    }
}
