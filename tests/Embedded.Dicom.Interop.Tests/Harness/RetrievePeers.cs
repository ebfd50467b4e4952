using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Embedded.Dicom.Interop.Tests.Harness;

/// <summary>dcmqrscp with move destinations in its HostTable (C-MOVE sends only to AEs listed there).</summary>
internal static class RetrievePeers
{
    /// <summary>
    /// Starts dcmqrscp serving AE <paramref name="aeTitle"/> from <paramref name="storage"/>, with each of
    /// <paramref name="destinations"/> (AE, port on 127.0.0.1) as a known peer that C-MOVE may send to.
    /// </summary>
    public static ServerProcess StartDcmQrScp(string workFolder, string storage, string aeTitle, params (string Ae, int Port)[] destinations)
    {
        Directory.CreateDirectory(storage);
        var failures = new List<string>();
        for (int attempt = 0; attempt < 5; attempt++)
        {
            int port = FreePort.Find();
            string config = Path.Combine(workFolder, "dcmqrscp-move.cfg");
            var lines = new List<string>
            {
                "NetworkTCPPort  = " + port.ToString(CultureInfo.InvariantCulture),
                "MaxPDUSize      = 16384",
                "MaxAssociations = 16",
                "HostTable BEGIN",
            };
            lines.AddRange(destinations.Select(d => $"{d.Ae.ToLowerInvariant()} = ({d.Ae}, 127.0.0.1, {d.Port.ToString(CultureInfo.InvariantCulture)})"));
            lines.AddRange(["HostTable END", "VendorTable BEGIN", "VendorTable END", "AETable BEGIN", $"{aeTitle}   {storage}   RW (200, 1024mb)   ANY", "AETable END", ""]);
            File.WriteAllText(config, string.Join('\n', lines));
            var server = new ServerProcess(DcmtkTools.CreateStartInfo(DcmtkTools.Resolve("dcmqrscp"), ["-c", config, "-v", port.ToString(CultureInfo.InvariantCulture)], workFolder), port);
            if (WaitUntilAnswering(server, aeTitle))
            {
                return server;
            }

            failures.Add(server.ToString());
            server.Dispose();
        }

        throw new InvalidOperationException("dcmqrscp did not start:\n" + string.Join("\n", failures));
    }

    private static bool WaitUntilAnswering(ServerProcess server, string aeTitle)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && !server.HasExited)
        {
            ToolResult echo = DcmtkTools.Run("echoscu", ["-aec", aeTitle, "-to", "2", "-ta", "5", "-td", "5", "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture)],
                TimeSpan.FromSeconds(15));
            if (echo.ExitCode == 0)
            {
                return true;
            }

            System.Threading.Thread.Sleep(100);
        }

        return false;
    }
}
