using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Embedded.Dicom.Networking;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Cli;

/// <summary>
/// <c>edicom get HOST PORT [-P|-S] [-L LEVEL] -k KEY=VALUE ... --out DIR</c>: a C-GET SCU in the manner of DCMTK's
/// getscu (PS3.4 C.4.3): the instances come back as C-STOREs on the same association and are written to DIR.
/// The common storage SOP classes are proposed with the SCP role (PS3.7 D.3.3.4).
/// </summary>
internal static class GetCommand
{
    /// <summary>Storage SOP classes proposed for the returned instances (one context each; PS3.8 allows 128 in all).</summary>
    private static readonly string[] s_storageClasses =
    [
        "1.2.840.10008.5.1.4.1.1.1",        // CR
        "1.2.840.10008.5.1.4.1.1.1.1",      // DX for presentation
        "1.2.840.10008.5.1.4.1.1.1.1.1",    // DX for processing
        "1.2.840.10008.5.1.4.1.1.1.2",      // MG for presentation
        "1.2.840.10008.5.1.4.1.1.2",        // CT
        "1.2.840.10008.5.1.4.1.1.2.1",      // Enhanced CT
        "1.2.840.10008.5.1.4.1.1.3.1",      // US multi-frame
        "1.2.840.10008.5.1.4.1.1.4",        // MR
        "1.2.840.10008.5.1.4.1.1.4.1",      // Enhanced MR
        "1.2.840.10008.5.1.4.1.1.6.1",      // US
        "1.2.840.10008.5.1.4.1.1.7",        // Secondary Capture
        "1.2.840.10008.5.1.4.1.1.7.4",      // Multi-frame true colour SC
        "1.2.840.10008.5.1.4.1.1.12.1",     // XA
        "1.2.840.10008.5.1.4.1.1.12.2",     // RF
        "1.2.840.10008.5.1.4.1.1.20",       // NM
        "1.2.840.10008.5.1.4.1.1.88.11",    // Basic Text SR
        "1.2.840.10008.5.1.4.1.1.88.22",    // Enhanced SR
        "1.2.840.10008.5.1.4.1.1.104.1",    // Encapsulated PDF
        "1.2.840.10008.5.1.4.1.1.128",      // PET
        "1.2.840.10008.5.1.4.1.1.481.1",    // RT Image
        "1.2.840.10008.5.1.4.1.1.481.2",    // RT Dose
        "1.2.840.10008.5.1.4.1.1.481.3",    // RT Structure Set
        "1.2.840.10008.5.1.4.1.1.481.5",    // RT Plan
    ];

    public static Command Create()
    {
        var common = new CommonOptions();
        var patient = new Option<bool>("--patient", "-P") { Description = "Patient Root Query/Retrieve information model" };
        var study = new Option<bool>("--study", "-S") { Description = "Study Root Query/Retrieve information model (the default)" };
        var level = new Option<string?>("--level", "-L") { Description = "Query/Retrieve Level: PATIENT, STUDY, SERIES or IMAGE (default PATIENT with -P, STUDY with -S)" };
        var output = new Option<string>("--out") { Description = "folder for the received objects", DefaultValueFactory = _ => "." };
        var options = new QueryOptions();
        var command = new Command("get", "retrieve instances with C-GET on the same association (getscu-like)");
        common.AddTo(command);
        command.Options.Add(patient);
        command.Options.Add(study);
        command.Options.Add(level);
        command.Options.Add(output);
        options.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(patient) && result.GetValue(study))
            {
                Console.Error.WriteLine("edicom get: give at most one of -P, -S");
                return 2;
            }

            QueryModel model = result.GetValue(patient) ? QueryModel.PatientRoot : QueryModel.StudyRoot;
            var identifier = new QueryIdentifier();
            if (!options.TryApplyKeys(result, identifier, null, "get"))
            {
                return 2;
            }

            string? levelText = result.GetValue(level);
            if (levelText is not null || !identifier.Contains(QueryInformationModel.QueryRetrieveLevel))
            {
                QueryLevel chosen = levelText is null ? (model == QueryModel.PatientRoot ? QueryLevel.Patient : QueryLevel.Study) : QueryInformationModel.ParseLevel(levelText.ToUpperInvariant());
                if (!QueryInformationModel.HasLevel(model, chosen))
                {
                    Console.Error.WriteLine($"edicom get: level '{levelText}' is not one of the {model} model's levels");
                    return 2;
                }

                identifier.Set(QueryInformationModel.QueryRetrieveLevel, QueryInformationModel.GetLevelName(chosen));
            }

            string folder = result.GetValue(output)!;
            Directory.CreateDirectory(folder);
            DicomClientOptions client = common.Read(result);
            int cancelAfter = options.Read(result).CancelAfter;
            DicomUid sopClass = RetrieveInformationModel.GetGetSopClassUid(model);
            DicomAssociation association;
            try
            {
                association = await ConnectAsync(client, sopClass, cancellationToken).ConfigureAwait(false);
            }
            catch (DicomNetworkException e)
            {
                Console.Error.WriteLine($"edicom get: {e.Message}");
                return 2;
            }

            var storage = new FileStorageHandler(folder) { Stored = path => Console.Out.WriteLine("stored " + path) };
            try
            {
                RetrieveResult got = await RetrieveScu.GetAsync(association, sopClass, identifier, 1, storage, (in SubOperationCounts progress) =>
                {
                    Console.Out.WriteLine($"pending: {progress}");
                    return cancelAfter <= 0 || (progress.Completed ?? 0) + (progress.Failed ?? 0) + (progress.Warning ?? 0) < cancelAfter;
                }, cancellationToken).ConfigureAwait(false);
                await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                string comment = got.ErrorComment is null ? "" : $" ({got.ErrorComment})";
                Console.Out.WriteLine($"C-GET {client.Host}:{client.Port} ({model}): {got.ReceivedCount} received, final status {got.Status}{comment}; {got.Counts}");
                return got.Status.Category switch
                {
                    StatusCategory.Success => 0,
                    StatusCategory.Cancel => got.CancelRequested ? 0 : 1,
                    _ => 1,
                };
            }
            catch (DicomNetworkException e)
            {
                Console.Error.WriteLine($"edicom get: {e.Message}");
                await association.AbortAsync().ConfigureAwait(false);
                return 2;
            }
        });
        return command;
    }

    /// <summary>Connects proposing the C-GET model plus the storage contexts with the SCP role (PS3.4 C.4.3).</summary>
    private static async Task<DicomAssociation> ConnectAsync(DicomClientOptions options, DicomUid getSopClass, System.Threading.CancellationToken cancellationToken)
    {
        var request = new AAssociateRequest();
        request.PresentationContexts.Add(new PresentationContextRequest(1, getSopClass, QueryScu.TransferSyntaxes));
        RetrieveScu.ProposeStorageAsScp(request, s_storageClasses.Select(DicomUid.Parse).ToArray());
        return await DicomClient.ConnectAsync(options, request, cancellationToken).ConfigureAwait(false);
    }
}
