using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Services;

namespace Embedded.Dicom.Networking.Sockets;

/// <summary>
/// A TCP listener that runs a <see cref="DicomServiceProvider"/> on each incoming association, with a limit on
/// concurrent associations (over the limit the request is read and answered A-ASSOCIATE-RJ 2/3/2, PS3.8 §9.3.4).
/// No thread per association: each runs as an async loop on the thread pool.
/// </summary>
public sealed class DicomServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly DicomServerOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<int, Task> _running = new();
    private int _active;
    private int _nextId;
    private Task? _acceptLoop;

    /// <summary>Binds the listening socket (the port is in use as soon as this returns).</summary>
    public DicomServer(DicomServerOptions options)
    {
        _options = options;
        _listener = new Socket(options.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(options.Endpoint);
        _listener.Listen(options.Backlog);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    /// <summary>The bound address and port (useful when the port was 0).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Associations served since start (accepted or rejected).</summary>
    public int AssociationCount => _nextId;

    /// <summary>Starts accepting connections.</summary>
    public void Start() => _acceptLoop = AcceptLoopAsync();

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            int id = Interlocked.Increment(ref _nextId);
            bool overCapacity = Interlocked.Increment(ref _active) > _options.MaxAssociations;
            Task serving = ServeAsync(id, new SocketConnection(socket, _options.Policy.MaximumLength), overCapacity);
            _running[id] = serving;

            // Removed when done, whichever finishes first (the continuation runs at once if it already has).
            _ = serving.ContinueWith(_ => _running.TryRemove(id, out Task? _), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(int id, SocketConnection connection, bool overCapacity)
    {
        await Task.Yield();
        try
        {
            Func<Pdu.AAssociateRequest, bool>? accept = _options.Accept is { } hook ? request => hook(request, connection.RemoteEndPoint) : null;
            DicomAssociation? association = await DicomAssociation.AcceptAsync(connection, connection, _options.Policy,
                _options.Timeouts, overCapacity, _stopping.Token, accept).ConfigureAwait(false);
            if (association is null)
            {
                _options.Log?.Invoke(id, $"association from {connection.RemoteEndPoint} rejected");
                return;
            }

            _options.Log?.Invoke(id, $"association from {association.Negotiated.CallingAeTitle} ({connection.RemoteEndPoint}) accepted");
            var provider = new DicomServiceProvider(association, _options.Storage, _options.Query, _options.Retrieve, id, _options.Log) { Normalized = _options.Normalized };
            await provider.RunAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DicomNetworkException or OperationCanceledException or System.IO.IOException)
        {
            _options.Log?.Invoke(id, "association ended: " + e.Message);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>Stops accepting, aborts running associations and waits for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        foreach (Task running in _running.Values)
        {
            await running.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }
}

/// <summary>Settings of a <see cref="DicomServer"/>.</summary>
public sealed class DicomServerOptions
{
    /// <summary>Where to listen; loopback by default (binding every interface must be asked for).</summary>
    public IPEndPoint Endpoint { get; init; } = new(IPAddress.Loopback, 11112);

    /// <summary>Listen backlog.</summary>
    public int Backlog { get; init; } = 64;

    /// <summary>Concurrent associations served; more are rejected transiently (2/3/2).</summary>
    public int MaxAssociations { get; init; } = 16;

    /// <summary>What we accept.</summary>
    public required AcceptorPolicy Policy { get; init; }

    /// <summary>Timeouts of each association.</summary>
    public AssociationTimeouts Timeouts { get; init; } = AssociationTimeouts.Default;

    /// <summary>Where received objects go; null answers C-STORE with 0x0122 (SOP class not supported).</summary>
    public IStorageHandler? Storage { get; init; }

    /// <summary>
    /// Answers C-FIND (Query/Retrieve, Modality Worklist); null answers it with 0x0211 (unrecognized). The policy
    /// must accept the handler's SOP classes (<see cref="IQueryHandler.IsSupported"/>).
    /// </summary>
    public IQueryHandler? Query { get; init; }

    /// <summary>
    /// Answers C-MOVE and C-GET (Patient/Study Root, PS3.4 C.4.2, C.4.3); null answers them with 0x0211
    /// (unrecognized). The policy must accept their SOP classes (<see cref="RetrieveServiceOptions.IsRetrieveSopClass"/>).
    /// </summary>
    public RetrieveServiceOptions? Retrieve { get; init; }

    /// <summary>
    /// Answers DIMSE-N requests (e.g. <see cref="MppsStore"/>, PS3.4 F.7); null answers them with 0x0211. The
    /// policy must accept the handler's SOP classes.
    /// </summary>
    public INormalizedHandler? Normalized { get; init; }

    /// <summary>
    /// The application's decision on each association the policy accepted (calling AE title in the request, and
    /// the peer's address); false rejects it with A-ASSOCIATE-RJ 1/1/1. Called on a thread-pool thread.
    /// </summary>
    public Func<Pdu.AAssociateRequest, IPEndPoint?, bool>? Accept { get; init; }

    /// <summary>Receives one line per association event (association id, text).</summary>
    public Action<int, string>? Log { get; init; }
}
