using Embedded.Dicom.Networking.Acse;

namespace Embedded.Dicom.Networking.Services;

/// <summary>What an SCP knows about an incoming C-STORE when its data set starts (PS3.4 Annex B, PS3.7 §9.1.1).</summary>
public readonly struct StorageRequest
{
    /// <summary>Creates the description.</summary>
    public StorageRequest(DicomUid sopClassUid, DicomUid sopInstanceUid, TransferSyntax transferSyntax, AeTitle callingAeTitle, AeTitle calledAeTitle)
    {
        SopClassUid = sopClassUid;
        SopInstanceUid = sopInstanceUid;
        TransferSyntax = transferSyntax;
        CallingAeTitle = callingAeTitle;
        CalledAeTitle = calledAeTitle;
    }

    /// <summary>(0000,0002) Affected SOP Class UID.</summary>
    public DicomUid SopClassUid { get; }

    /// <summary>(0000,1000) Affected SOP Instance UID, as received (it may be malformed).</summary>
    public DicomUid SopInstanceUid { get; }

    /// <summary>The transfer syntax of the data set (the presentation context's).</summary>
    public TransferSyntax TransferSyntax { get; }

    /// <summary>The sender's AE title.</summary>
    public AeTitle CallingAeTitle { get; }

    /// <summary>Our AE title as the sender called it.</summary>
    public AeTitle CalledAeTitle { get; }
}

/// <summary>A data set sink that ends with a DIMSE status for the C-STORE-RSP.</summary>
public interface IStorageSink : IDataSetSink
{
    /// <summary>The status to answer after <see cref="IDataSetSink.Complete"/> (PS3.4 B.2.3): 0x0000, 0xA700 out of resources …</summary>
    ushort Status { get; }

    /// <summary>An Error Comment for failures (at most 64 characters), or null.</summary>
    string? ErrorComment { get; }

    /// <summary>
    /// Called once the C-STORE-RSP was built from <see cref="Status"/> and <see cref="ErrorComment"/>: the sink is
    /// no longer used, and its handler may hand it out again (no sink object per message). Not called for a sink
    /// that was aborted.
    /// </summary>
    void Release()
    {
    }
}

/// <summary>Decides where each received object goes.</summary>
public interface IStorageHandler
{
    /// <summary>Opens the sink for one object; called when its command has arrived.</summary>
    IStorageSink Begin(in StorageRequest request);
}

/// <summary>Discards every data set and answers Success: for benchmarks and allocation tests. Allocation-free.</summary>
public sealed class DiscardStorageHandler : IStorageHandler, IStorageSink
{
    /// <summary>Objects received.</summary>
    public long Count => _count;

    private long _count;

    /// <inheritdoc/>
    public ushort Status => 0x0000;

    /// <inheritdoc/>
    public string? ErrorComment => null;

    /// <inheritdoc/>
    public IStorageSink Begin(in StorageRequest request) => this;

    /// <inheritdoc/>
    public void Write(in System.Buffers.ReadOnlySequence<byte> fragment)
    {
    }

    /// <inheritdoc/>
    public void Complete() => System.Threading.Interlocked.Increment(ref _count);

    /// <inheritdoc/>
    public void Abort()
    {
    }
}
