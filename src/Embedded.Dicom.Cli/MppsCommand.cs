using System;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Networking;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Cli;

/// <summary>
/// <c>edicom mpps HOST PORT create --uid UID [-k KEY=VALUE ...]</c> and
/// <c>edicom mpps HOST PORT set --uid UID --status COMPLETED|DISCONTINUED [-k KEY=VALUE ...]</c>: a Modality
/// Performed Procedure Step SCU (PS3.4 F.7): N-CREATE with status IN PROGRESS, N-SET to a final status. Prints
/// the response status (and Error Comment); exit code 0 on success or warning, 1 on a failure status, 2 on errors.
/// </summary>
internal static class MppsCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var operation = new Argument<string>("operation") { Description = "create (N-CREATE, IN PROGRESS) or set (N-SET)" };
        var uid = new Option<string>("--uid") { Description = "the MPPS SOP Instance UID", Required = true };
        var status = new Option<string?>("--status") { Description = "with set: COMPLETED or DISCONTINUED" };
        var keys = new Option<string[]>("--key", "-k")
        {
            Description = "attribute KEY=VALUE: keyword, gggg,eeee or SEQ[0].KEY (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("mpps", "Modality Performed Procedure Step SCU: N-CREATE / N-SET (PS3.4 F.7)");
        common.AddTo(command);
        command.Arguments.Add(operation);
        command.Options.Add(uid);
        command.Options.Add(status);
        command.Options.Add(keys);
        command.SetAction((result, cancellationToken) =>
        {
            string op = result.GetValue(operation)!;
            string? finalStatus = result.GetValue(status)?.ToUpperInvariant();
            if (op is not ("create" or "set"))
            {
                Console.Error.WriteLine("edicom mpps: the operation is create or set");
                return Task.FromResult(2);
            }

            if (op == "set" ? finalStatus is not ("COMPLETED" or "DISCONTINUED") : finalStatus is not null)
            {
                Console.Error.WriteLine("edicom mpps: set needs --status COMPLETED or DISCONTINUED; create takes no --status (it sends IN PROGRESS)");
                return Task.FromResult(2);
            }

            if (!DicomUid.TryCreate(System.Text.Encoding.ASCII.GetBytes(result.GetValue(uid)!), out DicomUid instance) || !instance.IsValid)
            {
                Console.Error.WriteLine($"edicom mpps: --uid '{result.GetValue(uid)}' is not a valid UID");
                return Task.FromResult(2);
            }

            var attributes = new QueryIdentifier();
            foreach (string key in result.GetValue(keys) ?? [])
            {
                if (!FindCommand.TryApplyKey(attributes, key, out string? error))
                {
                    Console.Error.WriteLine($"edicom mpps: {error}");
                    return Task.FromResult(2);
                }
            }

            DicomClientOptions client;
            try
            {
                client = common.Read(result);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"edicom mpps: {e.Message}");
                return Task.FromResult(2);
            }

            return RunAsync(client, instance, finalStatus, attributes, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(DicomClientOptions client, DicomUid instance, string? finalStatus, QueryIdentifier attributes, CancellationToken cancellationToken)
    {
        DicomAssociation association;
        try
        {
            association = await DicomClient.ConnectAsync(client, [(MppsScu.SopClassUid, QueryScu.TransferSyntaxes)], cancellationToken).ConfigureAwait(false);
        }
        catch (DicomNetworkException e)
        {
            Console.Error.WriteLine($"edicom mpps: {e.Message}");
            return 2;
        }

        try
        {
            NormalizedResult response = finalStatus is null
                ? await MppsScu.CreateAsync(association, instance, attributes, 1, cancellationToken).ConfigureAwait(false)
                : await MppsScu.SetAsync(association, instance, finalStatus, attributes, 1, cancellationToken).ConfigureAwait(false);
            await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            string comment = response.ErrorComment is null ? "" : $" ({response.ErrorComment})";
            Console.WriteLine($"{(finalStatus is null ? "N-CREATE" : "N-SET")} {instance}: status {response.Status}{comment}");
            return response.Status.Category is StatusCategory.Success or StatusCategory.Warning ? 0 : 1;
        }
        catch (DicomNetworkException e)
        {
            Console.Error.WriteLine(e.Failure == DicomNetworkFailure.NoPresentationContext
                ? $"edicom mpps: the peer does not offer the Modality Performed Procedure Step SOP Class (PS3.4 F.7): {e.Message}"
                : $"edicom mpps: {e.Message}");
            await association.AbortAsync().ConfigureAwait(false);
            return 2;
        }
    }
}
