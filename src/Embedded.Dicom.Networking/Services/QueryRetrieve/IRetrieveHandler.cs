using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Networking.Services;

/// <summary>
/// Finds the instances a C-MOVE asks for (PS3.4 C.4.2.2.1: the identifier's Query/Retrieve Level and unique keys
/// at and above it): the Part 10 files the C-STORE sub-operations send.
/// </summary>
public interface IRetrieveHandler
{
    /// <summary>
    /// Adds the paths of the Part 10 files matching <paramref name="identifier"/> (in <paramref name="syntax"/>)
    /// in <paramref name="model"/> to <paramref name="paths"/>; returns Success, or the failure to answer with
    /// (A900 identifier does not match the SOP class, Cxxx unable to process).
    /// </summary>
    ValueTask<QueryCompletion> SelectAsync(QueryModel model, TransferSyntax syntax, ReadOnlyMemory<byte> identifier, List<string> paths, CancellationToken cancellationToken);
}

/// <summary>Opens a storage association to a move destination (the transport is the caller's: TCP in the server).</summary>
public delegate Task<DicomAssociation> MoveDestinationConnector(MoveDestination destination, IReadOnlyList<(DicomUid AbstractSyntax, DicomUid[] TransferSyntaxes)> contexts,
    CancellationToken cancellationToken);

/// <summary>A known move destination: its AE title and where it listens.</summary>
public sealed record MoveDestination(AeTitle AeTitle, string Host, int Port)
{
    /// <summary>Parses <c>AE=HOST:PORT</c> (the <c>--move-dest</c> syntax).</summary>
    public static bool TryParse(string text, out MoveDestination? destination, out string? error)
    {
        destination = null;
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        int colon = text.LastIndexOf(':');
        if (equals <= 0 || colon <= equals + 1 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            error = $"'{text}' is not AE=HOST:PORT";
            return false;
        }

        try
        {
            destination = new MoveDestination(AeTitle.Parse(text[..equals]), text[(equals + 1)..colon], port);
            error = null;
            return true;
        }
        catch (ArgumentException e)
        {
            error = $"'{text}': {e.Message}";
            return false;
        }
    }
}

/// <summary>What the C-MOVE and C-GET SCP needs: where the instances come from, the destinations it knows, how to reach them.</summary>
public sealed class RetrieveServiceOptions
{
    /// <summary>Finds the files to send.</summary>
    public required IRetrieveHandler Handler { get; init; }

    /// <summary>The move destinations by AE title; a C-MOVE to any other AE fails with A801 (PS3.4 C.4.2.1.5).</summary>
    public IReadOnlyList<MoveDestination> Destinations { get; init; } = [];

    /// <summary>Opens the sub-operations' association; null makes every destination unreachable (A702).</summary>
    public MoveDestinationConnector? Connect { get; init; }

    /// <summary>Our AE title, the calling AE of the sub-operations' association.</summary>
    public AeTitle CallingAeTitle { get; init; } = AeTitle.Parse("EDICOM");

    /// <summary>The destination called <paramref name="aeTitle"/>, or null.</summary>
    public MoveDestination? FindDestination(AeTitle aeTitle)
    {
        foreach (MoveDestination destination in Destinations)
        {
            if (destination.AeTitle.Equals(aeTitle))
            {
                return destination;
            }
        }

        return null;
    }

    /// <summary>True for the MOVE and GET SOP classes answered (Patient Root and Study Root).</summary>
    public static bool IsRetrieveSopClass(in DicomUid sopClassUid)
        => RetrieveInformationModel.GetMoveModel(sopClassUid) != QueryModel.None || RetrieveInformationModel.GetGetModel(sopClassUid) != QueryModel.None;
}
