using System;
using System.Collections.Generic;
using System.Text.Json;
using Embedded.Dicom.Agent.Spool;

namespace Embedded.Dicom.Agent;

/// <summary>
/// The configuration's JSON, read with <see cref="Utf8JsonReader"/> alone. Not the source-generated serializer:
/// libedicom.so reads the configuration for its agent functions, and the serializer's machinery costs the
/// library 1.4 MB (measured: 4,317,248 → 2,928,768 bytes without it), more than everything else it does for the
/// agent. Comments and trailing commas are allowed; unknown fields and wrong types are errors naming the field.
/// </summary>
public sealed partial class AgentConfig
{
    private static AgentConfig Parse(ReadOnlySpan<byte> json, string path)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var config = new AgentConfig();
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, "", path);
            while (NextProperty(ref reader, out string name))
            {
                switch (name)
                {
                    case "aeTitle": config.AeTitle = String(ref reader, name, path); break;
                    case "incoming": config.Incoming = String(ref reader, name, path); break;
                    case "spool": config.Spool = String(ref reader, name, path); break;
                    case "quarantine": config.Quarantine = String(ref reader, name, path); break;
                    case "control": config.Control = String(ref reader, name, path); break;
                    case "settleMs": config.SettleMs = Int(ref reader, name, path); break;
                    case "scanIntervalMs": config.ScanIntervalMs = Int(ref reader, name, path); break;
                    case "idleReleaseMs": config.IdleReleaseMs = Int(ref reader, name, path); break;
                    case "commitmentListen": config.CommitmentListen = String(ref reader, name, path); break;
                    case "retry": config.Retry = ParseRetry(ref reader, path); break;
                    case "destinations":
                        Expect(ref reader, JsonTokenType.StartArray, name, path);
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            config.Destinations.Add(ParseDestination(ref reader, $"destinations[{config.Destinations.Count}]", path));
                        }

                        break;
                    case "rules":
                        Expect(ref reader, JsonTokenType.StartArray, name, path);
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            config.Rules.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Fail(path, $"rules[{config.Rules.Count}]", "expected a string", reader));
                        }

                        break;
                    default:
                        throw Fail(path, name, "unknown field", reader);
                }
            }
        }
        catch (JsonException e)
        {
            // Syntax errors from the reader: it reports the line and position.
            throw new AgentConfigException($"{path}: invalid JSON: {e.Message}");
        }

        return config;
    }

    private static RetryConfig ParseRetry(ref Utf8JsonReader reader, string path)
    {
        var retry = new RetryConfig();
        Expect(ref reader, JsonTokenType.StartObject, "retry", path);
        while (NextProperty(ref reader, out string name))
        {
            string field = "retry." + name;
            switch (name)
            {
                case "initialMs": retry.InitialMs = Int(ref reader, field, path); break;
                case "maxMs": retry.MaxMs = Int(ref reader, field, path); break;
                case "jitter":
                    reader.Read();
                    retry.Jitter = reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double jitter) ? jitter : throw Fail(path, field, "expected a number", reader);
                    break;
                default: throw Fail(path, field, "unknown field", reader);
            }
        }

        return retry;
    }

    private static DestinationConfig ParseDestination(ref Utf8JsonReader reader, string at, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Fail(path, at, "expected an object", reader);
        }

        var destination = new DestinationConfig();
        while (NextProperty(ref reader, out string name))
        {
            string field = at + "." + name;
            switch (name)
            {
                case "name": destination.Name = String(ref reader, field, path); break;
                case "host": destination.Host = String(ref reader, field, path); break;
                case "port": destination.Port = Int(ref reader, field, path); break;
                case "calledAe": destination.CalledAe = String(ref reader, field, path); break;
                case "maxPdu": destination.MaxPdu = Int(ref reader, field, path); break;
                case "connectTimeoutMs": destination.ConnectTimeoutMs = Int(ref reader, field, path); break;
                case "acseTimeoutMs": destination.AcseTimeoutMs = Int(ref reader, field, path); break;
                case "dimseTimeoutMs": destination.DimseTimeoutMs = Int(ref reader, field, path); break;
                case "storageCommitment": destination.StorageCommitment = ParseCommitment(ref reader, field, path); break;
                default: throw Fail(path, field, "unknown field", reader);
            }
        }

        return destination;
    }

    private static CommitmentConfig ParseCommitment(ref Utf8JsonReader reader, string at, string path)
    {
        Expect(ref reader, JsonTokenType.StartObject, at, path);
        var commitment = new CommitmentConfig();
        while (NextProperty(ref reader, out string name))
        {
            string field = at + "." + name;
            switch (name)
            {
                case "batch": commitment.Batch = Int(ref reader, field, path); break;
                case "waitMs": commitment.WaitMs = Int(ref reader, field, path); break;
                case "timeoutMs": commitment.TimeoutMs = Int(ref reader, field, path); break;
                case "maxFailures": commitment.MaxFailures = Int(ref reader, field, path); break;
                default: throw Fail(path, field, "unknown field", reader);
            }
        }

        return commitment;
    }

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader, out string name)
    {
        reader.Read();
        name = reader.TokenType == JsonTokenType.PropertyName ? reader.GetString()! : "";
        return reader.TokenType == JsonTokenType.PropertyName;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string field, string path)
    {
        reader.Read();
        if (reader.TokenType != type)
        {
            throw Fail(path, field, type == JsonTokenType.StartArray ? "expected an array" : "expected an object", reader);
        }
    }

    private static string String(ref Utf8JsonReader reader, string field, string path)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Fail(path, field, "expected a string", reader);
    }

    private static int Int(ref Utf8JsonReader reader, string field, string path)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int value) ? value : throw Fail(path, field, "expected a whole number", reader);
    }

    private static AgentConfigException Fail(string path, string field, string problem, in Utf8JsonReader reader)
        => new($"{path}: {(field.Length == 0 ? "" : field + ": ")}{problem} (at byte {reader.TokenStartIndex})");
}

/// <summary>The status JSON: written and read back with Utf8JsonWriter/Utf8JsonReader, not the serializer (see <see cref="AgentConfig"/>).</summary>
internal static class AgentStatusJson
{
    /// <summary>camelCase names, indented, absent values left out.</summary>
    public static string Write(AgentStatus status)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(2048);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("time", status.Time);
            json.WriteBoolean("running", status.Running);
            json.WriteNumber("queueDepth", status.QueueDepth);
            if (status.OldestAgeSeconds is { } age)
            {
                json.WriteNumber("oldestAgeSeconds", age);
            }

            json.WriteNumber("received", status.Received);
            json.WriteNumber("quarantined", status.Quarantined);
            if (status.IntakeError is { } intakeError)
            {
                json.WriteString("intakeError", intakeError);
            }

            json.WriteBoolean("held", status.Held);
            json.WriteBoolean("paused", status.Paused);
            json.WriteBoolean("waitingForFlush", status.WaitingForFlush);
            json.WriteStartArray("rules");
            foreach (string rule in status.Rules)
            {
                json.WriteStringValue(rule);
            }

            json.WriteEndArray();
            json.WriteStartArray("destinations");
            foreach (DestinationStatus d in status.Destinations)
            {
                json.WriteStartObject();
                json.WriteString("name", d.Name);
                json.WriteString("peer", d.Peer);
                json.WriteString("state", d.State);
                json.WriteNumber("queued", d.Queued);
                json.WriteNumber("failed", d.Failed);
                json.WriteNumber("awaitingCommitment", d.AwaitingCommitment);
                json.WriteNumber("commitmentRequests", d.CommitmentRequests);
                json.WriteNumber("sent", d.Sent);
                json.WriteNumber("consecutiveFailures", d.ConsecutiveFailures);
                if (d.LastError is { } lastError)
                {
                    json.WriteString("lastError", lastError);
                }

                WriteTime(json, "lastErrorAt", d.LastErrorAt);
                WriteTime(json, "nextAttemptAt", d.NextAttemptAt);
                WriteTime(json, "lastSuccessAt", d.LastSuccessAt);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteSignals(json, "inputs", status.Inputs);
            WriteSignals(json, "outputs", status.Outputs);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            json.WriteString(name, time);
        }
    }

    private static void WriteSignals(Utf8JsonWriter json, string name, List<SignalState> signals)
    {
        json.WriteStartArray(name);
        foreach (SignalState signal in signals)
        {
            json.WriteStartObject();
            json.WriteString("name", signal.Name);
            json.WriteBoolean("active", signal.Active);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    public static AgentStatus? Parse(string json)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        var status = new AgentStatus();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                switch (name)
                {
                    case "time": status.Time = ReadTime(ref reader); break;
                    case "running": status.Running = reader.GetBoolean(); break;
                    case "queueDepth": status.QueueDepth = reader.GetInt32(); break;
                    case "oldestAgeSeconds": status.OldestAgeSeconds = reader.TokenType == JsonTokenType.Null ? null : reader.GetDouble(); break;
                    case "received": status.Received = reader.GetInt64(); break;
                    case "quarantined": status.Quarantined = reader.GetInt64(); break;
                    case "intakeError": status.IntakeError = reader.GetString(); break;
                    case "held": status.Held = reader.GetBoolean(); break;
                    case "paused": status.Paused = reader.GetBoolean(); break;
                    case "waitingForFlush": status.WaitingForFlush = reader.GetBoolean(); break;
                    case "rules":
                        while (reader.Read() && reader.TokenType == JsonTokenType.String)
                        {
                            status.Rules.Add(reader.GetString()!);
                        }

                        break;
                    case "destinations":
                        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                        {
                            status.Destinations.Add(ParseDestination(ref reader));
                        }

                        break;
                    case "inputs":
                    case "outputs":
                        List<SignalState> signals = name == "inputs" ? status.Inputs : status.Outputs;
                        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                        {
                            var signal = new SignalState();
                            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                            {
                                string field = reader.GetString()!;
                                reader.Read();
                                if (field == "name")
                                {
                                    signal.Name = reader.GetString()!;
                                }
                                else if (field == "active")
                                {
                                    signal.Active = reader.GetBoolean();
                                }
                            }

                            signals.Add(signal);
                        }

                        break;
                    default:
                        reader.Skip(); // a newer agent's field
                        break;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }

        return status;
    }

    // The times Utf8JsonWriter wrote (ISO 8601, round-trip form), read by the spool's parser rather than the
    // reader's GetDateTimeOffset, whose general date parser brings the local time-zone code into libedicom.so.
    private static DateTimeOffset ReadTime(ref Utf8JsonReader reader)
        => SpoolRecord.TryParseRoundTrip(reader.GetString(), out DateTimeOffset value) ? value : throw new FormatException("not an ISO 8601 time with an offset");

    private static DestinationStatus ParseDestination(ref Utf8JsonReader reader)
    {
        var d = new DestinationStatus();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string field = reader.GetString()!;
            reader.Read();
            switch (field)
            {
                case "name": d.Name = reader.GetString()!; break;
                case "peer": d.Peer = reader.GetString()!; break;
                case "state": d.State = reader.GetString()!; break;
                case "queued": d.Queued = reader.GetInt32(); break;
                case "failed": d.Failed = reader.GetInt32(); break;
                case "awaitingCommitment": d.AwaitingCommitment = reader.GetInt32(); break;
                case "commitmentRequests": d.CommitmentRequests = reader.GetInt32(); break;
                case "sent": d.Sent = reader.GetInt64(); break;
                case "consecutiveFailures": d.ConsecutiveFailures = reader.GetInt32(); break;
                case "lastError": d.LastError = reader.GetString(); break;
                case "lastErrorAt": d.LastErrorAt = reader.TokenType == JsonTokenType.Null ? null : ReadTime(ref reader); break;
                case "nextAttemptAt": d.NextAttemptAt = reader.TokenType == JsonTokenType.Null ? null : ReadTime(ref reader); break;
                case "lastSuccessAt": d.LastSuccessAt = reader.TokenType == JsonTokenType.Null ? null : ReadTime(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        return d;
    }
}
