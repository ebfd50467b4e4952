using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Cli;

/// <summary>
/// <c>edicom commit HOST PORT [FILE|DIR ...] [--sop CLASS:INSTANCE ...] [--listen PORT [--bind ADDR]] [--wait S] [--json]</c>:
/// a Storage Commitment Push Model SCU (PS3.4 J.3). Sends N-ACTION "Request Storage Commitment" for the
/// instances named by the Part 10 files (or given directly), then waits for the N-EVENT-REPORT: on the same
/// association, or — with <c>--listen</c> — on an association the SCP opens back to us (we accept it with the
/// SCP role the peer proposes, PS3.7 D.3.3.4) after releasing ours. Prints one line per instance; exit code 0
/// when every instance is committed, 1 when some failed or no report came, 2 on errors.
/// </summary>
internal static class CommitCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var paths = new Argument<string[]>("files") { Description = "Part 10 files or folders whose instances to commit", Arity = ArgumentArity.ZeroOrMore };
        var sops = new Option<string[]>("--sop") { Description = "an instance CLASS_UID:INSTANCE_UID (repeatable)", AllowMultipleArgumentsPerToken = false };
        var listen = new Option<int?>("--listen") { Description = "port to accept the report on (the SCP reports on a new association to our AE title)" };
        var bind = new Option<string>("--bind") { Description = "with --listen: address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var wait = new Option<double>("--wait") { Description = "seconds to wait for the report", DefaultValueFactory = _ => 60 };
        var json = new Option<bool>("--json") { Description = "print the result as JSON" };
        var command = new Command("commit", "Storage Commitment SCU: N-ACTION, then the N-EVENT-REPORT on this association or a new one (PS3.4 J.3)");
        common.AddTo(command);
        command.Arguments.Add(paths);
        command.Options.Add(sops);
        command.Options.Add(listen);
        command.Options.Add(bind);
        command.Options.Add(wait);
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) =>
        {
            var references = new List<SopReference>();
            foreach (string text in result.GetValue(sops) ?? [])
            {
                int colon = text.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || !TryUid(text[..colon], out DicomUid sopClass) || !TryUid(text[(colon + 1)..], out DicomUid instance))
                {
                    Console.Error.WriteLine($"edicom commit: --sop '{text}' is not CLASS_UID:INSTANCE_UID");
                    return Task.FromResult(2);
                }

                references.Add(new SopReference(sopClass, instance));
            }

            foreach (string path in result.GetValue(paths) ?? [])
            {
                if (!TryAddFiles(path, references, out string? error))
                {
                    Console.Error.WriteLine($"edicom commit: {error}");
                    return Task.FromResult(2);
                }
            }

            if (references.Count is 0 or > StorageCommitment.MaxReferences)
            {
                Console.Error.WriteLine($"edicom commit: name 1 to {StorageCommitment.MaxReferences} instances (files, folders or --sop)");
                return Task.FromResult(2);
            }

            DicomClientOptions client;
            try
            {
                client = common.Read(result);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"edicom commit: {e.Message}");
                return Task.FromResult(2);
            }

            IPEndPoint? listenOn = null;
            if (result.GetValue(listen) is { } listenPort)
            {
                if (!IPAddress.TryParse(result.GetValue(bind), out IPAddress? address) || listenPort is < 0 or > 65535)
                {
                    Console.Error.WriteLine($"edicom commit: cannot listen on {result.GetValue(bind)}:{listenPort}");
                    return Task.FromResult(2);
                }

                listenOn = new IPEndPoint(address, listenPort);
            }

            return RunAsync(client, references, listenOn, TimeSpan.FromSeconds(result.GetValue(wait)), result.GetValue(json), cancellationToken);
        });
        return command;
    }

    private static bool TryUid(string text, out DicomUid uid)
        => DicomUid.TryCreate(System.Text.Encoding.ASCII.GetBytes(text), out uid) && uid.IsValid && !uid.IsEmpty;

    private static bool TryAddFiles(string path, List<SopReference> references, out string? error)
    {
        error = null;
        IEnumerable<string> files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            : [path];
        foreach (string file in files)
        {
            try
            {
                using FileStream stream = File.OpenRead(file);
                if (!Part10.TryReadFileMetaInformation(stream, out Part10FileInfo? info, out string? problem))
                {
                    if (Directory.Exists(path))
                    {
                        continue; // not DICOM: folders may hold other files
                    }

                    error = $"{file}: {problem}";
                    return false;
                }

                references.Add(new SopReference(info.MediaStorageSopClassUid, info.MediaStorageSopInstanceUid));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error = $"{file}: {e.Message}";
                return false;
            }
        }

        return true;
    }

    private static async Task<int> RunAsync(DicomClientOptions client, List<SopReference> references, IPEndPoint? listenOn, TimeSpan wait, bool asJson,
        CancellationToken cancellationToken)
    {
        var receiver = new StorageCommitmentReportReceiver();
        DicomServer? server = null;
        if (listenOn is not null)
        {
            try
            {
                server = new DicomServer(new DicomServerOptions
                {
                    Endpoint = listenOn,
                    Timeouts = client.Timeouts,
                    Normalized = receiver,
                    Policy = new AcceptorPolicy
                    {
                        AeTitle = client.CallingAeTitle,
                        IsAbstractSyntaxSupported = (in DicomUid uid) => uid.Equals(StorageCommitment.SopClassUid),
                    },
                });
            }
            catch (System.Net.Sockets.SocketException e)
            {
                Console.Error.WriteLine($"edicom commit: cannot listen on {listenOn}: {e.Message}");
                return 2;
            }

            server.Start();
        }

        try
        {
            DicomUid transaction = DicomUid.NewUid();
            StorageCommitmentOutcome outcome;
            DicomAssociation association;
            try
            {
                association = await DicomClient.ConnectAsync(client, [(StorageCommitment.SopClassUid, QueryScu.TransferSyntaxes)], cancellationToken).ConfigureAwait(false);
            }
            catch (DicomNetworkException e)
            {
                Console.Error.WriteLine($"edicom commit: {e.Message}");
                return 2;
            }

            try
            {
                outcome = await StorageCommitmentScu.RequestAsync(association, transaction, references, 1, server is null ? wait : TimeSpan.Zero,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                if (association.IsEstablished)
                {
                    await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (DicomNetworkException e)
            {
                Console.Error.WriteLine($"edicom commit: {e.Message}");
                await association.AbortAsync().ConfigureAwait(false);
                return 2;
            }

            if (!outcome.ActionStatus.IsSuccessOrWarning)
            {
                string comment = outcome.ErrorComment is null ? "" : $" ({outcome.ErrorComment})";
                Console.Error.WriteLine($"edicom commit: N-ACTION refused: {outcome.ActionStatus}{comment}");
                return 1;
            }

            StorageCommitmentResult? report = outcome.Report;
            string reportedOn = "same association";
            if (report is null && server is not null)
            {
                report = await receiver.WaitAsync(transaction, wait, cancellationToken).ConfigureAwait(false);
                reportedOn = "new association";
            }

            if (report is null)
            {
                Console.Error.WriteLine($"edicom commit: no N-EVENT-REPORT for transaction {transaction} within {wait.TotalSeconds:0.###} s"
                    + (server is null ? " (does the SCP report on a new association? use --listen)" : ""));
                return 1;
            }

            Print(report, reportedOn, asJson);
            return report.Failed.Count == 0 && report.Committed.Count == references.Count ? 0 : 1;
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void Print(StorageCommitmentResult report, string reportedOn, bool asJson)
    {
        if (!asJson)
        {
            Console.WriteLine($"transaction {report.TransactionUid}: {report.Committed.Count} committed, {report.Failed.Count} failed (reported on the {reportedOn})");
            foreach (SopReference committed in report.Committed)
            {
                Console.WriteLine($"committed {committed.SopInstanceUid} {committed.SopClassUid}");
            }

            foreach (CommitmentFailure failed in report.Failed)
            {
                Console.WriteLine($"failed {failed.Reference.SopInstanceUid} {failed.Reference.SopClassUid} {failed.Describe()}");
            }

            return;
        }

        using Stream stdout = Console.OpenStandardOutput();
        using var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("transactionUid", report.TransactionUid.ToString());
        json.WriteString("reportedOn", reportedOn);
        if (report.RetrieveAeTitle is { } retrieveAe)
        {
            json.WriteString("retrieveAeTitle", retrieveAe);
        }

        json.WriteStartArray("committed");
        foreach (SopReference committed in report.Committed)
        {
            json.WriteStartObject();
            json.WriteString("sopClassUid", committed.SopClassUid.ToString());
            json.WriteString("sopInstanceUid", committed.SopInstanceUid.ToString());
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("failed");
        foreach (CommitmentFailure failed in report.Failed)
        {
            json.WriteStartObject();
            json.WriteString("sopClassUid", failed.Reference.SopClassUid.ToString());
            json.WriteString("sopInstanceUid", failed.Reference.SopInstanceUid.ToString());
            json.WriteString("failureReason", $"0x{failed.FailureReason:X4}");
            json.WriteString("meaning", failed.Describe());
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stdout.WriteByte((byte)'\n');
    }
}
