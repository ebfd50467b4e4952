using System;
using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Embedded.Dicom.Networking.Sockets;

/// <summary>
/// A TCP connection as a duplex pipe. TCP_NODELAY is always on: DICOM exchanges are request/response, and
/// Nagle's algorithm would hold each small PDU back 40–200 ms waiting for the peer's delayed ACK.
/// </summary>
/// <remarks>
/// Receiving is one long-running loop per connection (socket → <see cref="Pipe"/>, Kestrel's SocketConnection
/// shape), not <c>PipeReader.Create(stream)</c>: that reader runs each pending read in a pooled async box whose
/// per-thread cache misses when the read starts on one thread and completes on another, which is every DICOM
/// response (measured through the C ABI: its boxes were the last per-message allocation). The loop's own state
/// machine is allocated once; <see cref="Socket.ReceiveAsync(Memory{byte}, SocketFlags, CancellationToken)"/>
/// reuses the socket's cached event args, and the pipe's reader completes inline on the loop's thread.
/// </remarks>
public sealed class SocketConnection : IDuplexPipe, IAsyncDisposable
{
    // Large enough that a 128 KiB PDU arrives in one or two reads; the pipe rents these from the shared pool.
    private const int ReadBufferSize = 256 * 1024;

    // Back-pressure: the loop stops receiving while this much is unread: twice the largest PDU the peer may send
    // us (the Maximum Length we announce, PS3.8 D.1, plus the 6-byte header), so that a whole PDU always fits —
    // the association consumes nothing until its PDU is complete — and at least 1 MiB (association PDUs). It is
    // also the most a slow consumer (a file write) lets pile up, which bounds the receiver's memory.
    private const long MinimumPauseThreshold = 1024 * 1024;
    private const int MinimumReadSize = 4096;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly Pipe _received;
    private readonly Task _receiving;
    private int _disposed;

    /// <summary>Wraps a connected socket and takes ownership of it.</summary>
    /// <param name="socket">The connected socket.</param>
    /// <param name="maximumReceiveLength">The Maximum Length we announce to the peer (the largest P-DATA-TF it may send).</param>
    public SocketConnection(Socket socket, uint maximumReceiveLength = 131_072)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _stream = new NetworkStream(socket, ownsSocket: true);
        long pause = Math.Max(MinimumPauseThreshold, 2L * ((maximumReceiveLength == 0 ? DicomClient.MaximumLengthCap : maximumReceiveLength) + 6));
        _received = new Pipe(new PipeOptions(pauseWriterThreshold: pause, resumeWriterThreshold: pause / 2,
            pool: new ReceiveBufferPool(), readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
            minimumSegmentSize: ReadBufferSize, useSynchronizationContext: false));
        Input = _received.Reader;
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
        _receiving = ReceiveLoopAsync();
    }

    /// <summary>Receives until the peer closes, the connection breaks or the reader completes.</summary>
    private async Task ReceiveLoopAsync()
    {
        PipeWriter writer = _received.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                Memory<byte> buffer = writer.GetMemory(MinimumReadSize);
                int received = await _socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                {
                    break; // the peer closed its side
                }

                writer.Advance(received);
                FlushResult flushed = await writer.FlushAsync().ConfigureAwait(false);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break; // the reader is done (the association closed)
                }
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // A reset ends the data like a close (PS3.8 Evt17), and what arrived before it stays readable: a peer
            // that aborts while we send resets the connection right after its A-ABORT, and the association reads
            // that A-ABORT to report why (DicomAssociation.TryReadPendingAbortAsync). An error here would hide it.
        }
        catch (SocketException e)
        {
            // As NetworkStream reports it: the association code handles IOException as a broken transport.
            error = new System.IO.IOException("Unable to read data from the transport connection: " + e.Message, e);
        }
        catch (ObjectDisposedException)
        {
            // Closed locally: the end of the data.
        }
        catch (Exception e)
        {
            error = e; // handed to the reader, which rethrows it
        }

        await writer.CompleteAsync(error).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public PipeReader Input { get; }

    /// <inheritdoc/>
    public PipeWriter Output { get; }

    /// <summary>The peer's address.</summary>
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/> within <paramref name="timeout"/>.
    /// </summary>
    /// <exception cref="DicomNetworkException">Nothing listens there, the name does not resolve, or the timeout expired.</exception>
    public static async Task<SocketConnection> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken = default,
        uint maximumReceiveLength = 131_072)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, timeoutSource.Token).ConfigureAwait(false);
            return new SocketConnection(socket, maximumReceiveLength);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new DicomNetworkException(DicomNetworkFailure.ConnectFailed, $"cannot connect to {host}:{port}: no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new DicomNetworkException(DicomNetworkFailure.ConnectFailed, $"cannot connect to {host}:{port}: {e.Message}", e);
        }
    }

    /// <summary>Closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer.
        }
        catch (ObjectDisposedException)
        {
        }

        await _stream.DisposeAsync().ConfigureAwait(false);

        // The socket is closed: a pending receive ends; a flush held by back-pressure is released.
        _received.Writer.CancelPendingFlush();
        await _receiving.ConfigureAwait(false);
        await _received.Reader.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The receive buffers of one connection, kept by it: a consumed buffer is handed to the next read instead of
    /// going back to the shared ArrayPool, whose per-thread and per-core caches miss now and then when the read
    /// that rents and the consumer that returns run on different threads (a new 256 KiB array each time: the
    /// occasional large allocation left after the async boxes were pooled). Two spare buffers at most are kept.
    /// </summary>
    private sealed class ReceiveBufferPool : MemoryPool<byte>
    {
        private const int Spares = 2;

        private readonly System.Threading.Lock _lock = new();
        private readonly Block?[] _spares = new Block?[Spares];

        public override int MaxBufferSize => ReadBufferSize;

        public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
        {
            lock (_lock)
            {
                for (int i = 0; i < Spares; i++)
                {
                    if (_spares[i] is { } spare)
                    {
                        _spares[i] = null;
                        return spare;
                    }
                }
            }

            return new Block(this);
        }

        private void Return(Block block)
        {
            lock (_lock)
            {
                for (int i = 0; i < Spares; i++)
                {
                    if (_spares[i] is null)
                    {
                        _spares[i] = block;
                        return;
                    }
                }
            }
        }

        protected override void Dispose(bool disposing)
        {
        }

        private sealed class Block(ReceiveBufferPool owner) : IMemoryOwner<byte>
        {
            private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(ReadBufferSize);

            public Memory<byte> Memory => _array;

            public void Dispose() => owner.Return(this);
        }
    }
}
