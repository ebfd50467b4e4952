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
/// <c>edicom scp PORT [--bind ADDR] [--aet AE] [--out DIR | --discard] [--max-pdu N] [--qr] [--move-dest AE=HOST:PORT ...] [--worklist DIR] [--mpps DIR] [--commitment [--commitment-report same|new]]</c>:
/// a Verification and Storage SCP; with <c>--qr</c> also a Patient Root and Study Root C-FIND, C-GET and C-MOVE
/// SCP over the objects in the output folder (indexed at start, and as they are stored; C-MOVE sends only to the
/// <c>--move-dest</c> AEs, PS3.4 C.4.2), with <c>--worklist DIR</c> a
/// Modality Worklist SCP over the worklist files in DIR, with <c>--mpps DIR</c> an MPPS SCP (PS3.4 F.7) keeping
/// one file per instance in DIR, with <c>--commitment</c> a Storage Commitment Push Model SCP (PS3.4 J.3) that
/// commits the instances whose files are in the output folder and reports on the requesting association or on a
/// new one to the requestor's <c>--move-dest</c> entry. Binds 127.0.0.1 unless told otherwise, prints
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
        var commitment = new Option<bool>("--commitment") { Description = "Storage Commitment SCP: commit what is stored in --out (PS3.4 J.3)" };
        var commitmentReport = new Option<string>("--commitment-report")
        {
            Description = "where commitment reports go: same (the requesting association, else a new one) or new (always a new association to the requestor's --move-dest entry)",
            DefaultValueFactory = _ => "same",
        };
        var moveDestinations = new Option<string[]>("--move-dest")
        {
            Description = "a known peer AE=HOST:PORT (repeatable): C-MOVE destinations (others get A801) and Storage Commitment requestors to report to",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("scp", "receive objects: Verification and Storage SCP; C-FIND/C-GET/C-MOVE with --qr, C-FIND with --worklist, MPPS with --mpps, Storage Commitment with --commitment")
        {
            port, bind, aet, output, discard, maxPdu, checkCalled, maxAssociations, maxOps, verbose, queryRetrieve, worklist, moveDestinations, mpps,
            commitment, commitmentReport,
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

            bool commit = result.GetValue(commitment);
            string reportMode = result.GetValue(commitmentReport)!;
            if (destinations.Count > 0 && !qr && !commit)
            {
                Console.Error.WriteLine("edicom scp: --move-dest needs --qr (C-MOVE destinations) or --commitment (requestors to report to)");
                return 2;
            }

            if (commit && result.GetValue(discard))
            {
                Console.Error.WriteLine("edicom scp: --commitment commits the objects stored in --out; it cannot be used with --discard");
                return 2;
            }

            if (reportMode is not ("same" or "new"))
            {
                Console.Error.WriteLine("edicom scp: --commitment-report is same or new");
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
            StorageCommitmentProvider? commitmentProvider = !commit ? null : new StorageCommitmentProvider(StorageCommitmentProvider.ForFolder(result.GetValue(output)!))
            {
                Mode = reportMode == "new" ? CommitmentReportMode.NewAssociation : CommitmentReportMode.SameAssociationFirst,
                Requestors = destinations,
                AeTitle = ourAe,
                RetrieveAeTitle = qr ? ourAe.ToString() : null,
                Log = log ? text => Console.Error.WriteLine(text) : null,
                Connect = (requestor, request, ct) => DicomClient.ConnectAsync(new DicomClientOptions
                {
                    Host = requestor.Host,
                    Port = requestor.Port,
                    CallingAeTitle = ourAe,
                    CalledAeTitle = requestor.AeTitle,
                }, request, ct),
            };
            INormalizedHandler? normalized = (mppsStore, commitmentProvider) switch
            {
                (null, null) => null,
                (not null, null) => mppsStore,
                (null, not null) => commitmentProvider,
                _ => new NormalizedHandlers(mppsStore!, commitmentProvider!),
            };
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
                Normalized = normalized,
                Log = log ? (id, text) => Console.Error.WriteLine($"[{id}] {text}") : null,
                Policy = new AcceptorPolicy
                {
                    AeTitle = ourAe,
                    RequireCalledAeTitle = result.GetValue(checkCalled),
                    MaximumLength = max,
                    MaxOperationsInvoked = Math.Clamp(result.GetValue(maxOps), 1, 64),
                    IsAbstractSyntaxSupported = (in DicomUid uid) => uid.Equals(s_verification) || StorageSopClasses.Contains(uid.Span) || (query?.IsSupported(uid) ?? false)
                        || (normalized?.IsSupported(uid) ?? false)
                        || (retrieve is not null && RetrieveServiceOptions.IsRetrieveSopClass(uid)),
                },
            };
            try
            {
                return await RunAsync(options, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (commitmentProvider is not null)
                {
                    await commitmentProvider.DisposeAsync().ConfigureAwait(false);
                }
            }
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
