using System;
using System.Threading;
using Embedded.Dicom.Networking;

namespace Embedded.Dicom.Native;

/// <summary>One association opened from C, behind an edicom_handle.</summary>
internal sealed unsafe class ClientSession : IDisposable
{
    private int _busy;

    public ClientSession(DicomAssociation association)
    {
        Association = association;
        Echo = new EchoRunner(this);
    }

    /// <summary>Runs allocation-free C-ECHOs for the C caller.</summary>
    public EchoRunner Echo { get; }

    public DicomAssociation Association { get; }

    public SyncWaiter Waiter { get; } = new();

    public ushort NextMessageId;

    public CancellationTokenSource Cancellation { get; private set; } = new();

    public delegate* unmanaged[Cdecl]<void*, ulong, ulong, int> Progress;

    public void* ProgressUser;

    /// <summary>One operation at a time per association: a second concurrent call gets EDICOM_E_BUSY.</summary>
    public bool TryEnter() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    public void Exit()
    {
        if (Cancellation.IsCancellationRequested)
        {
            Cancellation.Dispose();
            Cancellation = new CancellationTokenSource();
        }

        Volatile.Write(ref _busy, 0);
    }

    public void Dispose()
    {
        Echo.Dispose();
        Waiter.Dispose();
        Cancellation.Dispose();
    }
}
