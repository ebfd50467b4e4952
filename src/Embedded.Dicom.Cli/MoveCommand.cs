using System;
using System.CommandLine;
using System.Threading.Tasks;
using Embedded.Dicom.Networking;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Cli;

/// <summary>
/// <c>edicom move HOST PORT --dest AE [-P|-S] [-L LEVEL] -k KEY=VALUE ...</c>: a C-MOVE SCU in the manner of
/// DCMTK's movescu (PS3.4 C.4.2): the peer sends the matching instances to AE <c>--dest</c> with C-STOREs on its
/// own association; each Pending response's counters are printed, then the final status and counters.
/// </summary>
internal static class MoveCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var patient = new Option<bool>("--patient", "-P") { Description = "Patient Root Query/Retrieve information model" };
        var study = new Option<bool>("--study", "-S") { Description = "Study Root Query/Retrieve information model (the default)" };
        var level = new Option<string?>("--level", "-L") { Description = "Query/Retrieve Level: PATIENT, STUDY, SERIES or IMAGE (default PATIENT with -P, STUDY with -S)" };
        var destination = new Option<string>("--dest") { Description = "the move destination AE title (0000,0600)", Required = true };
        var options = new QueryOptions();
        var command = new Command("move", "ask a peer to send instances to an AE with C-MOVE (movescu-like)");
        common.AddTo(command);
        command.Options.Add(patient);
        command.Options.Add(study);
        command.Options.Add(level);
        command.Options.Add(destination);
        options.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(patient) && result.GetValue(study))
            {
                Console.Error.WriteLine("edicom move: give at most one of -P, -S");
                return 2;
            }

            QueryModel model = result.GetValue(patient) ? QueryModel.PatientRoot : QueryModel.StudyRoot;
            var identifier = new QueryIdentifier();
            if (!options.TryApplyKeys(result, identifier, null, "move"))
            {
                return 2;
            }

            string? levelText = result.GetValue(level);
            if (levelText is not null || !identifier.Contains(QueryInformationModel.QueryRetrieveLevel))
            {
                QueryLevel chosen = levelText is null ? (model == QueryModel.PatientRoot ? QueryLevel.Patient : QueryLevel.Study) : QueryInformationModel.ParseLevel(levelText.ToUpperInvariant());
                if (!QueryInformationModel.HasLevel(model, chosen))
                {
                    Console.Error.WriteLine($"edicom move: level '{levelText}' is not one of the {model} model's levels");
                    return 2;
                }

                identifier.Set(QueryInformationModel.QueryRetrieveLevel, QueryInformationModel.GetLevelName(chosen));
            }

            AeTitle dest;
            try
            {
                dest = AeTitle.Parse(result.GetValue(destination)!);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"edicom move: --dest: {e.Message}");
                return 2;
            }

            DicomClientOptions client = common.Read(result);
            int cancelAfter = options.Read(result).CancelAfter;
            DicomUid sopClass = RetrieveInformationModel.GetMoveSopClassUid(model);
            DicomAssociation association;
            try
            {
                association = await DicomClient.ConnectAsync(client, [(sopClass, QueryScu.TransferSyntaxes)], cancellationToken).ConfigureAwait(false);
            }
            catch (DicomNetworkException e)
            {
                Console.Error.WriteLine($"edicom move: {e.Message}");
                return 2;
            }

            try
            {
                RetrieveResult moved = await RetrieveScu.MoveAsync(association, sopClass, identifier, dest, 1, (in SubOperationCounts progress) =>
                {
                    Console.Out.WriteLine($"pending: {progress}");
                    return cancelAfter <= 0 || (progress.Completed ?? 0) + (progress.Failed ?? 0) + (progress.Warning ?? 0) < cancelAfter;
                }, cancellationToken).ConfigureAwait(false);
                await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                string comment = moved.ErrorComment is null ? "" : $" ({moved.ErrorComment})";
                Console.Out.WriteLine($"C-MOVE {client.Host}:{client.Port} ({model}) to {dest}: final status {moved.Status}{comment}; {moved.Counts}");
                return moved.Status.Category switch
                {
                    StatusCategory.Success => 0,
                    StatusCategory.Cancel => moved.CancelRequested ? 0 : 1,
                    _ => 1,
                };
            }
            catch (DicomNetworkException e)
            {
                Console.Error.WriteLine($"edicom move: {e.Message}");
                await association.AbortAsync().ConfigureAwait(false);
                return 2;
            }
        });
        return command;
    }
}
