using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;

namespace Embedded.Dicom.Interop.Tests.Harness;

/// <summary>
/// Orthanc (Debian's 1.10.1, <c>/usr/sbin/Orthanc</c>) as a loopback test peer: a self-contained configuration
/// in a temp folder (its own storage, no plugins, HTTP remote access off, called AE not checked, one declared
/// modality — the storage commitment requestor), DICOM and HTTP ports chosen free, ready when its DICOM port
/// accepts a TCP connection (about 0.2 s), stopped by PID with SIGTERM (it takes 3–4 s) and killed after 10 s.
/// </summary>
/// <remarks>
/// Orthanc listens on 0.0.0.0 (1.10.1 has no bind-address option); the tests only ever connect to 127.0.0.1.
/// It is built on DCMTK and defaults to Nagle, so it gets <c>TCP_NODELAY=1</c> like the DCMTK tools.
/// </remarks>
internal sealed class OrthancServer : IDisposable
{
    public const string Binary = "/usr/sbin/Orthanc";
    public const string AeTitle = "ORTHANC";
    /// <summary>Connect attempts, 20 ms apart (about 20 s), before Orthanc is declared not to have started.</summary>
    private const int StartAttempts = 1000;
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(10);

    private readonly ServerProcess _process;

    private OrthancServer(ServerProcess process, int dicomPort, int httpPort, string folder)
    {
        _process = process;
        DicomPort = dicomPort;
        HttpPort = httpPort;
        Folder = folder;
    }

    /// <summary>The DICOM port (on 127.0.0.1 for us).</summary>
    public int DicomPort { get; }

    /// <summary>The HTTP port (REST API, localhost only).</summary>
    public int HttpPort { get; }

    /// <summary>The folder holding the configuration and the storage.</summary>
    public string Folder { get; }

    /// <summary>Waits (bounded) until Orthanc's log matches <paramref name="pattern"/>; the match or null.</summary>
    public System.Text.RegularExpressions.Match? WaitForOutput(System.Text.RegularExpressions.Regex pattern, TimeSpan timeout) => _process.WaitForOutput(pattern, timeout);

    /// <summary>The process ID.</summary>
    public int Pid => _process.Pid;

    /// <summary>What Orthanc logged so far (stderr).</summary>
    public string Output => _process.Output;

    /// <summary>
    /// Starts Orthanc with its files under <paramref name="folder"/>, declaring the modality
    /// <paramref name="modalityAe"/> at 127.0.0.1:<paramref name="modalityPort"/> (Orthanc reports storage
    /// commitment only to declared modalities, on a new association to that address). Retries with other ports
    /// when Orthanc exits during start (a port taken between the probe and the bind).
    /// </summary>
    public static OrthancServer Start(string folder, string modalityAe, int modalityPort, params string[] flags)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing. The Orthanc interop tests need Debian's 'orthanc' package: run ./test.sh (it installs it) or `apt-get install orthanc`.");
        }

        var failures = new List<string>();
        for (int attempt = 0; attempt < 5; attempt++)
        {
            string work = Path.Combine(folder, "orthanc-" + attempt.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(Path.Combine(work, "db"));
            int dicomPort = FreePort.Find();
            int httpPort = FreePort.Find();
            if (httpPort == dicomPort)
            {
                continue;
            }

            string config = Path.Combine(work, "orthanc.json");
            File.WriteAllText(config, Configuration(work, dicomPort, httpPort, modalityAe, modalityPort));
            var arguments = new List<string>(flags) { config };
            var process = new ServerProcess(DcmtkTools.CreateStartInfo(Binary, arguments, work), dicomPort);
            var server = new OrthancServer(process, dicomPort, httpPort, work);
            if (server.WaitUntilListening())
            {
                return server;
            }

            failures.Add(process.ToString());
            server.Dispose();
        }

        throw new InvalidOperationException("Orthanc did not start:\n" + string.Join("\n", failures));
    }

    /// <summary>The tested minimal configuration (a file of our own: /etc/orthanc is then not read).</summary>
    private static string Configuration(string work, int dicomPort, int httpPort, string modalityAe, int modalityPort)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("Name", "edicom-interop");
            json.WriteString("StorageDirectory", Path.Combine(work, "db"));
            json.WriteString("IndexDirectory", Path.Combine(work, "db"));
            json.WriteString("TemporaryDirectory", work);
            json.WriteStartArray("Plugins");
            json.WriteEndArray();
            json.WriteStartArray("LuaScripts");
            json.WriteEndArray();
            json.WriteBoolean("HttpServerEnabled", true);
            json.WriteNumber("HttpPort", httpPort);
            json.WriteBoolean("RemoteAccessAllowed", false);
            json.WriteBoolean("AuthenticationEnabled", false);
            json.WriteBoolean("OrthancExplorerEnabled", false);
            json.WriteBoolean("WebDavEnabled", false);
            json.WriteBoolean("DicomServerEnabled", true);
            json.WriteString("DicomAet", AeTitle);
            json.WriteNumber("DicomPort", dicomPort);
            json.WriteBoolean("DicomCheckCalledAet", false);
            json.WriteBoolean("DicomAlwaysAllowEcho", true);
            json.WriteBoolean("DicomAlwaysAllowStore", true);
            json.WriteBoolean("DicomCheckModalityHost", false);
            json.WriteBoolean("UnknownSopClassAccepted", false);
            json.WriteNumber("DicomScpTimeout", 30);
            json.WriteNumber("DicomScuTimeout", 10);
            json.WriteBoolean("DicomModalitiesInDatabase", false);
            json.WriteStartObject("DicomModalities");
            json.WriteStartObject("requestor");
            json.WriteString("AET", modalityAe);
            json.WriteString("Host", "127.0.0.1");
            json.WriteNumber("Port", modalityPort);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteBoolean("SaveJobs", false);
            json.WriteNumber("StorageCommitmentReportsSize", 100);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Polls a TCP connect to 127.0.0.1:DicomPort (harmless to Orthanc) until it succeeds, the process ends, or the attempts run out.</summary>
    private bool WaitUntilListening()
    {
        for (int attempt = 0; attempt < StartAttempts; attempt++)
        {
            if (_process.HasExited)
            {
                return false;
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, DicomPort);
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }

        return false;
    }

    /// <summary>SIGTERM by PID, up to 10 s for the clean exit, then SIGKILL (by PID) if it still runs.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                DcmtkTools.RunProgram("kill", ["-TERM", _process.Pid.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
                _process.WaitForExit(s_stopTimeout);
            }
        }
        finally
        {
            _process.Dispose(); // kills it if it is still running
        }
    }

    /// <summary>A description for assertion messages.</summary>
    public override string ToString() => _process.ToString();
}
