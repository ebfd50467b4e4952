using System.CommandLine;
using System.Threading.Tasks;
using Embedded.Dicom.Cli;

// edicom: DICOM networking from the command line, DCMTK-like (positional peer and port).
var root = new RootCommand("edicom — DICOM networking for embedded devices (Embedded.Dicom)")
{
    EchoCommand.Create(),
    StoreCommand.Create(),
    ScpCommand.Create(),
    Demo.CreateCommand(),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
