using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Interop.Tests.Harness;
using Embedded.Dicom.Networking;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;
using Xunit.Abstractions;

namespace Embedded.Dicom.Interop.Tests;

/// <summary>
/// File names never come from hostile values: C-STORE-RQs whose Affected SOP Instance UID is a path, a NUL byte
/// or shell syntax go to an in-process <see cref="DicomServer"/> with a <see cref="FileStorageHandler"/> on a
/// fresh folder. Nothing may be written outside it, every name inside must be safe, and the valid UID's file
/// is <c>&lt;uid&gt;.dcm</c> (and DCMTK reads it).
/// </summary>
[Trait("Interop", "dcmtk")]
public sealed partial class HostileSopInstanceUidTests : IDisposable
{
    private readonly TempFolder _temp = new("hostile");
    private readonly ITestOutputHelper _output;

    public HostileSopInstanceUidTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _temp.Dispose();

    [GeneratedRegex(@"^(?:[1-9][0-9]*|0)(?:\.(?:[1-9][0-9]*|0))*\.dcm$|^invalid-uid-(?:[0-9a-f]{2}){1,64}\.dcm$")]
    private static partial Regex SafeName();

    [Fact]
    public async Task FileStorageHandler_HostileSopInstanceUids_WritesOnlySafeNamesInsideItsFolder()
    {
        string store = _temp.Sub("store");
        string validUid = TestObjects.NewUid();
        string[] absoluteEvil = ["/tmp/evil", "/tmp/evil.dcm"];
        Dictionary<string, DateTime?> before = absoluteEvil.ToDictionary(p => p, LastWrite);
        string workingDirectory = Environment.CurrentDirectory;
        string[] workingBefore = Directory.GetFileSystemEntries(workingDirectory);
        byte[][] hostile =
        [
            "../evil"u8.ToArray(),
            "/tmp/evil"u8.ToArray(),
            "a/b"u8.ToArray(),
            "1.2.3\0../../evil"u8.ToArray(),
            "\0evil"u8.ToArray(),
            "$(touch x);*"u8.ToArray(),
            ".."u8.ToArray(),
            "..\\evil"u8.ToArray(),
            Encoding.ASCII.GetBytes(validUid),
        ];

        var server = new DicomServer(new DicomServerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
            Policy = new AcceptorPolicy { IsAbstractSyntaxSupported = static (in DicomUid uid) => true },
            Storage = new FileStorageHandler(store),
        });
        var statuses = new List<ushort>();
        await using (server)
        {
            server.Start();
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            DicomUid sopClass = DicomUid.Parse(TestObjects.SecondaryCaptureImageStorage);
            var options = new DicomClientOptions
            {
                Host = "127.0.0.1",
                Port = server.LocalEndPoint.Port,
                Timeouts = AssociationTimeouts.Default with { Connect = TimeSpan.FromSeconds(10), Acse = TimeSpan.FromSeconds(10), Dimse = TimeSpan.FromSeconds(10) },
            };
            DicomAssociation association = await DicomClient.ConnectAsync(options, [(sopClass, [TransferSyntax.ExplicitVRLittleEndian.Uid])], cancel.Token);
            try
            {
                NegotiatedPresentationContext context = association.Negotiated.FindContext(sopClass)
                    ?? throw new InvalidOperationException("no accepted context");
                ushort messageId = 0;
                foreach (byte[] value in hostile)
                {
                    Assert.True(DicomUid.TryCreate(value, out DicomUid uid), "TryCreate refused " + Convert.ToHexString(value));
                    var request = new CStoreRequest
                    {
                        MessageID = ++messageId,
                        AffectedSOPClassUID = sopClass,
                        AffectedSOPInstanceUID = uid,
                        Priority = 0,
                    };
                    association.WriteCommand(context.Id, request);
                    byte[] dataSet = ExplicitLittleEndian.SmallDataSet(TestObjects.SecondaryCaptureImageStorage, value.SequenceEqual(Encoding.ASCII.GetBytes(validUid)) ? validUid : "2.25.1");
                    await association.SendDataSetAsync(context.Id, new ByteArraySource(dataSet), cancel.Token);
                    DimseReceiveResult received = await association.ReceiveAsync(null, TimeSpan.FromSeconds(10), cancel.Token);
                    Assert.Equal(DimseReceiveKind.Message, received.Kind);
                    Assert.True(CStoreResponse.TryDecode(received.CommandSet.Span, out CStoreResponse response, out CommandSetError error), error.ToString());
                    Assert.Equal(messageId, response.MessageIDBeingRespondedTo);
                    statuses.Add(response.Status);
                    _output.WriteLine($"UID {Convert.ToHexString(value)} ('{Encoding.ASCII.GetString(value).Replace("\0", "\\0", StringComparison.Ordinal)}'): status 0x{response.Status:X4} {response.ErrorComment}");
                }

                await association.ReleaseAsync(cancel.Token);
            }
            finally
            {
                await association.DisposeAsync();
            }
        }

        // Nothing outside the folder: its parent holds only the folder, /tmp has no new evil file, nor the working directory.
        Assert.Equal([store], Directory.GetFileSystemEntries(_temp.Path));
        foreach (string path in absoluteEvil)
        {
            Assert.True(LastWrite(path) == before[path], $"{path} was written by the SCP");
        }

        Assert.Equal(workingBefore.Order(StringComparer.Ordinal), Directory.GetFileSystemEntries(workingDirectory).Order(StringComparer.Ordinal));

        // Inside: no sub-folder, only safe names, one file per stored object, the valid one named after its UID.
        Assert.Empty(Directory.GetDirectories(store));
        string[] names = Directory.GetFiles(store).Select(f => Path.GetFileName(f)!).ToArray();
        _output.WriteLine("stored: " + string.Join(", ", names));
        foreach (string name in names)
        {
            Assert.True(SafeName().IsMatch(name), $"unsafe file name '{name}'");
        }

        Assert.Equal(0x0000, statuses[^1]);
        Assert.Contains(validUid + ".dcm", names);
        Assert.Equal(statuses.Count(s => s is 0x0000 or >= 0xB000 and <= 0xBFFF), names.Length);
        ToolResult dump = DcmtkTools.RunChecked("dcmdump", [Path.Combine(store, validUid + ".dcm")]);
        Assert.Contains("[" + validUid + "]", dump.Stdout, StringComparison.Ordinal);
    }

    private static DateTime? LastWrite(string path) => File.Exists(path) || Directory.Exists(path) ? File.GetLastWriteTimeUtc(path) : null;
}
