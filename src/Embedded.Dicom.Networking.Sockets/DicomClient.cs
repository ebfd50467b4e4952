using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Pdu;

namespace Embedded.Dicom.Networking.Sockets;

/// <summary>Settings of an SCU association.</summary>
public sealed record DicomClientOptions
{
    /// <summary>Peer host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>Peer port.</summary>
    public required int Port { get; init; }

    /// <summary>Our AE title (calling); default EDICOM.</summary>
    public AeTitle CallingAeTitle { get; init; } = AeTitle.Parse("EDICOM");

    /// <summary>The peer's AE title (called); default ANY-SCP.</summary>
    public AeTitle CalledAeTitle { get; init; } = AeTitle.Parse("ANY-SCP");

    /// <summary>The Maximum Length we announce (PS3.8 Annex D.1); default 131072.</summary>
    public uint MaximumLength { get; init; } = 131_072;

    /// <summary>Timeouts.</summary>
    public AssociationTimeouts Timeouts { get; init; } = AssociationTimeouts.Default;

    /// <summary>
    /// Operations we ask to have outstanding at once (PS3.7 D.3.3.3); above 1 the Asynchronous Operations Window
    /// sub-item is proposed, and the peer's answer is in <see cref="Acse.NegotiatedAssociation.MaxOperationsInvoked"/>.
    /// </summary>
    public int MaxOperationsInvoked { get; init; } = 1;
}

/// <summary>Opens SCU associations over TCP.</summary>
public static class DicomClient
{
    /// <summary>The largest Maximum Length we announce (a documented cap: 16 MiB of receive buffer per PDU at most).</summary>
    public const uint MaximumLengthCap = 16 * 1024 * 1024;

    /// <summary>Connects and requests an association proposing <paramref name="contexts"/> (IDs are assigned 1, 3, 5 …).</summary>
    /// <exception cref="DicomNetworkException">Connection refused, rejected, aborted or timed out.</exception>
    public static async Task<DicomAssociation> ConnectAsync(DicomClientOptions options, IEnumerable<(DicomUid AbstractSyntax, DicomUid[] TransferSyntaxes)> contexts,
        CancellationToken cancellationToken = default)
    {
        var request = new AAssociateRequest
        {
            CalledAeTitle = options.CalledAeTitle,
            CallingAeTitle = options.CallingAeTitle,
        };
        byte id = 1;
        foreach ((DicomUid abstractSyntax, DicomUid[] transferSyntaxes) in contexts)
        {
            request.PresentationContexts.Add(new PresentationContextRequest(id, abstractSyntax, transferSyntaxes));
            id += 2;
        }

        return await ConnectAsync(options, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Connects and requests an association with a request the caller composed (presentation contexts, SCP/SCU
    /// role selection …); the AE titles, Maximum Length, window and implementation identification come from
    /// <paramref name="options"/>.
    /// </summary>
    /// <exception cref="DicomNetworkException">Connection refused, rejected, aborted or timed out.</exception>
    public static async Task<DicomAssociation> ConnectAsync(DicomClientOptions options, AAssociateRequest request, CancellationToken cancellationToken = default)
    {
        request.CalledAeTitle = options.CalledAeTitle;
        request.CallingAeTitle = options.CallingAeTitle;
        request.UserInformation.MaximumLength = System.Math.Min(options.MaximumLength, MaximumLengthCap);
        if (options.MaxOperationsInvoked > 1)
        {
            request.UserInformation.AsynchronousOperationsWindow = new AsynchronousOperationsWindowSubItem((ushort)System.Math.Min(options.MaxOperationsInvoked, ushort.MaxValue), 1);
        }

        request.UserInformation.ImplementationClassUid = Implementation.ClassUid;
        request.UserInformation.ImplementationVersionName = Implementation.VersionName;

        SocketConnection connection = await SocketConnection.ConnectAsync(options.Host, options.Port, options.Timeouts.Connect, cancellationToken,
            request.UserInformation.MaximumLength).ConfigureAwait(false);
        return await DicomAssociation.RequestAsync(connection, connection, request, options.Timeouts, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
