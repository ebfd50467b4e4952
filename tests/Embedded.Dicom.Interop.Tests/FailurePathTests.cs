using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Interop.Tests.Harness;
using Embedded.Dicom.Networking;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Interop.Tests;

/// <summary>One <c>edicom scp --check-called-aet --aet RIGHT</c> shared by the failure tests: it must survive them all.</summary>
public sealed class SharedScpFixture : IDisposable
{
    public const string AeTitle = "RIGHT";

    public SharedScpFixture()
    {
        Temp = new TempFolder("failure");
        Output = Temp.Sub("out");
        Scp = EdicomScp.Start(Output, "--check-called-aet", "--aet", AeTitle);
    }

    internal TempFolder Temp { get; }

    internal string Output { get; }

    internal ServerProcess Scp { get; }

    public void Dispose()
    {
        Scp.Dispose();
        Temp.Dispose();
    }
}

/// <summary>
/// Failure paths: each must end with a clear error line and a non-zero exit, never a hang (every wait is
/// bounded by --timeout and by the harness), and afterwards our SCP still serves the next association.
/// </summary>
[Trait("Interop", "dcmtk")]
public sealed class FailurePathTests : IClassFixture<SharedScpFixture>, IDisposable
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60);

    private readonly SharedScpFixture _fixture;
    private readonly TempFolder _temp = new("failure-case");

    public FailurePathTests(SharedScpFixture fixture) => _fixture = fixture;

    public void Dispose() => _temp.Dispose();

    private string ScpPort => _fixture.Scp.Port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void EdicomEcho_WrongCalledAeTitle_FailsNamingCalledAeTitleNotRecognized()
    {
        ToolResult echo = DcmtkTools.RunEdicom(["echo", "127.0.0.1", ScpPort, "--aec", "WRONG", "--timeout", "10"], s_bound);

        Assert.True(echo.ExitCode != 0, echo.ToString());
        AssertOneErrorLine(echo);
        Assert.Contains("A-ASSOCIATE-RJ", echo.Stderr, StringComparison.Ordinal);
        Assert.Contains("called AE title not recognized", echo.Stderr, StringComparison.Ordinal);
        AssertScpStillServes();
    }

    [Fact]
    public void EchoScu_WrongCalledAeTitle_IsRejected()
    {
        ToolResult echo = DcmtkTools.Run("echoscu", ["-aec", "WRONG", "-to", "10", "-ta", "10", "-td", "10", "127.0.0.1", ScpPort], s_bound);

        Assert.True(echo.ExitCode != 0, echo.ToString());
        Assert.Contains("Association Rejected", echo.Output, StringComparison.Ordinal);
        Assert.Contains("Called AE Title Not Recognized", echo.Output, StringComparison.OrdinalIgnoreCase);
        AssertScpStillServes();
    }

    [Fact]
    public void EdicomStore_StoreScpAbortsDuringTheDataSet_FailsNamingTheAbort()
    {
        string file = TestObjects.CreateImage(_temp.Path, "sent.dcm", new ImageSpec { Rows = 512, Columns = 512 });
        using ServerProcess storescp = StoreScp.Start(_temp.Sub("storescp"), "STORESCP", "--abort-during");

        ToolResult store = DcmtkTools.RunEdicom(["store", "127.0.0.1", storescp.Port.ToString(CultureInfo.InvariantCulture), file, "--aec", "STORESCP", "--timeout", "10"], s_bound);

        Assert.True(store.ExitCode != 0, store + "\n" + storescp);
        Assert.Contains("FAILED", store.Stderr, StringComparison.Ordinal);
        Assert.Contains("abort", store.Stderr, StringComparison.OrdinalIgnoreCase);
        AssertScpStillServes();
    }

    [Fact]
    public void EdicomStore_StoreScpAbortsWhileATwentyMebibyteObjectIsInFlight_FailsNamingTheAbort()
    {
        // storescp sends A-ABORT and closes while we are still writing: our next write fails with a reset, but
        // the A-ABORT PDU has arrived and is still readable; the error should name the abort, not only the reset.
        var spec = new ImageSpec
        {
            SopClassUid = TestObjects.MultiFrameGrayscaleWordSecondaryCaptureImageStorage,
            Rows = 256,
            Columns = 512,
            Frames = 80,
            Rich = false,
        };
        string file = TestObjects.CreateImage(_temp.Path, "large.dcm", spec);
        using ServerProcess storescp = StoreScp.Start(_temp.Sub("storescp"), "STORESCP", "--abort-during");

        ToolResult store = DcmtkTools.RunEdicom(["store", "127.0.0.1", storescp.Port.ToString(CultureInfo.InvariantCulture), file, "--aec", "STORESCP", "--timeout", "10"], s_bound);

        Assert.True(store.ExitCode != 0, store + "\n" + storescp);
        Assert.Contains("FAILED", store.Stderr, StringComparison.Ordinal);
        Assert.True(store.Stderr.Contains("abort", StringComparison.OrdinalIgnoreCase), "the error does not mention the peer's abort:\n" + store);
        AssertScpStillServes();
    }

    [Fact]
    public void EdicomStore_StoreScpAbortsInsteadOfResponding_FailsNamingTheAbort()
    {
        string file = TestObjects.CreateImage(_temp.Path, "sent.dcm", new ImageSpec());
        using ServerProcess storescp = StoreScp.Start(_temp.Sub("storescp"), "STORESCP", "--abort-after");

        ToolResult store = DcmtkTools.RunEdicom(["store", "127.0.0.1", storescp.Port.ToString(CultureInfo.InvariantCulture), file, "--aec", "STORESCP", "--timeout", "10"], s_bound);

        Assert.True(store.ExitCode != 0, store + "\n" + storescp);
        Assert.Contains("FAILED", store.Stderr, StringComparison.Ordinal);
        Assert.Contains("abort", store.Stderr, StringComparison.OrdinalIgnoreCase);
        AssertScpStillServes();
    }

    [Fact]
    public async Task EdicomEcho_PeerAcceptsTcpButNeverAnswers_FailsWithTimeout()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Task<TcpClient> accepted = listener.AcceptTcpClientAsync();
        try
        {
            string port = ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

            ToolResult echo = DcmtkTools.RunEdicom(["echo", "127.0.0.1", port, "--timeout", "2"], s_bound);

            Assert.True(echo.ExitCode != 0, echo.ToString());
            AssertOneErrorLine(echo);
            Assert.True(echo.Stderr.Contains("timeout", StringComparison.OrdinalIgnoreCase) || echo.Stderr.Contains("timed out", StringComparison.OrdinalIgnoreCase),
                "the error does not mention the timeout:\n" + echo);
        }
        finally
        {
            listener.Stop();
            try
            {
                (await accepted.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or TimeoutException)
            {
                // Never accepted: nothing to close.
            }
        }

        AssertScpStillServes();
    }

    [Fact]
    public void EdicomEcho_NothingListening_FailsWithCannotConnect()
    {
        string port = FreePort.Find().ToString(CultureInfo.InvariantCulture);

        ToolResult echo = DcmtkTools.RunEdicom(["echo", "127.0.0.1", port, "--timeout", "5"], s_bound);

        Assert.True(echo.ExitCode != 0, echo.ToString());
        AssertOneErrorLine(echo);
        Assert.Contains("cannot connect", echo.Stderr, StringComparison.OrdinalIgnoreCase);
        AssertScpStillServes();
    }

    [Fact]
    public void EdicomStore_NothingListening_FailsWithCannotConnect()
    {
        string file = TestObjects.CreateImage(_temp.Path, "sent.dcm", new ImageSpec { Rich = false });
        string port = FreePort.Find().ToString(CultureInfo.InvariantCulture);

        ToolResult store = DcmtkTools.RunEdicom(["store", "127.0.0.1", port, file, "--timeout", "5"], s_bound);

        Assert.True(store.ExitCode != 0, store.ToString());
        Assert.Contains("cannot connect", store.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("0 stored, 1 failed", store.Stdout, StringComparison.Ordinal);
        AssertScpStillServes();
    }

    [Fact]
    public async Task AssociationAbortedInTheMiddleOfAnObject_LeavesNoFileAndTheScpServesTheNext()
    {
        await SendHalfAnObjectThen(association => association.AbortAsync());

        AssertScpStillServes();
    }

    [Fact]
    public async Task ConnectionDroppedInTheMiddleOfAnObject_LeavesNoFileAndTheScpServesTheNext()
    {
        // No A-ABORT: the TCP connection just closes, as when the sender is killed.
        await SendHalfAnObjectThen(association => association.DisposeAsync().AsTask());

        AssertScpStillServes();
    }

    /// <summary>
    /// Opens an association to the shared SCP with the in-process SCU, sends a C-STORE-RQ and part of its data
    /// set (a 4 MiB pixel data element cut after ~260 KiB), waits until the SCP has started the object (its
    /// temporary file exists), ends the association with <paramref name="end"/>, then checks that the output
    /// folder ends up empty: no object, no temporary file.
    /// </summary>
    private async Task SendHalfAnObjectThen(Func<DicomAssociation, Task> end)
    {
        AssertOutputEmpty("before the test");
        DicomUid sopClass = DicomUid.Parse(TestObjects.SecondaryCaptureImageStorage);
        string instance = TestObjects.NewUid();
        var options = new DicomClientOptions
        {
            Host = "127.0.0.1",
            Port = _fixture.Scp.Port,
            CalledAeTitle = AeTitle.Parse(SharedScpFixture.AeTitle),
            Timeouts = AssociationTimeouts.Default with { Connect = TimeSpan.FromSeconds(10), Acse = TimeSpan.FromSeconds(10), Dimse = TimeSpan.FromSeconds(10) },
        };
        using var cancel = new CancellationTokenSource(s_bound);
        DicomAssociation association = await DicomClient.ConnectAsync(options, [(sopClass, [TransferSyntax.ExplicitVRLittleEndian.Uid])], cancel.Token);
        try
        {
            NegotiatedPresentationContext context = association.Negotiated.FindContext(sopClass)
                ?? throw new InvalidOperationException("the SCP accepted no Secondary Capture context");
            var request = new CStoreRequest
            {
                MessageID = 1,
                AffectedSOPClassUID = sopClass,
                AffectedSOPInstanceUID = DicomUid.Parse(instance),
                Priority = 0,
            };
            association.WriteCommand(context.Id, request);
            using var source = new PausingSource(ExplicitLittleEndian.DataSetWithPixelHeader(TestObjects.SecondaryCaptureImageStorage, instance, 4 * 1024 * 1024), 400_000);
            Task sending = Task.Run(() => association.SendDataSetAsync(context.Id, source, cancel.Token).AsTask());

            // The SCP opened its temporary file when the command arrived and has fragments in it by now.
            Assert.True(WaitUntil(() => Directory.GetFiles(_fixture.Output, "*.part").Length == 1, TimeSpan.FromSeconds(20)),
                "the SCP never started writing the object\n" + _fixture.Scp);

            // End the association while the sender is still stopped in the middle of the data set.
            await end(association);
            source.Release();
            await Assert.ThrowsAnyAsync<Exception>(() => sending);
        }
        finally
        {
            await association.DisposeAsync();
        }

        Assert.True(WaitUntil(() => Directory.GetFileSystemEntries(_fixture.Output).Length == 0, TimeSpan.FromSeconds(20)),
            "left in the output folder after the association ended: " + Listing() + "\n" + _fixture.Scp);
    }

    private void AssertScpStillServes()
    {
        Assert.False(_fixture.Scp.HasExited, "edicom scp exited\n" + _fixture.Scp);
        ToolResult echo = DcmtkTools.Run("echoscu", ["-aec", SharedScpFixture.AeTitle, "-to", "10", "-ta", "10", "-td", "10", "127.0.0.1", ScpPort], s_bound);
        Assert.True(echo.ExitCode == 0, "the SCP did not serve the next association: " + echo + "\n" + _fixture.Scp);
    }

    private void AssertOutputEmpty(string when)
        => Assert.True(Directory.GetFileSystemEntries(_fixture.Output).Length == 0, $"output folder not empty {when}: {Listing()}");

    private string Listing() => string.Join(", ", Directory.GetFileSystemEntries(_fixture.Output).Select(Path.GetFileName));

    /// <summary>"One clear line on stderr".</summary>
    private static void AssertOneErrorLine(ToolResult result)
    {
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, "expected exactly one error line on stderr:\n" + result);
    }

    private static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            Thread.Sleep(20);
        }

        return true;
    }
}
