using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;

namespace Embedded.Dicom.Aot.Tests.Harness;

/// <summary>Starts <c>edicom scp 0</c> and reads the free port it picked from "listening on 127.0.0.1:PORT".</summary>
internal static partial class EdicomScp
{
    /// <summary>The called AE title edicom scp answers to by default.</summary>
    public const string AeTitle = "EDICOM";

    // qemu start-up is ~0.3 s here; the bound only matters when something is broken.
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();

    /// <summary>Starts <c>edicom scp 0 --out DIR</c> (binds 127.0.0.1 by default) and returns once it listens.</summary>
    public static ServerProcess Start(EdicomBinary edicom, string outputDirectory)
    {
        var server = new ServerProcess(edicom.StartInfo(["scp", "0", "--out", outputDirectory]));
        try
        {
            Match? listening = server.WaitForOutput(ListeningLine(), s_startTimeout);
            Assert.True(listening is not null, $"{edicom} scp did not print \"listening on 127.0.0.1:PORT\" within {s_startTimeout.TotalSeconds:0} s\n{server}");
            server.Port = int.Parse(listening.Groups[1].Value, CultureInfo.InvariantCulture);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }
}

/// <summary>Starts DCMTK's storescp on a free port and waits until it answers C-ECHO.</summary>
internal static class StoreScp
{
    public const string AeTitle = "STORESCP";

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Starts <c>storescp -aet STORESCP -od DIR -dhl PORT</c> on a free port (storescp cannot pick one itself,
    /// so a port taken between the probe and its bind means another try) and returns once echoscu gets an
    /// answer. storescp binds every interface; the tests only ever talk to 127.0.0.1.
    /// </summary>
    public static ServerProcess Start(string outputDirectory)
    {
        string storescp = Programs.Dcmtk("storescp");
        var failures = new List<string>();
        for (int attempt = 0; attempt < 5; attempt++)
        {
            int port = FreePort();
            var server = new ServerProcess(
                Programs.StartInfo(storescp, ["-aet", AeTitle, "-od", outputDirectory, "-dhl", port.ToString(CultureInfo.InvariantCulture)], outputDirectory), port);
            if (WaitUntilAnswering(server))
            {
                return server;
            }

            failures.Add(server.ToString());
            server.Dispose();
        }

        throw new InvalidOperationException("storescp did not start:\n" + string.Join("\n", failures));
    }

    private static bool WaitUntilAnswering(ServerProcess server)
    {
        string echoscu = Programs.Dcmtk("echoscu");
        DateTime deadline = DateTime.UtcNow + s_startTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited)
            {
                return false; // typically: the port was taken between FreePort and the bind
            }

            ToolResult echo = Programs.Run(
                Programs.StartInfo(echoscu, ["-aec", AeTitle, "-to", "2", "-ta", "5", "-td", "5", "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture)]),
                TimeSpan.FromSeconds(15));
            if (echo.ExitCode == 0)
            {
                return true;
            }

            Thread.Sleep(100);
        }

        return false;
    }

    /// <summary>A port nothing listens on right now: bind 127.0.0.1:0, read the port, release it.</summary>
    private static int FreePort()
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
