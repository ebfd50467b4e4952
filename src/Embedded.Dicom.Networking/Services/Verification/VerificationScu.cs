using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Dimse;

namespace Embedded.Dicom.Networking.Services;

/// <summary>The Verification SOP Class (PS3.4 Annex A) as SCU: C-ECHO on an open association.</summary>
public static class VerificationScu
{
    /// <summary>Verification SOP Class UID, 1.2.840.10008.1.1.</summary>
    public static DicomUid SopClassUid { get; } = DicomUid.Parse("1.2.840.10008.1.1");

    /// <summary>
    /// Sends C-ECHO-RQ and waits (DIMSE timeout) for its C-ECHO-RSP; returns the response status.
    /// Allocation-free in steady state.
    /// </summary>
    /// <exception cref="DicomNetworkException">No Verification context, an abort, a timeout or an invalid response.</exception>
    [AsyncMethodBuilder(typeof(SharedPoolAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<DicomStatus> EchoAsync(DicomAssociation association, ushort messageId, CancellationToken cancellationToken = default)
    {
        NegotiatedPresentationContext context = association.Negotiated.FindContext(SopClassUid)
            ?? throw new DicomNetworkException(DicomNetworkFailure.NoPresentationContext, "the peer did not accept the Verification SOP class");
        var request = new CEchoRequest { MessageID = messageId, AffectedSOPClassUID = SopClassUid };
        association.WriteCommand(context.Id, request);
        await association.SendAsync(cancellationToken).ConfigureAwait(false);
        DimseReceiveResult received = await association.ReceiveAsync(null, association.Timeouts.Dimse, cancellationToken).ConfigureAwait(false);
        ScuResponses.ThrowIfNotMessage(received);
        if (!CEchoResponse.TryDecode(received.CommandSet.Span, out CEchoResponse response, out CommandSetError error) || !response.Answers(request))
        {
            await association.AbortAsync().ConfigureAwait(false);
            throw new DicomNetworkException(DicomNetworkFailure.ProtocolError, "invalid C-ECHO-RSP: " + (error.IsNone ? "it answers another request" : error.ToString()));
        }

        return new DicomStatus(response.Status);
    }
}

/// <summary>Common handling of what an SCU receives instead of a response.</summary>
internal static class ScuResponses
{
    public static void ThrowIfNotMessage(in DimseReceiveResult received)
    {
        if (received.Kind == DimseReceiveKind.Aborted)
        {
            throw new DicomNetworkException(DicomNetworkFailure.Aborted, "the peer aborted the association: " + DicomAssociation.DescribeAbort(received.Abort));
        }

        if (received.Kind == DimseReceiveKind.ReleaseRequested)
        {
            throw new DicomNetworkException(DicomNetworkFailure.ProtocolError, "the peer asked to release while a response was outstanding");
        }
    }
}
