using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Networking;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Agent.Tests;

/// <summary>What the scripted SCP does with one C-STORE-RQ.</summary>
internal readonly record struct Reaction(ushort Status, bool Abort = false, bool Silent = false)
{
    public static Reaction Answer(ushort status) => new(status);

    public static Reaction AbortAssociation => new(0, Abort: true);

    /// <summary>Reads the request and never answers (the agent's DIMSE timeout must fire).</summary>
    public static Reaction NoAnswer => new(0, Silent: true);
}

/// <summary>
/// A Storage SCP on 127.0.0.1 whose answer to each C-STORE is chosen by the test: any status, A-ABORT, or silence.
/// Built on the real acceptor (DicomAssociation over a TCP socket), so the agent talks to it as to any PACS.
/// </summary>
internal sealed class ScriptedScp : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Func<string, int, Reaction> _script;
    private readonly ConcurrentDictionary<string, int> _attempts = new();

    /// <param name="script">(SOP Instance UID, attempt number starting at 1) → reaction.</param>
    public ScriptedScp(Func<string, int, Reaction> script)
    {
        _script = script;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every C-STORE-RQ seen, in order: (SOP instance, reaction, when).</summary>
    public ConcurrentQueue<(string Sop, Reaction Reaction, DateTimeOffset At)> Log { get; } = new();

    /// <summary>SOP instances answered with a success or warning status.</summary>
    public List<string> Stored
    {
        get
        {
            var list = new List<string>();
            foreach ((string sop, Reaction reaction, _) in Log)
            {
                if (!reaction.Abort && !reaction.Silent && DicomStatus.Classify(reaction.Status) is StatusCategory.Success or StatusCategory.Warning)
                {
                    list.Add(sop);
                }
            }

            return list;
        }
    }

    public int Attempts(string sop) => _attempts.TryGetValue(sop, out int n) ? n : 0;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var connection = new SocketConnection(socket);
        var policy = new AcceptorPolicy
        {
            AeTitle = AeTitle.Parse("PACS"),
            IsAbstractSyntaxSupported = static (in DicomUid uid) => StorageSopClasses.Contains(uid.Span),
        };
        var timeouts = new AssociationTimeouts { Acse = TimeSpan.FromSeconds(5), Dimse = TimeSpan.FromSeconds(5), Idle = TimeSpan.FromSeconds(30), Artim = TimeSpan.FromSeconds(2) };
        DicomAssociation? association;
        try
        {
            association = await DicomAssociation.AcceptAsync(connection, connection, policy, timeouts);
        }
        catch (DicomNetworkException)
        {
            return;
        }

        if (association is null)
        {
            return;
        }

        await using (association)
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    DimseReceiveResult received = await association.ReceiveAsync(null, TimeSpan.FromSeconds(30), _stop.Token);
                    if (received.Kind == DimseReceiveKind.ReleaseRequested)
                    {
                        await association.SendReleaseResponseAsync();
                        return;
                    }

                    if (received.Kind != DimseReceiveKind.Message || !CStoreRequest.TryDecode(received.CommandSet.Span, out CStoreRequest request, out _))
                    {
                        return;
                    }

                    string sop = request.AffectedSOPInstanceUID.ToString();
                    int attempt = _attempts.AddOrUpdate(sop, 1, (_, n) => n + 1);
                    Reaction reaction = _script(sop, attempt);
                    Log.Enqueue((sop, reaction, DateTimeOffset.UtcNow));
                    if (reaction.Abort)
                    {
                        await association.AbortAsync();
                        return;
                    }

                    if (reaction.Silent)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                    }

                    association.WriteCommand(received.PresentationContextId, CStoreResponse.CreateFor(request, reaction.Status));
                    await association.SendAsync();
                }
            }
            catch (Exception e) when (e is DicomNetworkException or OperationCanceledException or System.IO.IOException)
            {
                // The agent aborted or went away: that is what several scripts provoke.
            }
        }
    }
}
