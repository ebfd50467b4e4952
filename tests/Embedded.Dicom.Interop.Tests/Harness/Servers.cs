using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;

namespace Embedded.Dicom.Interop.Tests.Harness;

/// <summary>Free TCP ports on 127.0.0.1.</summary>
internal static class FreePort
{
    /// <summary>
    /// A port nothing listens on right now: bind 127.0.0.1:0, read the port, release it. Another process may
    /// take it before we use it, so starters retry on a bind failure.
    /// </summary>
    public static int Find()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}

/// <summary>Starts <c>edicom scp</c> (the system under test) and waits until it prints its port.</summary>
internal static partial class EdicomScp
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();

    /// <summary>
    /// Starts <c>edicom scp 0 --out DIR -v ARGS</c> (port 0: it picks a free port and prints it), and returns
    /// once it has printed "listening on 127.0.0.1:PORT".
    /// </summary>
    public static ServerProcess Start(string outputDirectory, params string[] arguments)
    {
        var all = new List<string> { DcmtkTools.EdicomDll, "scp", "0", "--out", outputDirectory, "-v" };
        all.AddRange(arguments);
        var server = new ServerProcess(DcmtkTools.CreateStartInfo(DcmtkTools.DotnetHost, all, null));
        try
        {
            Match? listening = server.WaitForOutput(ListeningLine(), s_startTimeout);
            if (listening is null)
            {
                throw new InvalidOperationException($"edicom scp did not print \"listening on 127.0.0.1:PORT\" within {s_startTimeout.TotalSeconds:0} s\n{server}");
            }

            server.Port = int.Parse(listening.Groups[1].Value, CultureInfo.InvariantCulture);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    [GeneratedRegex(@"\] association from .* accepted")]
    private static partial Regex AcceptedLine();

    /// <summary>
    /// How many associations the SCP accepted (from its -v log), waiting up to 5 s for <paramref name="expected"/>
    /// lines to arrive; more than expected returns at once.
    /// </summary>
    public static int AcceptedAssociations(ServerProcess server, int expected)
        => server.WaitForCount(AcceptedLine(), expected, TimeSpan.FromSeconds(5));
}

/// <summary>Starts DCMTK's storescp on a free port and waits until it answers C-ECHO.</summary>
internal static class StoreScp
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Starts <c>storescp ARGS -od DIR PORT</c> on a free port (retrying with another port if the bind fails) and
    /// returns once echoscu gets an answer from it. storescp binds every interface; we only ever talk to
    /// 127.0.0.1.
    /// </summary>
    public static ServerProcess Start(string outputDirectory, string aeTitle, params string[] arguments)
    {
        string storescp = DcmtkTools.Resolve("storescp");
        var failures = new List<string>();
        for (int attempt = 0; attempt < 5; attempt++)
        {
            int port = FreePort.Find();
            var all = new List<string> { "-aet", aeTitle, "-od", outputDirectory, "-dhl" };
            all.AddRange(arguments);
            all.Add(port.ToString(CultureInfo.InvariantCulture));
            var server = new ServerProcess(DcmtkTools.CreateStartInfo(storescp, all, outputDirectory), port);
            if (WaitUntilAnswering(server, aeTitle))
            {
                return server;
            }

            failures.Add(server.ToString());
            server.Dispose();
        }

        throw new InvalidOperationException("storescp did not start:\n" + string.Join("\n", failures));
    }

    /// <summary>Polls with echoscu until the server answers (true) or it exits / the start timeout passes (false).</summary>
    private static bool WaitUntilAnswering(ServerProcess server, string aeTitle)
    {
        DateTime deadline = DateTime.UtcNow + s_startTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited)
            {
                return false; // typically: the port was taken between FindFreePort and the bind
            }

            ToolResult echo = DcmtkTools.Run("echoscu", ["-aec", aeTitle, "-to", "2", "-ta", "5", "-td", "5", "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture)],
                TimeSpan.FromSeconds(15));
            if (echo.ExitCode == 0)
            {
                return true;
            }

            Thread.Sleep(100);
        }

        return false;
    }
}
