using System;
using System.Buffers;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Networking.Services;

/// <summary>
/// Answers C-FIND for the SCP (PS3.4 C.4.1.3 and K.4.1.3): the service provider calls
/// <see cref="FindAsync"/> once per C-FIND-RQ, while it keeps reading the association, and the handler streams
/// each match through the <see cref="QueryResponder"/> as a Pending response the moment it is found.
/// </summary>
/// <remarks>
/// The provider owns the protocol around the handler: it answers a malformed or missing identifier with
/// 0xC000 (unable to process) without calling the handler, cancels <c>cancellationToken</c> when a C-CANCEL-RQ
/// for the request arrives (the final response is then FE00 Cancel, without identifier), and turns an exception
/// from the handler into 0xC001 with the exception's message as Error Comment.
/// </remarks>
public interface IQueryHandler
{
    /// <summary>True for the FIND SOP classes this handler answers (used for association negotiation and dispatch).</summary>
    bool IsSupported(in DicomUid sopClassUid);

    /// <summary>
    /// Finds the matches of <paramref name="request"/>, sending each with <paramref name="responder"/>
    /// (<see cref="QueryResponder.BeginMatch"/>, then <see cref="QueryResponder.SendMatchAsync"/>), and returns the
    /// final status: Success, or a failure such as 0xA900 (identifier does not match the SOP class).
    /// Stop when <paramref name="cancellationToken"/> is cancelled (returning or throwing
    /// <see cref="OperationCanceledException"/> both end in FE00 Cancel).
    /// </summary>
    ValueTask<QueryCompletion> FindAsync(QueryRequest request, QueryResponder responder, CancellationToken cancellationToken);
}

/// <summary>The final status of a C-FIND as a handler reports it.</summary>
public readonly struct QueryCompletion
{
    /// <summary>Creates a completion.</summary>
    public QueryCompletion(ushort status, string? errorComment = null)
    {
        Status = status;
        ErrorComment = errorComment;
    }

    /// <summary>0000: matching is complete (PS3.4 C.4.1.1.4).</summary>
    public static QueryCompletion Success => default;

    /// <summary>The (0000,0900) status of the final response (never Pending).</summary>
    public ushort Status { get; }

    /// <summary>(0000,0902) Error Comment for failures (at most 64 characters are sent).</summary>
    public string? ErrorComment { get; }

    /// <summary>A900: Identifier does not match SOP Class (PS3.4 C.4.1.1.4, Table C.4-1).</summary>
    public static QueryCompletion IdentifierDoesNotMatchSopClass(string comment) => new(0xA900, comment);

    /// <summary>C000: Unable to process (PS3.4 Table C.4-1; the Cxxx range).</summary>
    public static QueryCompletion UnableToProcess(string comment) => new(0xC000, comment);
}

/// <summary>A C-FIND-RQ as the handler sees it.</summary>
public readonly struct QueryRequest
{
    internal QueryRequest(DicomUid sopClassUid, ushort messageId, ushort priority, TransferSyntax transferSyntax, ReadOnlyMemory<byte> identifier, AeTitle callingAeTitle)
    {
        SopClassUid = sopClassUid;
        MessageId = messageId;
        Priority = priority;
        TransferSyntax = transferSyntax;
        Identifier = identifier;
        CallingAeTitle = callingAeTitle;
    }

    /// <summary>Creates a request (tests and handlers composed by hand).</summary>
    public static QueryRequest Create(DicomUid sopClassUid, TransferSyntax transferSyntax, ReadOnlyMemory<byte> identifier, ushort messageId = 1)
        => new(sopClassUid, messageId, 0, transferSyntax, identifier, default);

    /// <summary>(0000,0002) Affected SOP Class UID: the information model.</summary>
    public DicomUid SopClassUid { get; }

    /// <summary>The model of <see cref="SopClassUid"/>.</summary>
    public QueryModel Model => QueryInformationModel.GetModel(SopClassUid);

    /// <summary>(0000,0110) Message ID.</summary>
    public ushort MessageId { get; }

    /// <summary>(0000,0700) Priority.</summary>
    public ushort Priority { get; }

    /// <summary>The transfer syntax of the identifier (Implicit or Explicit VR Little Endian).</summary>
    public TransferSyntax TransferSyntax { get; }

    /// <summary>The identifier's bytes, valid until the handler's task completes; it has been checked to parse.</summary>
    public ReadOnlyMemory<byte> Identifier { get; }

    /// <summary>The requestor's AE title.</summary>
    public AeTitle CallingAeTitle { get; }

    /// <summary>A reader over the identifier.</summary>
    public DataSetReader CreateReader() => new(new ReadOnlySequence<byte>(Identifier), isFinalBlock: true, new DataSetReaderState(TransferSyntax));
}

/// <summary>Serves several models with several handlers: each request goes to the first that supports its SOP class.</summary>
public sealed class CompositeQueryHandler : IQueryHandler
{
    private readonly IQueryHandler[] _handlers;

    /// <summary>Combines <paramref name="handlers"/>.</summary>
    public CompositeQueryHandler(params IQueryHandler[] handlers) => _handlers = handlers;

    /// <inheritdoc/>
    public bool IsSupported(in DicomUid sopClassUid)
    {
        foreach (IQueryHandler handler in _handlers)
        {
            if (handler.IsSupported(sopClassUid))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public ValueTask<QueryCompletion> FindAsync(QueryRequest request, QueryResponder responder, CancellationToken cancellationToken)
    {
        foreach (IQueryHandler handler in _handlers)
        {
            if (handler.IsSupported(request.SopClassUid))
            {
                return handler.FindAsync(request, responder, cancellationToken);
            }
        }

        // PS3.4 Table C.4-1 lists 0122 (SOP class not supported) for C-FIND: negotiation normally prevents it.
        return ValueTask.FromResult(new QueryCompletion(0x0122, "SOP class not supported"));
    }
}
