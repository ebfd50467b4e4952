using System.CommandLine;
using System.Threading.Tasks;
using Embedded.Dicom.Networking.Services;

namespace Embedded.Dicom.Cli;

/// <summary>
/// <c>edicom worklist HOST PORT [-k KEY[=VALUE] ...] [--json]</c>: <c>edicom find -W</c> with the usual
/// Modality Worklist return keys already asked for (PS3.4 Table K.6-1: patient, accession, requested procedure,
/// and the Scheduled Procedure Step item). A bare key that is one of the step's keys (Modality,
/// ScheduledStationAETitle, ScheduledProcedureStepStartDate …) is set inside the step item, so
/// <c>-k Modality=CT -k ScheduledProcedureStepStartDate=20240101-20240131</c> does what it says.
/// </summary>
internal static class WorklistCommand
{
    // Top-level return keys, then the keys of the Scheduled Procedure Step Sequence item.
    private static readonly uint[] s_topKeys = [0x00080050, 0x00100010, 0x00100020, 0x00100030, 0x00100040, 0x0020000D, 0x00321060, 0x00401001];
    private static readonly uint[] s_stepKeys = [0x00080060, 0x00400001, 0x00400002, 0x00400003, 0x00400006, 0x00400007, 0x00400009, 0x00400010];

    public static Command Create()
    {
        var common = new CommonOptions();
        var options = new QueryOptions();
        var command = new Command("worklist", "query a Modality Worklist (find -W with the usual return keys)");
        common.AddTo(command);
        options.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            var identifier = new QueryIdentifier();
            foreach (uint tag in s_topKeys)
            {
                identifier.Set(new DicomTag(tag));
            }

            QueryIdentifier step = identifier.Item(QueryInformationModel.ScheduledProcedureStepSequence);
            foreach (uint tag in s_stepKeys)
            {
                step.Set(new DicomTag(tag));
            }

            QueryIdentifier? Route(string key)
            {
                int equals = key.IndexOf('=', System.StringComparison.Ordinal);
                string path = equals < 0 ? key : key[..equals];
                return !path.Contains('.', System.StringComparison.Ordinal) && DataDictionary.TryParseTag(path, out DicomTag tag) && step.Contains(tag) ? step : null;
            }

            if (!options.TryApplyKeys(result, identifier, Route, "worklist"))
            {
                return Task.FromResult(2);
            }

            return FindCommand.RunAsync("worklist", common.Read(result), QueryModel.ModalityWorklist, identifier, options.Read(result), cancellationToken);
        });
        return command;
    }
}
