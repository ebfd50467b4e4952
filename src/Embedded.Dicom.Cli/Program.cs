using System;
using System.CommandLine;
using System.Threading.Tasks;
using Embedded.Dicom.Cli;

// edicom: DICOM networking from the command line, DCMTK-like (positional peer and port).

// Run socket completions on the event thread instead of hopping to the thread pool: a DIMSE exchange is a
// chain of small request/response steps, and each hop costs latency (measured on loopback, SCP and SCU both
// inline: 1,000 small C-STOREs in 0.07-0.08 s instead of 0.10-0.13 s). The cost: an SCP's file writes for
// one association run on that thread, so a server with many busy associations may prefer
// DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0. The runtime reads the variable when the first socket is
// used, so it is set before anything else.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

var root = new RootCommand("edicom — DICOM networking for embedded devices (Embedded.Dicom)")
{
    EchoCommand.Create(),
    StoreCommand.Create(),
    FindCommand.Create(),
    MoveCommand.Create(),
    GetCommand.Create(),
    WorklistCommand.Create(),
    MppsCommand.Create(),
    CommitCommand.Create(),
    ScpCommand.Create(),
    AgentCommand.Create(),
    AgentCommand.CreateInput(),
    Demo.CreateCommand(),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
