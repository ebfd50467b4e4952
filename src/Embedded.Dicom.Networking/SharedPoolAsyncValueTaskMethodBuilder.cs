using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace Embedded.Dicom.Networking;

/// <summary>
/// The async method builder of the engine's per-message methods (<c>[AsyncMethodBuilder(typeof(SharedPoolAsyncValueTaskMethodBuilder&lt;&gt;))]</c>):
/// like <see cref="PoolingAsyncValueTaskMethodBuilder{TResult}"/>, a method that suspends runs in a reused box
/// instead of a new one, but the boxes are kept in one small process-wide pool per state-machine type, whichever
/// thread rents or returns them.
/// </summary>
/// <remarks>
/// <para>
/// Why not the runtime's pooling builder: its cache is one box per thread plus one per core. A box is rented on
/// the thread where the method first suspends and returned on the thread that takes its result, and in a DICOM
/// exchange those differ: the request starts on the caller's thread (a C firmware thread, or the thread pool),
/// the response's read completes on a socket-completion thread, and an SCP in the same process runs the same
/// methods (ReceiveAsync, ReadPduAsync, …) on yet other threads. Measured through the C ABI: 15–94 bytes per
/// C-ECHO against DCMTK and up to ~1.3 KB per C-ECHO against our own SCP, all of it
/// <c>PoolingAsyncValueTaskMethodBuilder</c> boxes that missed both caches (GC AllocationTick events).
/// </para>
/// <para>
/// Here a returned box goes into the first free slot of a fixed array (<see cref="PoolSize"/> per state-machine
/// type, compare-and-swap, no lock), and a rent takes the first full one: any thread finds it. Only more than
/// <see cref="PoolSize"/> instances of one method suspended at once (that many busy associations) allocate, and
/// the surplus is dropped when they complete. Continuations run inline, as with the runtime's builder; the
/// execution context is captured at each await and restored for the continuation.
/// </para>
/// </remarks>
internal struct SharedPoolAsyncValueTaskMethodBuilder<TResult>
{
    /// <summary>Boxes kept per state-machine type.</summary>
    public const int PoolSize = 32;

    private SharedPoolBox<TResult>? _box;
    private Exception? _exception;
    private TResult _result;

    public static SharedPoolAsyncValueTaskMethodBuilder<TResult> Create() => default;

    public readonly ValueTask<TResult> Task
        => _box is { } box ? new ValueTask<TResult>(box, box.Version)
        : _exception is not null ? ValueTask.FromException<TResult>(_exception)
        : new ValueTask<TResult>(_result);

    /// <summary>The task of the non-generic builder: the same box, through <see cref="IValueTaskSource"/>.</summary>
    internal readonly ValueTask UntypedTask
        => _box is { } box ? new ValueTask(box, box.Version)
        : _exception is not null ? ValueTask.FromException(_exception)
        : default;

    public readonly void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine
        => AsyncTaskMethodBuilder.Create().Start(ref stateMachine); // saves and restores the caller's contexts

    public readonly void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }

    public void SetResult(TResult result)
    {
        if (_box is null)
        {
            _result = result;
        }
        else
        {
            _box.SetResult(result);
        }
    }

    public void SetException(Exception exception)
    {
        if (_box is null)
        {
            _exception = exception;
        }
        else
        {
            _box.SetException(exception);
        }
    }

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine
        => awaiter.OnCompleted(GetBox(ref stateMachine).MoveNextAction);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine
        => awaiter.UnsafeOnCompleted(GetBox(ref stateMachine).MoveNextAction);

    private SharedPoolBox<TResult, TStateMachine> GetBox<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine
    {
        SharedPoolBox<TResult, TStateMachine> box;
        if (_box is SharedPoolBox<TResult, TStateMachine> existing)
        {
            box = existing;
        }
        else
        {
            // First suspension: the state machine moves from the stack into the box. The builder's box field is
            // set first, so that the copy in the box (whose builder completes the method) refers to the box.
            box = SharedPoolBox<TResult, TStateMachine>.Rent();
            _box = box;
            box.StateMachine = stateMachine;
        }

        box.Context = ExecutionContext.Capture();
        return box;
    }
}

/// <summary>The non-generic <see cref="ValueTask"/> form of <see cref="SharedPoolAsyncValueTaskMethodBuilder{TResult}"/>.</summary>
internal struct SharedPoolAsyncValueTaskMethodBuilder
{
    private SharedPoolAsyncValueTaskMethodBuilder<NoResult> _inner;

    public static SharedPoolAsyncValueTaskMethodBuilder Create() => default;

    public readonly ValueTask Task => _inner.UntypedTask;

    public readonly void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine
        => _inner.Start(ref stateMachine);

    public readonly void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }

    public void SetResult() => _inner.SetResult(default);

    public void SetException(Exception exception) => _inner.SetException(exception);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine
        => _inner.AwaitOnCompleted(ref awaiter, ref stateMachine);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine
        => _inner.AwaitUnsafeOnCompleted(ref awaiter, ref stateMachine);
}

/// <summary>The result of a method without one.</summary>
internal readonly struct NoResult
{
}

/// <summary>The completion source of a suspended method; returned to its pool when its result is taken.</summary>
internal abstract class SharedPoolBox<TResult> : IValueTaskSource<TResult>, IValueTaskSource
{
    private ManualResetValueTaskSourceCore<TResult> _core;

    public short Version => _core.Version;

    public void SetResult(TResult result) => _core.SetResult(result);

    public void SetException(Exception exception) => _core.SetException(exception);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    public TResult GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            Return();
        }
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    protected abstract void Return();
}

internal sealed class SharedPoolBox<TResult, TStateMachine> : SharedPoolBox<TResult> where TStateMachine : IAsyncStateMachine
{
    private static readonly SharedPoolBox<TResult, TStateMachine>?[] s_pool = new SharedPoolBox<TResult, TStateMachine>?[SharedPoolAsyncValueTaskMethodBuilder<TResult>.PoolSize];
    private static readonly ContextCallback s_moveNext = static box => ((SharedPoolBox<TResult, TStateMachine>)box!).StateMachine!.MoveNext();

    public TStateMachine? StateMachine;
    public ExecutionContext? Context;

    private SharedPoolBox() => MoveNextAction = MoveNext;

    /// <summary>Resumes the method (one delegate per box, made once).</summary>
    public Action MoveNextAction { get; }

    public static SharedPoolBox<TResult, TStateMachine> Rent()
    {
        SharedPoolBox<TResult, TStateMachine>?[] pool = s_pool;
        for (int i = 0; i < pool.Length; i++)
        {
            SharedPoolBox<TResult, TStateMachine>? box = Volatile.Read(ref pool[i]);
            if (box is not null && Interlocked.CompareExchange(ref pool[i], null, box) == box)
            {
                return box;
            }
        }

        return new SharedPoolBox<TResult, TStateMachine>();
    }

    protected override void Return()
    {
        StateMachine = default;
        Context = null;
        SharedPoolBox<TResult, TStateMachine>?[] pool = s_pool;
        for (int i = 0; i < pool.Length; i++)
        {
            if (Volatile.Read(ref pool[i]) is null && Interlocked.CompareExchange(ref pool[i], this, null) is null)
            {
                return;
            }
        }

        // Pool full: more were suspended at once than it keeps; this one is left to the GC.
    }

    private void MoveNext()
    {
        ExecutionContext? context = Context;
        if (context is null)
        {
            StateMachine!.MoveNext();
        }
        else
        {
            ExecutionContext.Run(context, s_moveNext, this);
        }
    }
}
