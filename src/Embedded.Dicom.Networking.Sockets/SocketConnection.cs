using System;
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
public sealed class SocketConnection : IDuplexPipe, IAsyncDisposable
{
    // Large enough that a 128 KiB PDU arrives in one or two reads; the pipe rents these from the shared pool.
    private const int ReadBufferSize = 256 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private int _disposed;

    /// <summary>Wraps a connected socket and takes ownership of it.</summary>
    public SocketConnection(Socket socket)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: 4096, leaveOpen: true));
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
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
    public static async Task<SocketConnection> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, timeoutSource.Token).ConfigureAwait(false);
            return new SocketConnection(socket);
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
    }
}
