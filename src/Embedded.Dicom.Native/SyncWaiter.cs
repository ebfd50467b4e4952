using System;
using System.Threading;
using System.Threading.Tasks;

namespace Embedded.Dicom.Native;

/// <summary>
/// Blocks the calling C thread until an async operation completes, without allocating per call for the
/// pooled ValueTasks of the engine: one event and one cached continuation per session.
/// </summary>
internal sealed class SyncWaiter : IDisposable
{
    private readonly ManualResetEventSlim _done = new(false, spinCount: 0);
    private readonly Action _signal;

    public SyncWaiter() => _signal = _done.Set;

    public T Wait<T>(ValueTask<T> operation)
    {
        if (!operation.IsCompleted)
        {
            _done.Reset();
            operation.GetAwaiter().UnsafeOnCompleted(_signal);
            _done.Wait();
        }

        return operation.GetAwaiter().GetResult();
    }

    public void Wait(ValueTask operation)
    {
        if (!operation.IsCompleted)
        {
            _done.Reset();
            operation.GetAwaiter().UnsafeOnCompleted(_signal);
            _done.Wait();
        }

        operation.GetAwaiter().GetResult();
    }

    public T Wait<T>(Task<T> operation) => operation.GetAwaiter().GetResult();

    public void Wait(Task operation) => operation.GetAwaiter().GetResult();

    public void Dispose() => _done.Dispose();
}
