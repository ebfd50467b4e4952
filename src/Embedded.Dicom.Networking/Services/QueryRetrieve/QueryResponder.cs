using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Dimse;

namespace Embedded.Dicom.Networking.Services;

/// <summary>
/// Sends the matches of one C-FIND as Pending C-FIND-RSPs (PS3.4 C.4.1.3.1, PS3.7 §9.1.2.1: one response per
/// match, each with its identifier), one at a time as the handler finds them. One responder serves every C-FIND
/// of an association: its identifier buffer and writer are reused, so a pending response allocates nothing.
/// </summary>
public sealed class QueryResponder
{
    private readonly DicomAssociation _association;
    private readonly IdentifierBuffer _buffer = new(int.MaxValue);
    private DataSetWriter? _writer;
    private CFindRequest _request;
    private byte _contextId;
    private CancellationToken _cancellationToken;

    internal QueryResponder(DicomAssociation association) => _association = association;

    /// <summary>The transfer syntax the identifiers are written in (the presentation context's).</summary>
    public TransferSyntax TransferSyntax => _writer?.TransferSyntax ?? TransferSyntax.ImplicitVRLittleEndian;

    /// <summary>The Pending responses sent for the current C-FIND.</summary>
    public int MatchCount { get; private set; }

    internal void Start(byte contextId, in CFindRequest request, TransferSyntax transferSyntax, CancellationToken cancellationToken)
    {
        _contextId = contextId;
        _request = request;
        _cancellationToken = cancellationToken;
        MatchCount = 0;
        // The provider answers other syntaxes itself (0xC000) without calling the handler: no writer for them.
        bool writable = transferSyntax.IsLittleEndian && !transferSyntax.IsDeflated && !transferSyntax.IsEncapsulated;
        if (writable && (_writer is null || !_writer.TransferSyntax.Equals(transferSyntax)))
        {
            _writer = new DataSetWriter(_buffer, transferSyntax);
        }
    }

    /// <summary>
    /// Starts the identifier of the next match and returns the writer for it (elements in ascending tag order,
    /// PS3.5 §7.1). The bytes stay in a buffer reused for every match until <see cref="SendMatchAsync"/>.
    /// </summary>
    public DataSetWriter BeginMatch()
    {
        DataSetWriter writer = _writer ?? throw new InvalidOperationException("No C-FIND is being answered.");
        _buffer.Reset();
        writer.Reset(_buffer);
        return writer;
    }

    /// <summary>
    /// Sends the identifier written since <see cref="BeginMatch"/> as a Pending response: FF00, or FF01 when
    /// <paramref name="optionalKeysUnsupported"/> (PS3.4 Table C.4-1: some optional keys were not supported
    /// for matching or return). Completes when the response is handed to the transport.
    /// </summary>
    /// <exception cref="OperationCanceledException">The C-FIND was cancelled (C-CANCEL-RQ): no further match is sent.</exception>
    /// <exception cref="InvalidOperationException">Nothing was written since <see cref="BeginMatch"/>.</exception>
    [AsyncMethodBuilder(typeof(SharedPoolAsyncValueTaskMethodBuilder))]
    public async ValueTask SendMatchAsync(bool optionalKeysUnsupported = false)
    {
        // After a C-CANCEL-RQ the SCP stops matching (PS3.4 C.4.1.3.1): a handler that did not look at the
        // token is stopped here, before another Pending response leaves.
        _cancellationToken.ThrowIfCancellationRequested();
        if (_buffer.WrittenCount == 0)
        {
            throw new InvalidOperationException("A match needs an identifier: write its elements after BeginMatch.");
        }

        CFindResponse response = CFindResponse.CreateFor(_request, optionalKeysUnsupported ? (ushort)0xFF01 : (ushort)0xFF00);
        response.HasDataSet = true;
        _association.WriteCommand(_contextId, response);
        _buffer.Rewind();

        // Not the handler's token: cancelling a data set half-way would abort the association.
        await _association.SendDataSetAsync(_contextId, _buffer, CancellationToken.None).ConfigureAwait(false);
        MatchCount++;
    }

    internal void Release() => _buffer.Dispose();
}
