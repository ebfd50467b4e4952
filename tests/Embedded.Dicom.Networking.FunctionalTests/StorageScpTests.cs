using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Threading.Tasks;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;
using Embedded.Dicom.Networking.UpperLayer;

namespace Embedded.Dicom.Networking.FunctionalTests;

/// <summary>The storage SCP's promises about files, limits and timers, over loopback TCP and pipes.</summary>
public class StorageScpTests
{
    [Fact]
    public void FileNames_OfInvalidUids_AreTheirBytesInHex_SoTwoValuesNeverShareOne()
    {
        Assert.True(DicomUid.TryCreate("../evil"u8, out DicomUid dots));
        Assert.Equal("invalid-uid-2e2e2f6576696c.dcm", FileStorageHandler.GetFileName(dots));

        // Values a truncated hash would have to tell apart: every one-byte change gives another name.
        var names = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        for (int b = 1; b < 256; b++)
        {
            Assert.True(DicomUid.TryCreate([(byte)'x', (byte)b, (byte)'y'], out DicomUid uid));
            string name = FileStorageHandler.GetFileName(uid);
            Assert.Matches("^invalid-uid-[0-9a-f]+\\.dcm$", name);
            Assert.True(names.Add(name), name);
        }

        byte[] longest = new byte[DicomUid.MaxLength];
        Array.Fill(longest, (byte)'/');
        Assert.True(DicomUid.TryCreate(longest, out DicomUid slashes));
        Assert.Equal(12 + (2 * DicomUid.MaxLength) + 4, FileStorageHandler.GetFileName(slashes).Length); // 144, within NAME_MAX (255)
        Assert.Equal("1.2.3.dcm", FileStorageHandler.GetFileName(DicomUid.Parse("1.2.3")));
    }

    private static async Task<StoreResult> StoreAsync(DicomServer server, string path)
    {
        var options = new DicomClientOptions { Host = "127.0.0.1", Port = server.LocalEndPoint.Port, Timeouts = Harness.ShortTimeouts };
        DicomAssociation association = await DicomClient.ConnectAsync(options, [(Harness.SecondaryCapture, [TransferSyntax.ExplicitVRLittleEndian.Uid])]);
        StoreResult result = await StorageScu.StoreFileAsync(association, path, 1);
        await association.ReleaseAsync();
        return result;
    }

    private static DicomServer Start(string output, int maxAssociations = 16)
    {
        var server = new DicomServer(new DicomServerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
            Policy = Harness.Policy(),
            Storage = new FileStorageHandler(output),
            MaxAssociations = maxAssociations,
            Timeouts = Harness.ShortTimeouts,
        });
        server.Start();
        return server;
    }

    [Fact]
    public async Task DuplicateSopInstance_ReplacesTheStoredFile()
    {
        string source = Harness.TempDirectory();
        string output = Harness.TempDirectory();
        await using DicomServer server = Start(output);
        string first = Harness.WriteFile(source, "1.2.3.77", pixelBytes: 1000);
        Assert.Equal(0, (await StoreAsync(server, first)).Status.Code);
        byte[] firstStored = File.ReadAllBytes(Path.Combine(output, "1.2.3.77.dcm"));

        File.Delete(first);
        string second = Harness.WriteFile(source, "1.2.3.77", pixelBytes: 3000);
        Assert.Equal(0, (await StoreAsync(server, second)).Status.Code);
        byte[] secondStored = File.ReadAllBytes(Path.Combine(output, "1.2.3.77.dcm"));

        Assert.Equal(firstStored.Length + 2000, secondStored.Length);
        Assert.Single(Directory.GetFiles(output));
    }

    [Fact]
    public async Task FullDisk_AnswersA700AndLeavesNoPartialFile()
    {
        // A 256 KiB tmpfs is a disk that fills up for real (the test runs as root, as CI does).
        string mount = Harness.TempDirectory();
        Run("mount", $"-t tmpfs -o size=256k tmpfs {mount}");
        try
        {
            string source = Harness.TempDirectory();
            await using DicomServer server = Start(mount);
            StoreResult result = await StoreAsync(server, Harness.WriteFile(source, "1.2.3.88", pixelBytes: 1_000_000));
            Assert.Equal(0xA700, result.Status.Code);
            Assert.Equal("0xA700 Out of Resources", result.Status.ToString());
            Assert.Empty(Directory.GetFileSystemEntries(mount));

            // The SCP is still there and stores what fits.
            StoreResult small = await StoreAsync(server, Harness.WriteFile(source, "1.2.3.89", pixelBytes: 10_000));
            Assert.Equal(0, small.Status.Code);
            Assert.Equal("1.2.3.89.dcm", Path.GetFileName(Assert.Single(Directory.GetFileSystemEntries(mount))));
        }
        finally
        {
            Run("umount", mount);
        }
    }

    [Fact]
    public async Task AssociationsBeyondTheLimit_AreRejectedTransiently_2_3_2()
    {
        string output = Harness.TempDirectory();
        await using DicomServer server = Start(output, maxAssociations: 1);
        var options = new DicomClientOptions { Host = "127.0.0.1", Port = server.LocalEndPoint.Port, Timeouts = Harness.ShortTimeouts };
        DicomAssociation first = await DicomClient.ConnectAsync(options, [(Harness.Verification, [TransferSyntax.ImplicitVRLittleEndian.Uid])]);

        var error = await Assert.ThrowsAsync<DicomNetworkException>(() => DicomClient.ConnectAsync(options, [(Harness.Verification, [TransferSyntax.ImplicitVRLittleEndian.Uid])]));
        Assert.Equal(DicomNetworkFailure.AssociationRejected, error.Failure);
        Assert.Contains("rejected-transient", error.Message);
        Assert.Contains("local limit exceeded", error.Message);

        await first.ReleaseAsync();
        await Task.Delay(200);
        DicomAssociation next = await DicomClient.ConnectAsync(options, [(Harness.Verification, [TransferSyntax.ImplicitVRLittleEndian.Uid])]);
        Assert.Equal(0, (await VerificationScu.EchoAsync(next, 1)).Code);
        await next.ReleaseAsync();
    }

    [Fact]
    public async Task ConnectionWithoutAssociateRequest_IsClosedWhenArtimExpires()
    {
        var (client, server) = DuplexPipe.CreatePair();
        var timeouts = Harness.ShortTimeouts with { Artim = TimeSpan.FromMilliseconds(300) };
        DicomAssociation? accepted = await Harness.WithTimeout(DicomAssociation.AcceptAsync(server, null, Harness.Policy(), timeouts));
        Assert.Null(accepted);

        // The acceptor closed its side (AA-2: no PDU, just the transport).
        var read = await client.Input.ReadAsync();
        Assert.True(read.IsCompleted);
        Assert.True(read.Buffer.IsEmpty);
    }

    private static void Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(10_000), $"{file} did not finish");
        Assert.True(process.ExitCode == 0, $"{file} {arguments} failed: {error}");
    }
}
