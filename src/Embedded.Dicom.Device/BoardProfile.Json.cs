using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace Embedded.Dicom.Device;

// Reading board.json with Utf8JsonReader alone, not the serializer: the serializer's machinery costs a NativeAOT
// binary more than a megabyte (the agent's configuration reader measured 1.4 MB in libedicom.so), for a file of a
// dozen fields. Strict: exact camelCase names, no comments, no trailing commas, no repeated keys; a value of the
// wrong type is reported with its field path and the line and column where the value starts.
public sealed partial class BoardProfile
{
    private static BoardDocument ReadDocument(string json, string source)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
        var context = new BoardJsonText(utf8, source);
        try
        {
            reader.Read();
            context.Expect(ref reader, JsonTokenType.StartObject, "$", "an object");
            var document = new BoardDocument();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (context.NextProperty(ref reader, "", seen, out string name))
            {
                switch (name)
                {
                    case "name": document.Name = context.String(ref reader, name); break;
                    case "description": document.Description = context.String(ref reader, name); break;
                    case "rid": document.Rid = context.String(ref reader, name); break;
                    case "gpio": document.Gpio = ReadGpio(ref reader, context); break;
                    case "mcp23017": document.Mcp23017 = ReadMcp23017(ref reader, context); break;
                    case "inputs": document.Inputs = ReadArray(ref reader, context, "inputs", ReadInputDocument); break;
                    case "outputs": document.Outputs = ReadArray(ref reader, context, "outputs", ReadOutputDocument); break;
                    default: context.Unknown(ref reader, ref document.Unknown, name); break;
                }
            }

            reader.Read(); // anything after the object is a syntax error
            return document;
        }
        catch (JsonException ex)
        {
            string at = ex.LineNumber is long line ? $"line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1}" : "unknown position";
            throw new BoardProfileException(source, $"invalid JSON at {at}", ex);
        }
    }

    private static GpioDocument? ReadGpio(ref Utf8JsonReader reader, BoardJsonText context)
    {
        if (!context.StartObject(ref reader, "gpio"))
        {
            return null;
        }

        var gpio = new GpioDocument();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (context.NextProperty(ref reader, "gpio", seen, out string name))
        {
            string path = "gpio." + name;
            switch (name)
            {
                case "driver": gpio.Driver = context.String(ref reader, path); break;
                case "chipLabel": gpio.ChipLabel = context.String(ref reader, path); break;
                case "chip": gpio.Chip = context.Int(ref reader, path); break;
                default: context.Unknown(ref reader, ref gpio.Unknown, name); break;
            }
        }

        return gpio;
    }

    private static Mcp23017Document? ReadMcp23017(ref Utf8JsonReader reader, BoardJsonText context)
    {
        if (!context.StartObject(ref reader, "mcp23017"))
        {
            return null;
        }

        var mcp = new Mcp23017Document();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (context.NextProperty(ref reader, "mcp23017", seen, out string name))
        {
            string path = "mcp23017." + name;
            switch (name)
            {
                case "bus": mcp.Bus = context.Int(ref reader, path); break;
                case "address":
                    // JSON has no hex literals and I2C addresses are written in hex: "0x20" or 32 (checked later).
                    reader.Read();
                    mcp.Address = reader.TokenType switch
                    {
                        JsonTokenType.Null => null,
                        JsonTokenType.Number => new AddressValue(reader.TryGetInt32(out int number) ? number : null, null),
                        JsonTokenType.String => new AddressValue(null, reader.GetString()),
                        _ => new AddressValue(null, null),
                    };
                    reader.Skip();
                    break;
                case "interruptLine": mcp.InterruptLine = context.Int(ref reader, path); break;
                case "pollIntervalMs": mcp.PollIntervalMs = context.Int(ref reader, path); break;
                default: context.Unknown(ref reader, ref mcp.Unknown, name); break;
            }
        }

        return mcp;
    }

    private static InputDocument ReadInputDocument(ref Utf8JsonReader reader, BoardJsonText context, string at)
    {
        var input = new InputDocument();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (context.NextProperty(ref reader, at, seen, out string name))
        {
            string path = at + "." + name;
            switch (name)
            {
                case "name": input.Name = context.String(ref reader, path); break;
                case "source": input.Source = context.String(ref reader, path); break;
                case "line": input.Line = context.Int(ref reader, path); break;
                case "pin": input.Pin = context.Int(ref reader, path); break;
                case "activeLow": input.ActiveLow = context.Bool(ref reader, path); break;
                case "bias": input.Bias = context.String(ref reader, path); break;
                case "debounceMs": input.DebounceMs = context.Int(ref reader, path); break;
                default: context.Unknown(ref reader, ref input.Unknown, name); break;
            }
        }

        return input;
    }

    private static OutputDocument ReadOutputDocument(ref Utf8JsonReader reader, BoardJsonText context, string at)
    {
        var output = new OutputDocument();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (context.NextProperty(ref reader, at, seen, out string name))
        {
            string path = at + "." + name;
            switch (name)
            {
                case "name": output.Name = context.String(ref reader, path); break;
                case "line": output.Line = context.Int(ref reader, path); break;
                case "activeLow": output.ActiveLow = context.Bool(ref reader, path); break;
                default: context.Unknown(ref reader, ref output.Unknown, name); break;
            }
        }

        return output;
    }

    private delegate T ItemReader<T>(ref Utf8JsonReader reader, BoardJsonText context, string at);

    private static List<T?>? ReadArray<T>(ref Utf8JsonReader reader, BoardJsonText context, string path, ItemReader<T> readItem) where T : class
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        context.Expect(ref reader, JsonTokenType.StartArray, path, "an array");
        var items = new List<T?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            string at = $"{path}[{items.Count}]";
            if (reader.TokenType == JsonTokenType.Null)
            {
                items.Add(null);
                continue;
            }

            context.Expect(ref reader, JsonTokenType.StartObject, at, "an object");
            items.Add(readItem(ref reader, context, at));
        }

        return items;
    }

    /// <summary>The text being read (for positions) and its name (for messages).</summary>
    private sealed class BoardJsonText(byte[] utf8, string source)
    {
        public void Expect(ref Utf8JsonReader reader, JsonTokenType type, string path, string kind)
        {
            if (reader.TokenType != type)
            {
                throw Mismatch(reader, path, kind);
            }
        }

        /// <summary>Reads an object's start; false for null.</summary>
        public bool StartObject(ref Utf8JsonReader reader, string path)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                return false;
            }

            Expect(ref reader, JsonTokenType.StartObject, path, "an object");
            return true;
        }

        /// <summary>Moves to the next property of the current object (false at its end); a repeated name is an error.</summary>
        public bool NextProperty(ref Utf8JsonReader reader, string at, HashSet<string> seen, out string name)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                name = "";
                return false;
            }

            name = reader.GetString()!;
            if (!seen.Add(name))
            {
                throw new BoardProfileException(source, $"{(at.Length == 0 ? name : at + "." + name)}: duplicate field ({Position(reader.TokenStartIndex)})");
            }

            return true;
        }

        public string? String(ref Utf8JsonReader reader, string path)
        {
            reader.Read();
            return reader.TokenType switch
            {
                JsonTokenType.Null => null,
                JsonTokenType.String => reader.GetString(),
                _ => throw Mismatch(reader, path, "a string"),
            };
        }

        public int? Int(ref Utf8JsonReader reader, string path)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int value) ? value : throw Mismatch(reader, path, "a whole number");
        }

        public bool? Bool(ref Utf8JsonReader reader, string path)
        {
            reader.Read();
            return reader.TokenType switch
            {
                JsonTokenType.Null => null,
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                _ => throw Mismatch(reader, path, "true or false"),
            };
        }

        /// <summary>Records an unknown (typically misspelled) field for the validator, and skips its value.</summary>
        public void Unknown(ref Utf8JsonReader reader, ref List<string>? unknown, string name)
        {
            (unknown ??= []).Add(name);
            reader.Read();
            reader.Skip();
        }

        private BoardProfileException Mismatch(in Utf8JsonReader reader, string path, string kind)
            => new(source, $"{path}: expected {kind} ({Position(reader.TokenStartIndex)})");

        /// <summary>"line L, column C" (1-based, columns in bytes) of an offset in the text.</summary>
        private string Position(long offset)
        {
            int line = 1;
            long lineStart = 0;
            for (long i = 0; i < offset && i < utf8.Length; i++)
            {
                if (utf8[i] == (byte)'\n')
                {
                    line++;
                    lineStart = i + 1;
                }
            }

            return $"line {line}, column {offset - lineStart + 1}";
        }
    }
}
