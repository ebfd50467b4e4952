using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.Networking.UpperLayer;

namespace Embedded.Dicom.Networking;

public sealed partial class DicomAssociation
{
    private const int PDataHeadersLength = PduHeader.Size + PresentationDataValue.ItemHeaderLength;

    private byte[] _sendCurrent = [];
    private byte[] _sendNext = [];

    /// <summary>
    /// Writes a command set as P-DATA-TF PDUs (PS3.8 Annex E: fragments no longer than the peer's maximum,
    /// even, the last one flagged) into the transport's buffer; <see cref="SendAsync"/> or
    /// <see cref="SendDataSetAsync"/> puts it on the wire. The command is alone in its PDUs: some SCPs drop a
    /// connection whose PDU mixes command and data.
    /// </summary>
    public void WriteCommand<T>(byte presentationContextId, in T command) where T : struct, IDimseCommand<T>
    {
        EnsureCanSend(presentationContextId);
        int length = command.GetEncodedLength();
        Span<byte> encoded = length <= 1024 ? stackalloc byte[length] : new byte[length];
        if (!command.TryWrite(encoded, out _, out CommandSetError error))
        {
            CommandSetPrimitives.ThrowInvalidCommand(error);
        }

        int maxFragment = Negotiated.GetMaxSendFragment(MaxSendPduLength);
        int offset = 0;
        do
        {
            int fragment = Math.Min(maxFragment, length - offset);
            bool last = offset + fragment == length;
            Span<byte> pdu = _output.GetSpan(PDataHeadersLength + fragment);
            PDataTf.WriteSinglePdvHeader(pdu, presentationContextId, PresentationDataValue.GetMessageControlHeader(isCommand: true, last), fragment);
            encoded.Slice(offset, fragment).CopyTo(pdu[PDataHeadersLength..]);
            _output.Advance(PDataHeadersLength + fragment);
            offset += fragment;
        }
        while (offset < length);
    }

    /// <summary>Flushes what <see cref="WriteCommand"/> wrote (a message without a data set).</summary>
    public ValueTask SendAsync(CancellationToken cancellationToken = default) => FlushAsync(cancellationToken);

    /// <summary>
    /// Sends the data set that follows the command written by <see cref="WriteCommand"/>, one P-DATA-TF PDU per
    /// fragment and one flush (one socket write) per PDU; the command's PDU goes out with the first one. The source is read one fragment ahead, so the last
    /// fragment is flagged without knowing the length in advance; only two fragment buffers are ever held.
    /// </summary>
    [AsyncMethodBuilder(typeof(SharedPoolAsyncValueTaskMethodBuilder))]
    public async ValueTask SendDataSetAsync(byte presentationContextId, IDataSetSource source, CancellationToken cancellationToken = default)
    {
        try
        {
            await SendDataSetCoreAsync(presentationContextId, source, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (IsEstablished)
        {
            // The message stopped part-way (the source failed, the caller cancelled): the peer is in the middle of
            // a data set, so the association cannot carry anything else. Abort it (PS3.8 §7.3), then report.
            await AbortAsync().ConfigureAwait(false);
            throw;
        }
    }

    [AsyncMethodBuilder(typeof(SharedPoolAsyncValueTaskMethodBuilder))]
    private async ValueTask SendDataSetCoreAsync(byte presentationContextId, IDataSetSource source, CancellationToken cancellationToken)
    {
        // The command's PDU is still in the buffer: it leaves in the same socket write as the first data PDU
        // (each PDU stays whole and separate, PS3.8 Annex E; a small object is one write, not two).
        int maxFragment = Negotiated.GetMaxSendFragment(MaxSendPduLength);
        long remaining = source.RemainingLength;
        if (remaining > 0)
        {
            // Known length: each fragment is read straight into the PDU buffer, no intermediate copy.
            while (remaining > 0)
            {
                int fragment = (int)Math.Min(maxFragment, remaining);
                EnsureCanSend(presentationContextId);
                Span<byte> pdu = _output.GetSpan(PDataHeadersLength + fragment);
                int read = Fill(source, pdu.Slice(PDataHeadersLength, fragment));
                if (read != fragment)
                {
                    throw new DicomNetworkException(DicomNetworkFailure.LocalError, "the data set source ended before its announced length");
                }

                remaining -= fragment;
                PDataTf.WriteSinglePdvHeader(pdu, presentationContextId, PresentationDataValue.GetMessageControlHeader(isCommand: false, remaining == 0), fragment);
                _output.Advance(PDataHeadersLength + fragment);
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        EnsureSendBuffers(maxFragment);
        int current = Fill(source, _sendCurrent.AsSpan(0, maxFragment));
        if (current == 0)
        {
            throw new DicomNetworkException(DicomNetworkFailure.LocalError, "the data set to send is empty");
        }

        while (true)
        {
            int next = Fill(source, _sendNext.AsSpan(0, maxFragment));
            bool last = next == 0;
            EnsureCanSend(presentationContextId);
            Span<byte> pdu = _output.GetSpan(PDataHeadersLength + current);
            PDataTf.WriteSinglePdvHeader(pdu, presentationContextId, PresentationDataValue.GetMessageControlHeader(isCommand: false, last), current);
            _sendCurrent.AsSpan(0, current).CopyTo(pdu[PDataHeadersLength..]);
            _output.Advance(PDataHeadersLength + current);
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            if (last)
            {
                return;
            }

            (_sendCurrent, _sendNext) = (_sendNext, _sendCurrent);
            current = next;
        }
    }

    private static int Fill(IDataSetSource source, Span<byte> destination)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int read = source.Read(destination[total..]);
            if (read <= 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private void EnsureSendBuffers(int size)
    {
        if (_sendCurrent.Length >= size)
        {
            return;
        }

        ReturnSendBuffers();
        _sendCurrent = ArrayPool<byte>.Shared.Rent(size);
        _sendNext = ArrayPool<byte>.Shared.Rent(size);
    }

    private void ReturnSendBuffers()
    {
        if (_sendCurrent.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_sendCurrent);
            ArrayPool<byte>.Shared.Return(_sendNext);
            _sendCurrent = [];
            _sendNext = [];
        }
    }

    private void EnsureCanSend(byte presentationContextId)
    {
        if (_closed)
        {
            throw new DicomNetworkException(DicomNetworkFailure.ConnectionClosed, "the association is closed");
        }

        // Evt9: P-DATA request, allowed in Sta6 (DT-1) and Sta8 (AR-7) only.
        if (_fsm.Fire(UlEvent.Evt9) == UlAction.Invalid)
        {
            throw new InvalidOperationException($"P-DATA cannot be sent in {_fsm.State}");
        }

        if (Negotiated.GetContext(presentationContextId) is null)
        {
            throw new DicomNetworkException(DicomNetworkFailure.NoPresentationContext, $"presentation context {presentationContextId} was not accepted");
        }
    }
}
