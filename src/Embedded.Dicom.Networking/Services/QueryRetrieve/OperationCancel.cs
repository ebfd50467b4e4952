using System;
using System.Threading;
using System.Threading.Tasks;

namespace Embedded.Dicom.Networking.Services;

/// <summary>
/// The cancel state of a C-FIND, C-MOVE or C-GET in progress (PS3.7 §9.3.2.3, §9.3.3.3, §9.3.4.3): the
/// C-CANCEL-RQ goes out once, from whichever side asks first (the caller's token or its callback), and the
/// operation reads its final response only after that send has finished. A field of the operation (a struct:
/// nothing allocated unless a cancel is sent).
/// </summary>
internal struct OperationCancel
{
    private int _requested;
    private Task? _sent;

    /// <summary>Whether a cancel was asked for.</summary>
    public bool IsRequested => Volatile.Read(ref _requested) != 0;

    /// <summary>Sends the C-CANCEL-RQ with <paramref name="send"/> the first time only.</summary>
    public void Request(Func<Task> send)
    {
        if (Interlocked.Exchange(ref _requested, 1) == 0)
        {
            Volatile.Write(ref _sent, send());
        }
    }

    /// <summary>Completes when the cancel, if one was requested, has been sent.</summary>
    public Task WhenSent() => Volatile.Read(ref _sent) ?? Task.CompletedTask;
}
