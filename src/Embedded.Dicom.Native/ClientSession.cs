using System;
using System.Text;
using System.Threading;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking;

namespace Embedded.Dicom.Native;

/// <summary>One association opened from C, behind an edicom_handle.</summary>
internal sealed unsafe class ClientSession : IDisposable
{
    private int _busy;

    public ClientSession(DicomAssociation association)
    {
        Association = association;
        ProgressSource = new ProgressSource(this);
        FileBatch = new FileBatch(this);
        WrapFileSource = source => ProgressSource.Reset(source, FileTotal);
    }

    public DicomAssociation Association { get; }

    /// <summary>Blocks the C thread until an operation completes (one event, reused).</summary>
    public SyncWaiter Waiter { get; } = new();

    // The data set sources of edicom_store_memory / edicom_store_stream, re-armed per call: one C-STORE runs at a
    // time per association (TryEnter), so one of each is enough and none is allocated per message.
    public UnmanagedMemorySource MemorySource { get; } = new();

    public CallbackSource CallbackSource { get; } = new();

    public ProgressSource ProgressSource { get; }

    /// <summary>Wraps a file's source in <see cref="ProgressSource"/> (made once, not a closure per call).</summary>
    public Func<IDataSetSource, IDataSetSource> WrapFileSource { get; }

    // edicom_store_file, allocation-free: the file's meta group is parsed into one Part10FileInfo per
    // association through a 4 KiB window, and its data set is sent from the descriptor by one source.
    public Part10FileInfo FileInfo { get; } = new();

    public byte[] MetaWindow { get; } = new byte[Part10.WindowSize];

    public FileDescriptorDataSetSource DescriptorSource { get; } = new();

    /// <summary>The window of edicom_store_files, re-armed per call.</summary>
    public FileBatch FileBatch { get; }

    /// <summary>The size of the data set of the file being stored, for progress.</summary>
    public ulong FileTotal;

    private byte[] _pathBytes = [];
    private string _path = "";

    /// <summary>
    /// The path as a string, for the general path of edicom_store_file (files whose data set is converted, and
    /// errors); the same path as last time gives the same string, not a new one.
    /// </summary>
    public string GetPath(ReadOnlySpan<byte> utf8)
    {
        if (!utf8.SequenceEqual(_pathBytes))
        {
            _path = Encoding.UTF8.GetString(utf8);
            _pathBytes = utf8.ToArray();
        }

        return _path;
    }

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
        Waiter.Dispose();
        Cancellation.Dispose();
    }
}
