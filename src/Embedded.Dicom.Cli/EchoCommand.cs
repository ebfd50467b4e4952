using System;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Networking;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Cli;

/// <summary><c>edicom echo HOST PORT [--repeat N]</c>: C-ECHO (Verification SCU), N times on one association.</summary>
internal static class EchoCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var repeat = new Option<int>("--repeat") { Description = "number of C-ECHOs on the association", DefaultValueFactory = _ => 1 };
        var command = new Command("echo", "verify a peer with C-ECHO");
        common.AddTo(command);
        command.Options.Add(repeat);
        command.SetAction((result, cancellationToken) => RunAsync(common.Read(result), result.GetValue(repeat), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(DicomClientOptions options, int repeat, CancellationToken cancellationToken)
    {
        DicomUid[] syntaxes = [TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid];
        try
        {
            DicomAssociation association = await DicomClient.ConnectAsync(options, [(VerificationScu.SopClassUid, syntaxes)], cancellationToken).ConfigureAwait(false);
            int failed = 0;
            for (int i = 1; i <= repeat; i++)
            {
                DicomStatus status = await VerificationScu.EchoAsync(association, (ushort)i, cancellationToken).ConfigureAwait(false);
                if (status.Code != 0)
                {
                    failed++;
                    Console.Error.WriteLine($"edicom echo: C-ECHO {i} answered {status}");
                }
            }

            await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"C-ECHO {options.Host}:{options.Port} ({options.CalledAeTitle}): {repeat - failed}/{repeat} succeeded");
            return failed == 0 ? 0 : 1;
        }
        catch (DicomNetworkException e)
        {
            Console.Error.WriteLine($"edicom echo: {e.Message}");
            return 2;
        }
    }
}
