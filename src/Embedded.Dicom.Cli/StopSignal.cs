using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Embedded.Dicom.Cli;

/// <summary>
/// A token cancelled by SIGTERM (systemd stop, kill) or SIGINT (Ctrl-C), or by the command line's own token, so
/// that servers stop cleanly instead of being torn down by the default signal action.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _interrupt;

    public StopSignal(CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
    }

    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        _term.Dispose();
        _interrupt.Dispose();
        _stop.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        _stop.Cancel();
    }
}
