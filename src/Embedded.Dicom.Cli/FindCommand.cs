using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Cli;

/// <summary>
/// <c>edicom find HOST PORT [-P|-S|-W] [-L LEVEL] -k KEY[=VALUE] ... [--json] [--cancel-after N]</c>: a C-FIND
/// SCU in the manner of DCMTK's findscu. Keys are a keyword or a tag — <c>PatientName=DOE*</c>,
/// <c>0010,0020=</c>, <c>(0008,0052)=STUDY</c> — or a path into a sequence item,
/// <c>ScheduledProcedureStepSequence[0].Modality=CT</c>; a key without a value is a return key. Each match is
/// printed as it arrives, one "keyword = value" block per match, or all as one JSON array.
/// </summary>
internal static class FindCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var patient = new Option<bool>("--patient", "-P") { Description = "Patient Root Query/Retrieve information model" };
        var study = new Option<bool>("--study", "-S") { Description = "Study Root Query/Retrieve information model (the default)" };
        var worklist = new Option<bool>("--worklist", "-W") { Description = "Modality Worklist information model" };
        var level = new Option<string?>("--level", "-L") { Description = "Query/Retrieve Level: PATIENT, STUDY, SERIES or IMAGE (default PATIENT with -P, STUDY with -S)" };
        var options = new QueryOptions();
        var command = new Command("find", "query a peer with C-FIND (findscu-like)");
        common.AddTo(command);
        command.Options.Add(patient);
        command.Options.Add(study);
        command.Options.Add(worklist);
        command.Options.Add(level);
        options.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            int models = (result.GetValue(patient) ? 1 : 0) + (result.GetValue(study) ? 1 : 0) + (result.GetValue(worklist) ? 1 : 0);
            if (models > 1)
            {
                Console.Error.WriteLine("edicom find: give at most one of -P, -S, -W");
                return Task.FromResult(2);
            }

            QueryModel model = result.GetValue(patient) ? QueryModel.PatientRoot : result.GetValue(worklist) ? QueryModel.ModalityWorklist : QueryModel.StudyRoot;
            var identifier = new QueryIdentifier();
            if (!options.TryApplyKeys(result, identifier, null, "find"))
            {
                return Task.FromResult(2);
            }

            string? levelText = result.GetValue(level);
            if (model == QueryModel.ModalityWorklist)
            {
                if (levelText is not null)
                {
                    Console.Error.WriteLine("edicom find: the worklist model has no query level (-L)");
                    return Task.FromResult(2);
                }
            }
            else if (levelText is not null || !identifier.Contains(QueryInformationModel.QueryRetrieveLevel))
            {
                QueryLevel chosen = levelText is null ? (model == QueryModel.PatientRoot ? QueryLevel.Patient : QueryLevel.Study) : QueryInformationModel.ParseLevel(levelText.ToUpperInvariant());
                if (!QueryInformationModel.HasLevel(model, chosen))
                {
                    Console.Error.WriteLine($"edicom find: level '{levelText}' is not one of the {model} model's levels");
                    return Task.FromResult(2);
                }

                identifier.Set(QueryInformationModel.QueryRetrieveLevel, QueryInformationModel.GetLevelName(chosen));
            }

            return RunAsync("find", common.Read(result), model, identifier, options.Read(result), cancellationToken);
        });
        return command;
    }

    /// <summary>Runs one C-FIND on a new association and prints its matches; the exit code of find and worklist.</summary>
    internal static async Task<int> RunAsync(string name, DicomClientOptions client, QueryModel model, QueryIdentifier identifier, QuerySettings settings, CancellationToken cancellationToken)
    {
        DicomUid sopClass = QueryInformationModel.GetSopClassUid(model);
        using Stream stdout = Console.OpenStandardOutput();
        using var text = new StreamWriter(stdout, new UTF8Encoding(false)) { AutoFlush = !Console.IsOutputRedirected };
        using var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true });
        TextWriter summary = settings.Json ? Console.Error : text;
        DicomAssociation association;
        try
        {
            association = await DicomClient.ConnectAsync(client, [(sopClass, QueryScu.TransferSyntaxes)], cancellationToken).ConfigureAwait(false);
        }
        catch (DicomNetworkException e)
        {
            Console.Error.WriteLine($"edicom {name}: {e.Message}");
            return 2;
        }

        try
        {
            if (settings.Json)
            {
                json.WriteStartArray();
            }

            QueryResult result = await QueryScu.FindAsync(association, sopClass, identifier, 1, (in QueryMatch match) =>
            {
                if (settings.Json)
                {
                    WriteJson(json, match);
                    json.Flush();
                }
                else
                {
                    WriteText(text, match);
                }

                return settings.CancelAfter <= 0 || match.Index + 1 < settings.CancelAfter;
            }, cancellationToken).ConfigureAwait(false);

            if (settings.Json)
            {
                json.WriteEndArray();
                json.Flush();
                stdout.WriteByte((byte)'\n');
            }

            await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            string comment = result.ErrorComment is null ? "" : $" ({result.ErrorComment})";
            summary.WriteLine($"C-FIND {client.Host}:{client.Port} ({model}): {result.MatchCount} match(es), final status {result.Status}{comment}");
            summary.Flush();
            return result.Status.Category switch
            {
                StatusCategory.Success or StatusCategory.Warning => 0,
                StatusCategory.Cancel => result.CancelRequested ? 0 : 1,
                _ => 1,
            };
        }
        catch (DicomNetworkException e)
        {
            text.Flush();
            Console.Error.WriteLine($"edicom {name}: {e.Message}");
            await association.AbortAsync().ConfigureAwait(false);
            return 2;
        }
    }

    /// <summary>
    /// Applies one <c>-k</c>: <c>KEY[=VALUE]</c>, KEY a keyword, a tag ("0010,0010", "(0010,0010)", "00100010")
    /// or a path <c>SEQUENCE[0].KEY</c> (one item per sequence in a query, PS3.4 C.2.2.2.6).
    /// </summary>
    internal static bool TryApplyKey(QueryIdentifier identifier, string text, out string? error)
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        string path = equals < 0 ? text : text[..equals];
        string value = equals < 0 ? "" : text[(equals + 1)..];
        string[] segments = path.Split('.');
        QueryIdentifier target = identifier;
        for (int i = 0; i < segments.Length; i++)
        {
            string segment = segments[i].Trim();
            bool last = i == segments.Length - 1;
            if (!last && segment.EndsWith(']'))
            {
                int open = segment.IndexOf('[', StringComparison.Ordinal);
                if (open < 0 || segment[(open + 1)..^1] != "0")
                {
                    error = $"'{path}': only item [0] of a sequence can hold query keys";
                    return false;
                }

                segment = segment[..open];
            }

            if (!DataDictionary.TryParseTag(segment, out DicomTag tag))
            {
                error = $"'{segment}' is neither a keyword nor a tag (gggg,eeee)";
                return false;
            }

            try
            {
                if (last)
                {
                    target.Set(tag, value);
                }
                else
                {
                    target = target.Item(tag);
                }
            }
            catch (ArgumentException e)
            {
                error = $"-k {text}: {e.Message}";
                return false;
            }
        }

        error = null;
        return true;
    }

    private static void WriteText(TextWriter output, in QueryMatch match)
    {
        output.WriteLine($"# match {match.Index + 1} ({match.Status})");
        DataSetReader reader = match.CreateReader();
        while (reader.Read())
        {
            // Elements of an item are indented under its "- item" line, one step per nesting level.
            string indent = new(' ', 4 * reader.CurrentDepth);
            switch (reader.TokenType)
            {
                case DataSetTokenType.Element:
                    string value = FormatValue(ref reader);
                    output.WriteLine(value.Length == 0 ? $"{indent}{Name(reader.Tag)} =" : $"{indent}{Name(reader.Tag)} = {value}");
                    break;
                case DataSetTokenType.SequenceStart:
                    output.WriteLine($"{indent}{Name(reader.Tag)}:");
                    break;
                case DataSetTokenType.ItemStart:
                    output.WriteLine($"{indent[2..]}- item");
                    break;
            }
        }

        if (reader.Error is not null)
        {
            output.WriteLine($"# the identifier is malformed: {reader.Error}");
        }

        output.WriteLine();
    }

    /// <summary>One JSON object per match: keyword (or "ggggeeee") to value; sequences are arrays of objects.</summary>
    private static void WriteJson(Utf8JsonWriter json, in QueryMatch match)
    {
        json.WriteStartObject();
        DataSetReader reader = match.CreateReader();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case DataSetTokenType.Element:
                    json.WriteString(JsonName(reader.Tag), FormatValue(ref reader));
                    break;
                case DataSetTokenType.SequenceStart:
                    json.WritePropertyName(JsonName(reader.Tag));
                    json.WriteStartArray();
                    break;
                case DataSetTokenType.ItemStart:
                    json.WriteStartObject();
                    break;
                case DataSetTokenType.ItemEnd:
                    json.WriteEndObject();
                    break;
                case DataSetTokenType.SequenceEnd:
                    json.WriteEndArray();
                    break;
            }
        }

        json.WriteEndObject();
    }

    private static bool IsText(ValueRepresentation vr) => vr is ValueRepresentation.AE or ValueRepresentation.AS or ValueRepresentation.CS
        or ValueRepresentation.DA or ValueRepresentation.DS or ValueRepresentation.DT or ValueRepresentation.IS or ValueRepresentation.LO
        or ValueRepresentation.LT or ValueRepresentation.PN or ValueRepresentation.SH or ValueRepresentation.ST or ValueRepresentation.TM
        or ValueRepresentation.UC or ValueRepresentation.UI or ValueRepresentation.UR or ValueRepresentation.UT;

    private static string Name(DicomTag tag) => DataDictionary.GetKeyword(tag.Value) is { Length: > 0 } keyword ? keyword : tag.ToString();

    private static string JsonName(DicomTag tag) => DataDictionary.GetKeyword(tag.Value) is { Length: > 0 } keyword
        ? keyword
        : tag.Value.ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>Text values as decoded (with the identifier's character set); numbers in decimal, backslash-separated; other binary values by size.</summary>
    private static string FormatValue(ref DataSetReader reader)
    {
        if (!reader.IsValueComplete)
        {
            return "";
        }

        ValueRepresentation vr = reader.VR;
        if (IsText(vr) || vr == ValueRepresentation.None)
        {
            return reader.GetString();
        }

        var values = new StringBuilder();
        for (int i = 0; ; i++)
        {
            string? one = vr switch
            {
                ValueRepresentation.US => reader.TryGetUInt16(out ushort us, i) ? us.ToString(CultureInfo.InvariantCulture) : null,
                ValueRepresentation.SS => reader.TryGetInt16(out short ss, i) ? ss.ToString(CultureInfo.InvariantCulture) : null,
                ValueRepresentation.UL => reader.TryGetUInt32(out uint ul, i) ? ul.ToString(CultureInfo.InvariantCulture) : null,
                ValueRepresentation.SL => reader.TryGetInt32(out int sl, i) ? sl.ToString(CultureInfo.InvariantCulture) : null,
                ValueRepresentation.FL => reader.TryGetSingle(out float fl, i) ? fl.ToString(CultureInfo.InvariantCulture) : null,
                ValueRepresentation.FD => reader.TryGetDouble(out double fd, i) ? fd.ToString(CultureInfo.InvariantCulture) : null,
                ValueRepresentation.AT => reader.TryGetTag(out DicomTag at, i) ? at.ToString() : null,
                _ => i == 0 ? $"({reader.Length} bytes)" : null,
            };
            if (one is null)
            {
                return values.ToString();
            }

            values.Append(i == 0 ? "" : "\\").Append(one);
        }
    }
}

/// <summary>What find and worklist share: keys, output format, cancel-after.</summary>
internal sealed record QuerySettings(bool Json, int CancelAfter);

/// <summary>The options of find and worklist besides the model and level.</summary>
internal sealed class QueryOptions
{
    public Option<string[]> Keys { get; } = new("--key", "-k")
    {
        Description = "query key KEY[=VALUE]: keyword, gggg,eeee or SEQ[0].KEY; no value = return key (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> Json { get; } = new("--json") { Description = "print the matches as one JSON array (keyword: value)" };

    public Option<int> CancelAfter { get; } = new("--cancel-after") { Description = "send C-CANCEL after N matches (PS3.7 9.3.2.3)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Keys);
        command.Options.Add(Json);
        command.Options.Add(CancelAfter);
    }

    public QuerySettings Read(ParseResult result) => new(result.GetValue(Json), result.GetValue(CancelAfter));

    /// <summary>Applies every -k; <paramref name="route"/> may redirect a bare key (worklist: into the step item).</summary>
    public bool TryApplyKeys(ParseResult result, QueryIdentifier identifier, Func<string, QueryIdentifier?>? route, string name)
    {
        foreach (string key in result.GetValue(Keys) ?? [])
        {
            QueryIdentifier target = route?.Invoke(key) ?? identifier;
            if (!FindCommand.TryApplyKey(target, key, out string? error))
            {
                Console.Error.WriteLine($"edicom {name}: {error}");
                return false;
            }
        }

        return true;
    }
}
