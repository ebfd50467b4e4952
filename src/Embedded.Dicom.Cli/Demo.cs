using System;
using System.Buffers;
using System.IO;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.Networking.Pdu;

namespace Embedded.Dicom.Cli;

/// <summary>
/// The main job until the network engine lands: builds DIMSE messages, encodes their command sets with the
/// generated codecs and decodes them back through the generated dispatcher, printing what went over the wire.
/// </summary>
internal static class Demo
{
    public static System.CommandLine.Command CreateCommand()
    {
        var samples = new System.CommandLine.Option<string?>("--samples") { Description = "write generated sample objects into this folder instead" };
        var count = new System.CommandLine.Option<int>("--count") { Description = "how many sample objects", DefaultValueFactory = _ => 10 };
        var size = new System.CommandLine.Option<int>("--size") { Description = "rows = columns of each sample image (8-bit)", DefaultValueFactory = _ => 64 };
        var command = new System.CommandLine.Command("demo", "encode and decode DIMSE messages with the generated codecs, or write sample objects") { samples, count, size };
        command.SetAction(result =>
        {
            if (result.GetValue(samples) is { } folder)
            {
                string[] written = SampleObjects.Write(folder, result.GetValue(count), result.GetValue(size), result.GetValue(size));
                Console.WriteLine($"wrote {written.Length} sample objects to {folder}");
                return 0;
            }

            return Run(Console.Out);
        });
        return command;
    }

    public static int Run(TextWriter output)
    {
        var echo = new CEchoRequest { MessageID = 1, AffectedSOPClassUID = "1.2.840.10008.1.1" };
        var store = new CStoreRequest
        {
            MessageID = 2,
            AffectedSOPClassUID = "1.2.840.10008.5.1.4.1.1.2",
            AffectedSOPInstanceUID = "1.2.826.0.1.3680043.8.498.1",
            Priority = 0,
        };
        var storeResponse = CStoreResponse.CreateFor(store, 0x0000);

        int failures = 0;
        failures += Show(output, "C-ECHO-RQ", echo);
        failures += Show(output, "C-STORE-RQ", store);
        failures += Show(output, "C-STORE-RSP", storeResponse);
        output.WriteLine(failures == 0 ? "demo: all messages round-tripped" : $"demo: {failures} message(s) failed");
        return failures == 0 ? 0 : 1;
    }

    private static int Show<T>(TextWriter output, string name, in T message) where T : struct, IDimseCommand<T>
    {
        var writer = new ArrayBufferWriter<byte>();
        message.Write(writer);
        ReadOnlySpan<byte> bytes = writer.WrittenSpan;
        output.WriteLine($"{name}: {bytes.Length} bytes  {Convert.ToHexString(bytes)}");

        // Frame it as the network engine does (PS3.8 §9.3.5: one PDV, command, last fragment) and read it back.
        var pdu = new ArrayBufferWriter<byte>();
        PDataTf.Write(pdu, 1, PresentationDataValue.GetMessageControlHeader(isCommand: true, isLastFragment: true), bytes);
        output.WriteLine($"  P-DATA-TF: {pdu.WrittenCount} bytes");
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(pdu.WrittenMemory));
        if (PduReader.TryReadPdu(ref reader, PduLimits.Default, out _, out ReadOnlySequence<byte> body, out PduError error) != PduReadStatus.Done)
        {
            output.WriteLine($"  invalid PDU: {error}");
            return 1;
        }

        var pdvs = new PresentationDataValueReader(body, PduLimits.Default);
        if (!pdvs.TryRead(out PresentationDataValue pdv) || !pdv.IsCommand || !pdv.IsLastFragment)
        {
            output.WriteLine("  the PDV did not come back as a whole command");
            return 1;
        }

        var printer = new Printer(output);
        bool ok = DimseMessageDispatcher.Dispatch(pdv.Fragment.ToArray(), ref printer);
        return ok ? 0 : 1;
    }
}
