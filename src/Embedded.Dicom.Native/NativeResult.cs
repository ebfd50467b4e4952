namespace Embedded.Dicom.Native;

/// <summary>Return codes of every export; the numbers are ABI (include/edicom.h, edicom_code).</summary>
internal static class NativeResult
{
    public const int Ok = 0;
    public const int InvalidArgument = -1;
    public const int InvalidHandle = -2;
    public const int BufferTooSmall = -3;
    public const int Busy = -4;
    public const int ConnectFailed = -10;
    public const int Rejected = -11;
    public const int Aborted = -12;
    public const int ProtocolError = -13;
    public const int Timeout = -14;
    public const int ConnectionClosed = -15;
    public const int NoPresentationContext = -16;
    public const int LocalIo = -17;
    public const int Cancelled = -18;
    public const int DimseFailure = -20;
    public const int Internal = -99;

    public static int FromFailure(Networking.DicomNetworkFailure failure) => failure switch
    {
        Networking.DicomNetworkFailure.ConnectFailed => ConnectFailed,
        Networking.DicomNetworkFailure.AssociationRejected => Rejected,
        Networking.DicomNetworkFailure.Aborted => Aborted,
        Networking.DicomNetworkFailure.ProtocolError => ProtocolError,
        Networking.DicomNetworkFailure.Timeout => Timeout,
        Networking.DicomNetworkFailure.ConnectionClosed => ConnectionClosed,
        Networking.DicomNetworkFailure.NoPresentationContext => NoPresentationContext,
        Networking.DicomNetworkFailure.LocalError => LocalIo,
        _ => Internal,
    };
}
