using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Agent.Spool;

/// <summary>One object held by the spool: its data file and what the agent needs to send and report it.</summary>
public sealed class SpoolObject
{
    internal SpoolObject(long sequence, ObjectDescription description, DateTimeOffset received, string dataPath)
    {
        Sequence = sequence;
        Description = description;
        Received = received;
        DataPath = dataPath;
    }

    /// <summary>Spool order: assigned at intake, increasing; delivery to a destination follows it (and so keeps per-study order).</summary>
    public long Sequence { get; }

    /// <summary>The identifiers read from the file at intake.</summary>
    public ObjectDescription Description { get; }

    /// <summary>When the spool took the object.</summary>
    public DateTimeOffset Received { get; }

    /// <summary>The object's Part 10 file inside the spool.</summary>
    public string DataPath { get; }

    /// <summary>The file's meta group, read once (at intake or recovery) to choose presentation contexts.</summary>
    internal Part10FileInfo? FileInfo { get; set; }
}

/// <summary>What intake validation read from a Part 10 file.</summary>
/// <param name="SopInstanceUid">(0008,0018), equal to the meta group's (0002,0003).</param>
/// <param name="SopClassUid">(0008,0016), equal to (0002,0002).</param>
/// <param name="StudyInstanceUid">(0020,000D); empty when the object has none.</param>
/// <param name="TransferSyntaxUid">(0002,0010).</param>
/// <param name="SourceName">The file name it arrived under in the incoming folder.</param>
public sealed record ObjectDescription(string SopInstanceUid, string SopClassUid, string StudyInstanceUid, string TransferSyntaxUid, string SourceName);

/// <summary>The recorded state of an object for one destination. "Delivered" is the absence of a record.</summary>
public enum DeliveryState
{
    /// <summary>Waiting to be sent (or being sent).</summary>
    Queued,

    /// <summary>Refused with a failure status (or unsendable); kept until retried or purged.</summary>
    Failed,
}

/// <summary>A failure recorded against an object for one destination.</summary>
/// <param name="Status">The C-STORE-RSP status, or null when the object could not be sent at all (no presentation context, unreadable file).</param>
/// <param name="Reason">The Error Comment or the local reason.</param>
/// <param name="At">When the failure was recorded.</param>
public sealed record DeliveryFailure(ushort? Status, string Reason, DateTimeOffset At)
{
    /// <summary>"0xA900 Data Set does not match SOP Class (comment)" or the reason alone.</summary>
    public override string ToString() => Status is ushort code ? $"{new DicomStatus(code)}{(Reason.Length > 0 ? $" ({Reason})" : "")}" : Reason;
}

/// <summary>
/// The text of a spool record (one per object and destination): "key=value" lines, UTF-8. Plain text so that
/// an engineer can read a spool with cat, and so that the format needs no serializer.
/// </summary>
internal static class SpoolRecord
{
    public static string Format(ObjectDescription d, DateTimeOffset received, DeliveryFailure? failure)
    {
        var text = new StringBuilder(256);
        Line(text, "sop-instance", d.SopInstanceUid);
        Line(text, "sop-class", d.SopClassUid);
        Line(text, "study", d.StudyInstanceUid);
        Line(text, "transfer-syntax", d.TransferSyntaxUid);
        Line(text, "source", d.SourceName);
        Line(text, "received", received.ToString("O", CultureInfo.InvariantCulture));
        if (failure is not null)
        {
            Line(text, "status", failure.Status is ushort s ? "0x" + s.ToString("X4", CultureInfo.InvariantCulture) : "none");
            Line(text, "reason", failure.Reason);
            Line(text, "failed-at", failure.At.ToString("O", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    public static bool TryParse(string text, out ObjectDescription? description, out DateTimeOffset received, out DeliveryFailure? failure)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                fields[line[..eq]] = line[(eq + 1)..];
            }
        }

        description = null;
        failure = null;
        received = default;
        if (!fields.TryGetValue("sop-instance", out string? sop) || !fields.TryGetValue("sop-class", out string? cls) ||
            !fields.TryGetValue("transfer-syntax", out string? ts) ||
            !fields.TryGetValue("received", out string? when) ||
            !DateTimeOffset.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out received))
        {
            return false;
        }

        description = new ObjectDescription(sop, cls, fields.GetValueOrDefault("study", ""), ts, fields.GetValueOrDefault("source", ""));
        if (fields.TryGetValue("status", out string? status))
        {
            ushort? code = status.StartsWith("0x", StringComparison.Ordinal) &&
                ushort.TryParse(status.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ushort c) ? c : null;
            _ = DateTimeOffset.TryParse(fields.GetValueOrDefault("failed-at", ""), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset at);
            failure = new DeliveryFailure(code, fields.GetValueOrDefault("reason", ""), at);
        }

        return true;
    }

    private static void Line(StringBuilder text, string key, string value)
    {
        // Values are single lines: UIDs, names; a newline in a hostile file name must not forge a field.
        text.Append(key).Append('=').Append(value.Replace('\n', ' ').Replace('\r', ' ')).Append('\n');
    }
}
