using System;
using Embedded.Dicom.TestData;

namespace Embedded.Dicom.Networking.Tests.Pdu;

/// <summary>Every golden PDU by name, for theories.</summary>
internal static class GoldenPdus
{
    public static TheoryData<string> Names =>
    [
        nameof(AAssociateRequestData.MinimalVerification),
        nameof(AAssociateAcceptData.AcceptedAndRejectedContext),
        nameof(PDataTfData.CEchoRequest),
        nameof(FixedLengthPduData.AAssociateRejectCalledAeNotRecognized),
        nameof(FixedLengthPduData.AAssociateRejectLocalLimitExceeded),
        nameof(FixedLengthPduData.AReleaseRequest),
        nameof(FixedLengthPduData.AReleaseResponse),
        nameof(FixedLengthPduData.AAbortByUser),
        nameof(FixedLengthPduData.AAbortInvalidParameterValue),
    ];

    public static byte[] Get(string name) => name switch
    {
        nameof(AAssociateRequestData.MinimalVerification) => AAssociateRequestData.MinimalVerification.ToArray(),
        nameof(AAssociateAcceptData.AcceptedAndRejectedContext) => AAssociateAcceptData.AcceptedAndRejectedContext.ToArray(),
        nameof(PDataTfData.CEchoRequest) => PDataTfData.CEchoRequest.ToArray(),
        nameof(FixedLengthPduData.AAssociateRejectCalledAeNotRecognized) => FixedLengthPduData.AAssociateRejectCalledAeNotRecognized.ToArray(),
        nameof(FixedLengthPduData.AAssociateRejectLocalLimitExceeded) => FixedLengthPduData.AAssociateRejectLocalLimitExceeded.ToArray(),
        nameof(FixedLengthPduData.AReleaseRequest) => FixedLengthPduData.AReleaseRequest.ToArray(),
        nameof(FixedLengthPduData.AReleaseResponse) => FixedLengthPduData.AReleaseResponse.ToArray(),
        nameof(FixedLengthPduData.AAbortByUser) => FixedLengthPduData.AAbortByUser.ToArray(),
        nameof(FixedLengthPduData.AAbortInvalidParameterValue) => FixedLengthPduData.AAbortInvalidParameterValue.ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown golden PDU."),
    };
}
