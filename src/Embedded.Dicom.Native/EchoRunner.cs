using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Networking.Services;

namespace Embedded.Dicom.Native;

/// <summary>
/// Runs C-ECHOs for a blocked C thread without allocating. The engine's async methods use pooled state
/// machines, cached per thread: started and finished on the C thread they would miss that cache on every
/// call (their continuations run on runtime threads). So the echo starts on a runtime thread, its result is
/// taken there too, and the C thread only waits on an event. One runner per association, reused.
/// </summary>
internal sealed class EchoRunner : IThreadPoolWorkItem, IDisposable
{
    private readonly ClientSession _session;
    private readonly ManualResetEventSlim _done = new(false, spinCount: 0);
    private readonly Action _completed;
    private ValueTask<DicomStatus> _pending;
    private ushort _messageId;
    private DicomStatus _status;
    private Exception? _error;

    public EchoRunner(ClientSession session)
    {
        _session = session;
        _completed = Complete;
    }

    public DicomStatus Run(ushort messageId)
    {
        _messageId = messageId;
        _error = null;
        _done.Reset();
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        _done.Wait();
        if (_error is not null)
        {
            ExceptionDispatchInfo.Throw(_error);
        }

        return _status;
    }

    void IThreadPoolWorkItem.Execute()
    {
        try
        {
            _pending = VerificationScu.EchoAsync(_session.Association, _messageId, _session.Cancellation.Token);
            if (_pending.IsCompleted)
            {
                Complete();
            }
            else
            {
                _pending.GetAwaiter().UnsafeOnCompleted(_completed);
            }
        }
        catch (Exception e)
        {
            _error = e;
            _done.Set();
        }
    }

    private void Complete()
    {
        try
        {
            _status = _pending.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            _error = e;
        }

        _pending = default;
        _done.Set();
    }

    public void Dispose() => _done.Dispose();
}
