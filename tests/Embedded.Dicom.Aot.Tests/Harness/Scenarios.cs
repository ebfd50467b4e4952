using System.Collections.Generic;
using System.Globalization;

namespace Embedded.Dicom.Aot.Tests.Harness;

/// <summary>
/// The black-box exchanges, each with a fresh temp folder and servers stopped by PID (SIGTERM, asserted to end
/// with exit code 0; a kill by PID in the finally of <c>using</c> otherwise). Only 127.0.0.1, only free ports.
/// </summary>
internal static class Scenarios
{
    /// <summary><c>client echo --repeat 3</c> against <c>server scp</c>.</summary>
    public static void Echo(EdicomBinary client, EdicomBinary server)
    {
        using var folder = new TempFolder();
        using ServerProcess scp = EdicomScp.Start(server, folder.Sub("received"));
        ToolResult echo = client.RunChecked(["echo", "127.0.0.1", Port(scp), "--aec", EdicomScp.AeTitle, "--repeat", "3"]);
        Assert.True(echo.Stdout.Contains("3/3 succeeded", System.StringComparison.Ordinal), echo.ToString());
        Assert.True(scp.Terminate() == 0, scp.ToString());
    }

    /// <summary><c>client store</c> of generated objects to <c>server scp --out DIR</c>.</summary>
    public static void StoreToEdicom(EdicomBinary client, EdicomBinary server)
    {
        using var folder = new TempFolder();
        string[] sent = DicomObjects.Generate(folder);
        string received = folder.Sub("received");
        using ServerProcess scp = EdicomScp.Start(server, received);
        Store(client, scp, EdicomScp.AeTitle, sent);
        Assert.True(scp.Terminate() == 0, scp.ToString());
        DicomObjects.AssertReceived(sent, received);
    }

    /// <summary><c>client store</c> of generated objects to DCMTK's storescp.</summary>
    public static void StoreToStorescp(EdicomBinary client)
    {
        using var folder = new TempFolder();
        string[] sent = DicomObjects.Generate(folder);
        string received = folder.Sub("received");
        using ServerProcess storescp = StoreScp.Start(received);
        Store(client, storescp, StoreScp.AeTitle, sent);
        storescp.Terminate();
        DicomObjects.AssertReceived(sent, received);
    }

    /// <summary>DCMTK's storescu sends generated objects to <c>server scp --out DIR</c>.</summary>
    public static void StorescuToEdicom(EdicomBinary server)
    {
        using var folder = new TempFolder();
        string[] sent = DicomObjects.Generate(folder);
        string received = folder.Sub("received");
        using ServerProcess scp = EdicomScp.Start(server, received);
        Programs.RunDcmtkChecked("storescu", ["-aec", EdicomScp.AeTitle, "-to", "30", "-ta", "30", "-td", "30", "127.0.0.1", Port(scp), .. sent]);
        Assert.True(scp.Terminate() == 0, scp.ToString());
        DicomObjects.AssertReceived(sent, received);
    }

    private static void Store(EdicomBinary client, ServerProcess server, string calledAeTitle, IReadOnlyList<string> files)
    {
        ToolResult store = client.RunChecked(["store", "127.0.0.1", Port(server), "--aec", calledAeTitle, .. files]);
        Assert.True(store.Stdout.Contains($"{files.Count} stored, 0 failed", System.StringComparison.Ordinal), store + "\n" + server);
    }

    private static string Port(ServerProcess server) => server.Port.ToString(CultureInfo.InvariantCulture);
}
