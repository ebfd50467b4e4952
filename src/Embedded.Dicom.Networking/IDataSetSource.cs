using System;
using System.Buffers;

namespace Embedded.Dicom.Networking;

/// <summary>
/// Produces the bytes of a data set to send, in the transfer syntax of the presentation context, a piece at a
/// time: the engine never holds a whole data set (a 20 MiB object streams through fragment buffers).
/// </summary>
public interface IDataSetSource
{
    /// <summary>Fills <paramref name="destination"/> as far as it can; returns 0 at the end of the data set.</summary>
    int Read(Span<byte> destination);

    /// <summary>
    /// The bytes left to read when the source knows (a file sent as it is), or -1. When known, the engine
    /// reads each fragment straight into the outgoing PDU; otherwise it reads one fragment ahead to find the last.
    /// </summary>
    long RemainingLength => -1;
}

/// <summary>Receives the fragments of an incoming data set, in order (PS3.8 Annex E).</summary>
public interface IDataSetSink
{
    /// <summary>One fragment of the data set; the bytes are valid only during the call.</summary>
    void Write(in ReadOnlySequence<byte> fragment);

    /// <summary>The last fragment has been written.</summary>
    void Complete();

    /// <summary>The association ended before the last fragment: discard what was written.</summary>
    void Abort();
}

/// <summary>Supplies a sink for the data set that follows a received command.</summary>
public interface IDataSetSinkProvider
{
    /// <summary>
    /// Called when a command set announcing a data set has arrived; return the sink for its data set
    /// (never null: use a discarding sink to ignore it).
    /// </summary>
    IDataSetSink OpenDataSet(ReadOnlySpan<byte> commandSet, Acse.NegotiatedPresentationContext context);
}
