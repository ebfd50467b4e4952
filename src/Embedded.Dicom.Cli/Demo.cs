using System;
using System.Buffers;
using System.IO;
using Embedded.Dicom.Networking.Dimse;

namespace Embedded.Dicom.Cli;

/// <summary>
/// The main job until the network engine lands: builds DIMSE messages, encodes their command sets with the
/// generated codecs and decodes them back through the generated dispatcher, printing what went over the wire.
/// </summary>
internal static class Demo
{
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

        var printer = new Printer(output);
        bool ok = DimseMessageDispatcher.Dispatch(bytes, ref printer);
        return ok ? 0 : 1;
    }
}
