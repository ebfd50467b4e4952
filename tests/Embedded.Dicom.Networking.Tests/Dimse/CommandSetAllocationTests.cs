using System;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.TestData;

namespace Embedded.Dicom.Networking.Tests.Dimse;

/// <summary>Zero bytes allocated per message in steady state is a contract (conventions C13), enforced here.</summary>
public class CommandSetAllocationTests
{
    private const int Cycles = 10_000;

    [Fact]
    public void EncodeDecode_CStoreRequestResponseAndCEcho_AllocatesNothing()
    {
        var request = new CStoreRequest
        {
            MessageID = 1,
            AffectedSOPClassUID = CommandSetTestData.CTImageStorage,
            AffectedSOPInstanceUID = CommandSetTestData.SampleInstanceUid,
            Priority = 0,
        };
        var response = CStoreResponse.CreateFor(request, 0xB000);
        var echo = new CEchoRequest { MessageID = 1, AffectedSOPClassUID = CommandSetTestData.Verification };
        byte[] buffer = new byte[512];

        Cycle(ref request, ref response, ref echo, buffer); // warm up: JIT and statics
        long before = GC.GetAllocatedBytesForCurrentThread();
        int roundTrips = 0;
        for (int i = 0; i < Cycles; i++)
        {
            roundTrips += Cycle(ref request, ref response, ref echo, buffer);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(Cycles, roundTrips); // the loop really encoded and decoded every message
    }

    private static int Cycle(ref CStoreRequest request, ref CStoreResponse response, ref CEchoRequest echo, byte[] buffer)
    {
        request.MessageID++;
        Assert.True(request.TryWrite(buffer, out int written, out _));
        Assert.True(CStoreRequest.TryDecode(buffer.AsSpan(0, written), out CStoreRequest decodedRequest, out _));
        response = CStoreResponse.CreateFor(decodedRequest, 0x0000);
        Assert.True(response.TryWrite(buffer, out written, out _));
        Assert.True(CStoreResponse.TryDecode(buffer.AsSpan(0, written), out CStoreResponse decodedResponse, out _));
        echo.MessageID = decodedResponse.MessageIDBeingRespondedTo;
        Assert.True(echo.TryWrite(buffer, out written, out _));
        Assert.True(CEchoRequest.TryDecode(buffer.AsSpan(0, written), out CEchoRequest decodedEcho, out _));
        return decodedEcho.MessageID == request.MessageID ? 1 : 0;
    }
}
