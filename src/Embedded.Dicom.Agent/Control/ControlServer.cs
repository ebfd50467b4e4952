using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Embedded.Dicom.Agent.Control;

/// <summary>
/// The agent's control socket: a Unix domain socket (local only, guarded by file permissions), one command line
/// per connection, answered with "ok" or "error: …" on the first line and the body after it. <c>edicom agent
/// status|retry|purge|reroute</c> and <c>edicom input set</c> talk to it.
/// </summary>
internal sealed class ControlServer : IAsyncDisposable
{
    private const int MaxRequestBytes = 4096;
    private readonly Socket _listener;
    private readonly string _path;
    private readonly Func<string, (bool Ok, string Body)> _execute;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ControlServer(string path, Func<string, (bool Ok, string Body)> execute)
    {
        _path = path;
        _execute = execute;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path); // a stale socket from a killed agent (the spool lock guarantees no live one owns it)
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(8);
        _loop = AcceptLoopAsync();
    }

    /// <summary>Sends one command to a running agent; null when none listens at <paramref name="path"/>.</summary>
    public static async Task<(bool Ok, string Body)?> SendAsync(string path, string command, CancellationToken cancellationToken = default)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return null;
        }

        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(command.Replace('\n', ' ') + "\n"), cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        int newline = text.IndexOf('\n', StringComparison.Ordinal);
        string head = newline < 0 ? text : text[..newline];
        string body = newline < 0 ? "" : text[(newline + 1)..];
        return head == "ok" ? (true, body) : (false, head.StartsWith("error: ", StringComparison.Ordinal) ? head[7..] + (body.Length > 0 ? "\n" + body : "") : text);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        File.Delete(_path);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            try
            {
                await using var stream = new NetworkStream(client, ownsSocket: false);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10)); // a client that never sends its line does not hold a task forever
                byte[] buffer = new byte[MaxRequestBytes];
                int length = 0;
                while (length < buffer.Length && Array.IndexOf(buffer, (byte)'\n', 0, length) < 0)
                {
                    int read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }

                int end = Array.IndexOf(buffer, (byte)'\n', 0, length);
                string response;
                if (end < 0)
                {
                    response = "error: request line missing or longer than 4096 bytes\n";
                }
                else
                {
                    (bool ok, string body) = _execute(Encoding.UTF8.GetString(buffer, 0, end).Trim());
                    response = ok ? "ok\n" + body : "error: " + body + "\n";
                }

                await stream.WriteAsync(Encoding.UTF8.GetBytes(response), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // The client went away; nothing to answer.
            }
        }
    }
}

/// <summary>The client side of the agent's control socket.</summary>
public static class AgentControl
{
    /// <summary>
    /// Sends one command line (see <see cref="StoreForwardAgent.Execute"/>) to the agent listening at <paramref name="socketPath"/>:
    /// (true, body) or (false, error message); null when no agent listens there.
    /// </summary>
    public static Task<(bool Ok, string Body)?> SendAsync(string socketPath, string command, CancellationToken cancellationToken = default)
        => ControlServer.SendAsync(socketPath, command, cancellationToken);
}
