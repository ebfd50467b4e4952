using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.Networking.Tests.Dimse;

namespace Embedded.Dicom.Networking.Tests.Interop;

/// <summary>
/// Compares our command sets with an independent implementation: Debian's python3-pydicom (installed by the
/// test command) writes the same elements, chosen by keyword so that VRs and padding come from pydicom's own
/// dictionary, and reads our bytes back.
/// </summary>
[Trait("Interop", "pydicom")]
public class PydicomCrossCheckTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public void AllTwentyThreeMessages_MatchPydicomBothWays()
    {
        var samples = SampleMessages.All().ToList();
        var input = new JsonArray();
        foreach (var (_, bytes, _) in samples)
        {
            var elements = new JsonArray();
            foreach (var (tag, value) in CommandSetCodecTests.Split(bytes))
            {
                if (tag != CommandTag.CommandGroupLength)
                {
                    elements.Add(new JsonArray(CommandDictionary.GetKeyword(tag), ToJson(tag, value)));
                }
            }

            input.Add(new JsonObject { ["elements"] = elements, ["ours"] = Convert.ToHexString(bytes) });
        }

        JsonArray output = RunPydicom(input.ToJsonString());
        Assert.Equal(samples.Count, output.Count);
        for (int i = 0; i < samples.Count; i++)
        {
            var (name, ours, _) = samples[i];
            byte[] theirs = Convert.FromHexString(output[i]!["written"]!.GetValue<string>());

            // 1. Byte-identical encoding.
            Assert.True(ours.AsSpan().SequenceEqual(theirs), $"{name}: ours {Convert.ToHexString(ours)} pydicom {Convert.ToHexString(theirs)}");

            // 2. Our decoder reads pydicom's bytes to the same message.
            var handler = new ReEncodingHandler();
            Assert.True(DimseMessageDispatcher.Dispatch(theirs, ref handler), name);
            Assert.Equal(name, handler.Name);
            Assert.Equal(ours, handler.Bytes);

            // 3. pydicom reads our bytes to the same keywords and values.
            var read = output[i]!["read"]!.AsArray();
            var expected = CommandSetCodecTests.Split(ours).ToList();
            Assert.Equal(expected.Count, read.Count);
            for (int e = 0; e < expected.Count; e++)
            {
                Assert.Equal(CommandDictionary.GetKeyword(expected[e].Tag), read[e]![0]!.GetValue<string>());
                string expectedValue = expected[e].Tag == CommandTag.CommandGroupLength
                    ? BinaryPrimitives.ReadUInt32LittleEndian(expected[e].Value).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : ToJson(expected[e].Tag, expected[e].Value)!.ToJsonString();
                string actual = read[e]![1]!.ToJsonString();
                Assert.Equal(expectedValue, actual);
            }
        }
    }

    private static JsonNode? ToJson(uint tag, byte[] value)
    {
        CommandDictionary.TryGetElement(tag, out ValueRepresentation vr, out _, out _);
        switch (vr)
        {
            case ValueRepresentation.US:
                return JsonValue.Create(BinaryPrimitives.ReadUInt16LittleEndian(value));
            case ValueRepresentation.UL:
                return JsonValue.Create(BinaryPrimitives.ReadUInt32LittleEndian(value));
            case ValueRepresentation.AT:
                var tags = new JsonArray();
                for (int i = 0; i < value.Length; i += 4)
                {
                    tags.Add((int)(((uint)BinaryPrimitives.ReadUInt16LittleEndian(value.AsSpan(i)) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(value.AsSpan(i + 2))));
                }

                return tags;
            default:
                return JsonValue.Create(Encoding.ASCII.GetString(value).TrimEnd('\0', ' '));
        }
    }

    private static JsonArray RunPydicom(string input)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Interop", "pydicom_command_sets.py");
        var start = new ProcessStartInfo(Python, [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "pydicom did not finish");
        Assert.True(process.ExitCode == 0, $"pydicom failed (is python3-pydicom installed? the README's test command installs it): {stderr}");
        return JsonNode.Parse(stdout)!.AsArray();
    }

    private struct ReEncodingHandler : IDimseMessageHandler
    {
        public string? Name;
        public byte[]? Bytes;

        private void Take<T>(in T message) where T : struct, IDimseCommand<T>
        {
            Name = typeof(T).Name;
            Bytes = SampleMessages.Encode(message);
        }

        public void OnCStoreRequest(in CStoreRequest message) => Take(message);
        public void OnCStoreResponse(in CStoreResponse message) => Take(message);
        public void OnCGetRequest(in CGetRequest message) => Take(message);
        public void OnCGetResponse(in CGetResponse message) => Take(message);
        public void OnCFindRequest(in CFindRequest message) => Take(message);
        public void OnCFindResponse(in CFindResponse message) => Take(message);
        public void OnCMoveRequest(in CMoveRequest message) => Take(message);
        public void OnCMoveResponse(in CMoveResponse message) => Take(message);
        public void OnCEchoRequest(in CEchoRequest message) => Take(message);
        public void OnCEchoResponse(in CEchoResponse message) => Take(message);
        public void OnCCancelRequest(in CCancelRequest message) => Take(message);
        public void OnNEventReportRequest(in NEventReportRequest message) => Take(message);
        public void OnNEventReportResponse(in NEventReportResponse message) => Take(message);
        public void OnNGetRequest(in NGetRequest message) => Take(message);
        public void OnNGetResponse(in NGetResponse message) => Take(message);
        public void OnNSetRequest(in NSetRequest message) => Take(message);
        public void OnNSetResponse(in NSetResponse message) => Take(message);
        public void OnNActionRequest(in NActionRequest message) => Take(message);
        public void OnNActionResponse(in NActionResponse message) => Take(message);
        public void OnNCreateRequest(in NCreateRequest message) => Take(message);
        public void OnNCreateResponse(in NCreateResponse message) => Take(message);
        public void OnNDeleteRequest(in NDeleteRequest message) => Take(message);
        public void OnNDeleteResponse(in NDeleteResponse message) => Take(message);

        public void OnInvalidCommand(ushort commandField, in CommandSetError error) => Assert.Fail(error.ToString());
    }
}
