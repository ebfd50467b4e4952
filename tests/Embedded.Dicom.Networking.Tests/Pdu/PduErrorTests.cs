using System;
using Embedded.Dicom.Networking.Pdu;

namespace Embedded.Dicom.Networking.Tests.Pdu;

public class PduErrorTests
{
    public static TheoryData<PduRejectReason> AllFailures()
    {
        var data = new TheoryData<PduRejectReason>();
        foreach (PduRejectReason reason in Enum.GetValues<PduRejectReason>())
        {
            if (reason != PduRejectReason.None)
            {
                data.Add(reason);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllFailures))]
    public void AbortReason_EveryFailure_MapsToADefinedProviderReason(PduRejectReason reason)
    {
        var error = new PduError(reason, 74, 12, 0x20);

        Assert.Equal(AAbortSource.ServiceProvider, error.AbortSource);
        Assert.Contains(error.AbortReason, new[] { AAbortReason.NotSpecified, AAbortReason.UnrecognizedPdu, AAbortReason.UnexpectedPduParameter, AAbortReason.InvalidPduParameterValue });
        Assert.Equal(new AAbort(AAbortSource.ServiceProvider, error.AbortReason), error.ToAAbort());
    }

    [Theory]
    [MemberData(nameof(AllFailures))]
    public void ToString_EveryFailure_IsASentenceWithTheOffset(PduRejectReason reason)
    {
        string text = new PduError(reason, 74, 12, 0x20).ToString();

        Assert.EndsWith(" at offset 74.", text, StringComparison.Ordinal);
        Assert.DoesNotContain(reason.ToString(), text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PduRejectReason.UnknownPduType, AAbortReason.UnrecognizedPdu)]
    [InlineData(PduRejectReason.DuplicateItem, AAbortReason.UnexpectedPduParameter)]
    [InlineData(PduRejectReason.TooManyPresentationContexts, AAbortReason.NotSpecified)]
    [InlineData(PduRejectReason.UserIdentityTooLong, AAbortReason.NotSpecified)]
    [InlineData(PduRejectReason.PduTooLarge, AAbortReason.InvalidPduParameterValue)]
    [InlineData(PduRejectReason.ItemLengthPastEnd, AAbortReason.InvalidPduParameterValue)]
    [InlineData(PduRejectReason.OddPdvLength, AAbortReason.InvalidPduParameterValue)]
    public void AbortReason_SelectedFailures_MapAsDocumented(PduRejectReason reason, AAbortReason expected)
    {
        Assert.Equal(expected, new PduError(reason, 0).AbortReason);
    }

    [Fact]
    public void ToString_UnknownPduType_NamesTheType()
    {
        Assert.Equal("PDU type 0x08 is not defined by PS3.8 (unrecognized PDU) at offset 0.", new PduError(PduRejectReason.UnknownPduType, 0, 8, 8).ToString());
    }

    [Fact]
    public void Default_IsNone()
    {
        PduError error = default;

        Assert.True(error.IsNone);
        Assert.Equal("no error", error.ToString());
    }
}
