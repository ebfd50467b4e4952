using System;
using System.CommandLine;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Cli;

/// <summary>
/// <c>edicom scp PORT [--bind ADDR] [--aet AE] [--out DIR | --discard] [--max-pdu N] [--qr [--move-dest AE=HOST:PORT ...]] [--worklist DIR] [--mpps DIR]</c>:
/// a Verification and Storage SCP; with <c>--qr</c> also a Patient Root and Study Root C-FIND, C-GET and C-MOVE
/// SCP over the objects in the output folder (indexed at start, and as they are stored; C-MOVE sends only to the
/// <c>--move-dest</c> AEs, PS3.4 C.4.2), with <c>--worklist DIR</c> a
/// Modality Worklist SCP over the worklist files in DIR, with <c>--mpps DIR</c> an MPPS SCP (PS3.4 F.7) keeping
/// one file per instance in DIR. Binds 127.0.0.1 unless told otherwise, prints
/// "listening on ADDR:PORT" once it accepts connections, and stops cleanly on SIGTERM or SIGINT.
/// </summary>
internal static class ScpCommand
{
    private static readonly DicomUid s_verification = DicomUid.Parse("1.2.840.10008.1.1");

    public static Command Create()
    {
        var port = new Argument<int>("port") { Description = "TCP port to listen on (0: any free port)" };
        var bind = new Option<string>("--bind") { Description = "address to bind", DefaultValueFactory = _ => "127.0.0.1" };
        var aet = new Option<string>("--aet") { Description = "our AE title", DefaultValueFactory = _ => "EDICOM" };
        var output = new Option<string>("--out") { Description = "folder for received objects", DefaultValueFactory = _ => "." };
        var discard = new Option<bool>("--discard") { Description = "receive objects and discard them (benchmarks)" };
        var maxPdu = new Option<uint>("--max-pdu") { Description = $"Maximum Length we announce, 4096–{DicomClient.MaximumLengthCap}", DefaultValueFactory = _ => 131_072 };
        var checkCalled = new Option<bool>("--check-called-aet") { Description = "reject callers that do not call our AE title (RJ 1/1/7)" };
        var maxAssociations = new Option<int>("--max-associations") { Description = "concurrent associations", DefaultValueFactory = _ => 16 };
        var maxOps = new Option<int>("--max-ops") { Description = "asynchronous-operations window granted to SCUs that ask (PS3.7 D.3.3.3)", DefaultValueFactory = _ => 1 };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "log associations and stored files" };
        var queryRetrieve = new Option<bool>("--qr") { Description = "answer C-FIND, C-GET and C-MOVE (Patient/Study Root) from the objects in --out" };
        var worklist = new Option<string?>("--worklist") { Description = "answer Modality Worklist C-FIND from the .wl/.dcm files in this folder" };
        var mpps = new Option<string?>("--mpps") { Description = "answer MPPS N-CREATE/N-SET, one file per instance in this folder (PS3.4 F.7)" };
        var moveDestinations = new Option<string[]>("--move-dest")
        {
            Description = "with --qr: a C-MOVE destination AE=HOST:PORT (repeatable); other destinations get A801",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("scp", "receive objects: Verification and Storage SCP; C-FIND/C-GET/C-MOVE with --qr, C-FIND with --worklist, MPPS with --mpps")
        {
            port, bind, aet, output, discard, maxPdu, checkCalled, maxAssociations, maxOps, verbose, queryRetrieve, worklist, moveDestinations, mpps,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            uint max = result.GetValue(maxPdu);
            if (max is < 4096 or > DicomClient.MaximumLengthCap)
            {
                Console.Error.WriteLine($"edicom scp: --max-pdu must be between 4096 and {DicomClient.MaximumLengthCap}");
                return 2;
            }

            if (!IPAddress.TryParse(result.GetValue(bind), out IPAddress? address))
            {
                Console.Error.WriteLine($"edicom scp: --bind '{result.GetValue(bind)}' is not an IP address");
                return 2;
            }

            bool log = result.GetValue(verbose);
            bool qr = result.GetValue(queryRetrieve);
            if (qr && result.GetValue(discard))
            {
                Console.Error.WriteLine("edicom scp: --qr answers from the objects stored in --out; it cannot be used with --discard");
                return 2;
            }

            string? worklistFolder = result.GetValue(worklist);
            if (worklistFolder is not null && !System.IO.Directory.Exists(worklistFolder))
            {
                Console.Error.WriteLine($"edicom scp: --worklist {worklistFolder}: no such folder");
                return 2;
            }

            var destinations = new System.Collections.Generic.List<MoveDestination>();
            foreach (string text in result.GetValue(moveDestinations) ?? [])
            {
                if (!MoveDestination.TryParse(text, out MoveDestination? destination, out string? error))
                {
                    Console.Error.WriteLine($"edicom scp: --move-dest {error}");
                    return 2;
                }

                destinations.Add(destination!);
            }

            if (destinations.Count > 0 && !qr)
            {
                Console.Error.WriteLine("edicom scp: --move-dest needs --qr (the moved objects come from its index)");
                return 2;
            }

            StoredObjectIndex? index = null;
            IStorageHandler storage;
            if (result.GetValue(discard))
            {
                storage = new DiscardStorageHandler();
            }
            else
            {
                string folder = result.GetValue(output)!;
                storage = new FileStorageHandler(folder)
                {
                    Stored = path =>
                    {
                        // The index learns each object as it is stored: the next C-FIND finds it.
                        index?.Add(path);
                        if (log)
                        {
                            Console.WriteLine("stored " + path);
                        }
                    },
                };
                if (qr)
                {
                    index = StoredObjectIndex.Build(folder);
                    Console.WriteLine($"indexed {index.InstanceCount} object(s) in {System.IO.Path.GetFullPath(folder)}");
                }
            }

            IQueryHandler? query = (index, worklistFolder) switch
            {
                (null, null) => null,
                (not null, null) => index,
                (null, not null) => new WorklistFolder(worklistFolder),
                _ => new CompositeQueryHandler(index!, new WorklistFolder(worklistFolder!)),
            };
            string? mppsFolder = result.GetValue(mpps);
            MppsStore? mppsStore = mppsFolder is null ? null : new MppsStore(mppsFolder);
            AeTitle ourAe = AeTitle.Parse(result.GetValue(aet)!);
            RetrieveServiceOptions? retrieve = index is null ? null : new RetrieveServiceOptions
            {
                Handler = index,
                Destinations = destinations,
                CallingAeTitle = ourAe,
                Connect = (destination, contexts, ct) => DicomClient.ConnectAsync(new DicomClientOptions
                {
                    Host = destination.Host,
                    Port = destination.Port,
                    CallingAeTitle = ourAe,
                    CalledAeTitle = destination.AeTitle,
                }, contexts, ct),
            };
            var options = new DicomServerOptions
            {
                Retrieve = retrieve,
                Endpoint = new IPEndPoint(address, result.GetValue(port)),
                MaxAssociations = result.GetValue(maxAssociations),
                Storage = storage,
                Query = query,
                Normalized = mppsStore,
                Log = log ? (id, text) => Console.Error.WriteLine($"[{id}] {text}") : null,
                Policy = new AcceptorPolicy
                {
                    AeTitle = ourAe,
                    RequireCalledAeTitle = result.GetValue(checkCalled),
                    MaximumLength = max,
                    MaxOperationsInvoked = Math.Clamp(result.GetValue(maxOps), 1, 64),
                    IsAbstractSyntaxSupported = (in DicomUid uid) => uid.Equals(s_verification) || StorageSopClasses.Contains(uid.Span) || (query?.IsSupported(uid) ?? false)
                        || (mppsStore?.IsSupported(uid) ?? false)
                        || (retrieve is not null && RetrieveServiceOptions.IsRetrieveSopClass(uid)),
                },
            };
            return await RunAsync(options, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(DicomServerOptions options, CancellationToken cancellationToken)
    {
        using var stop = new StopSignal(cancellationToken);

        DicomServer server;
        try
        {
            server = new DicomServer(options);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            Console.Error.WriteLine($"edicom scp: cannot listen on {options.Endpoint}: {e.Message}");
            return 2;
        }

        await using (server.ConfigureAwait(false))
        {
            server.Start();
            Console.WriteLine($"listening on {server.LocalEndPoint}");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // SIGTERM/SIGINT: stop accepting and let running associations end.
            }
        }

        return 0;
    }
}
