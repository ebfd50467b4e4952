using System;

namespace Embedded.Dicom.Networking;

/// <summary>What kind of failure ended an association or an operation.</summary>
public enum DicomNetworkFailure
{
    /// <summary>The TCP connection could not be made.</summary>
    ConnectFailed,
    /// <summary>The peer answered A-ASSOCIATE-RJ.</summary>
    AssociationRejected,
    /// <summary>The peer sent A-ABORT (or the provider aborted).</summary>
    Aborted,
    /// <summary>The peer broke PS3.8/PS3.7 rules; we sent A-ABORT.</summary>
    ProtocolError,
    /// <summary>No answer within the configured timeout; we sent A-ABORT.</summary>
    Timeout,
    /// <summary>The peer closed the connection.</summary>
    ConnectionClosed,
    /// <summary>No accepted presentation context can carry the operation.</summary>
    NoPresentationContext,
    /// <summary>A local I/O error (file missing, unreadable or not DICOM).</summary>
    LocalError,
}

/// <summary>
/// An association or operation failed. The message is one line naming what failed and, where there is one,
/// the A-ABORT or A-ASSOCIATE-RJ reason.
/// </summary>
public sealed class DicomNetworkException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DicomNetworkException(DicomNetworkFailure failure, string message, Exception? inner = null)
        : base(message, inner) => Failure = failure;

    /// <summary>The kind of failure.</summary>
    public DicomNetworkFailure Failure { get; }
}
