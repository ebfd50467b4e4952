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
            !TryParseRoundTrip(when, out received))
        {
            return false;
        }

        description = new ObjectDescription(sop, cls, fields.GetValueOrDefault("study", ""), ts, fields.GetValueOrDefault("source", ""));
        if (fields.TryGetValue("status", out string? status))
        {
            ushort? code = status.StartsWith("0x", StringComparison.Ordinal) &&
                ushort.TryParse(status.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ushort c) ? c : null;
            _ = TryParseRoundTrip(fields.GetValueOrDefault("failed-at", ""), out DateTimeOffset at);
            failure = new DeliveryFailure(code, fields.GetValueOrDefault("reason", ""), at);
        }

        return true;
    }

    /// <summary>
    /// Reads a time as <see cref="Format"/> writes it, the round-trip form of DateTimeOffset.ToString("O"):
    /// yyyy-MM-ddTHH:mm:ss[.f to fffffff] then +hh:mm, -hh:mm or Z (ISO 8601). Anything else is refused.
    /// </summary>
    /// <remarks>
    /// Not DateTimeOffset.TryParse: its general parser (every culture format, and the local time zone for text
    /// without an offset) is far bigger than this one form needs. Measured on libedicom.so, linux-x64: this
    /// parser instead of TryParse saved 41,088 bytes, and using it for the agent status JSON too (instead of
    /// Utf8JsonReader.GetDateTimeOffset) another 8,208.
    /// </remarks>
    internal static bool TryParseRoundTrip(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
            !TryDigits(text[..4], out int year) || !TryDigits(text.Slice(5, 2), out int month) || !TryDigits(text.Slice(8, 2), out int day) ||
            !TryDigits(text.Slice(11, 2), out int hour) || !TryDigits(text.Slice(14, 2), out int minute) || !TryDigits(text.Slice(17, 2), out int second))
        {
            return false;
        }

        int position = 19;
        long ticks = 0;
        if (text[position] == '.')
        {
            int digits = 0;
            position++;
            while (position < text.Length && char.IsAsciiDigit(text[position]) && digits < 7)
            {
                ticks = (ticks * 10) + (text[position++] - '0');
                digits++;
            }

            if (digits == 0)
            {
                return false;
            }

            for (; digits < 7; digits++)
            {
                ticks *= 10;
            }
        }

        ReadOnlySpan<char> zone = text[position..];
        int offsetMinutes;
        if (zone is "Z")
        {
            offsetMinutes = 0;
        }
        else if (zone.Length == 6 && zone[0] is '+' or '-' && zone[3] == ':' &&
                 TryDigits(zone.Slice(1, 2), out int offsetHours) && TryDigits(zone.Slice(4, 2), out int offsetRest) &&
                 offsetHours <= 14 && offsetRest < 60)
        {
            offsetMinutes = (zone[0] == '-' ? -1 : 1) * ((offsetHours * 60) + offsetRest);
        }
        else
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59 ||
            Math.Abs(offsetMinutes) > 14 * 60)
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
        long utcTicks = local.Ticks - (offsetMinutes * TimeSpan.TicksPerMinute);
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false; // e.g. 0001-01-01T00:00:00+01:00, before the first representable instant
        }

        value = new DateTimeOffset(local.Ticks, TimeSpan.FromMinutes(offsetMinutes)); // from ticks: no time-zone lookup
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (char c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static void Line(StringBuilder text, string key, string value)
    {
        // Values are single lines: UIDs, names; a newline in a hostile file name must not forge a field.
        text.Append(key).Append('=').Append(value.Replace('\n', ' ').Replace('\r', ' ')).Append('\n');
    }
}
