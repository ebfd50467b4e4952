using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.TestData;

namespace Embedded.Dicom.Networking.Tests.Dimse;

public class CommandSetCodecTests
{
    public static TheoryData<string> MessageNames()
    {
        var data = new TheoryData<string>();
        foreach (var entry in SampleMessages.All())
        {
            data.Add(entry.Name);
        }

        return data;
    }

    [Fact]
    public void Encode_CEchoRequestWorkedExample_MatchesGoldenBytes()
    {
        var request = new CEchoRequest { MessageID = 1, AffectedSOPClassUID = CommandSetTestData.Verification };
        Assert.Equal(68, request.GetEncodedLength());
        Span<byte> buffer = stackalloc byte[100];
        Assert.True(request.TryWrite(buffer, out int written, out _));
        Assert.Equal(CommandSetTestData.CEchoRequest.ToArray(), buffer[..written].ToArray());
    }

    [Fact]
    public void Decode_CEchoRequestWorkedExample_GivesItsFields()
    {
        Assert.True(CEchoRequest.TryDecode(CommandSetTestData.CEchoRequest, out CEchoRequest request, out CommandSetError error), error.ToString());
        Assert.Equal(1, request.MessageID);
        Assert.Equal(CommandSetTestData.Verification, request.AffectedSOPClassUID.ToString());
        Assert.False(request.HasDataSet);
    }

    [Fact]
    public void AllTwentyThreeMessages_AreGenerated()
    {
        var names = SampleMessages.All().Select(e => e.Name).ToHashSet();
        Assert.Equal(23, names.Count);
        foreach (CommandField field in Enum.GetValues<CommandField>())
        {
            Assert.Contains(field.ToString(), names);
        }
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void RoundTrip_FullyPopulatedMessage_GivesIdenticalBytes(string name)
    {
        var (_, bytes, roundTrip) = SampleMessages.All().Single(e => e.Name == name);
        Assert.Equal(bytes, roundTrip(bytes));
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Encode_AnyMessage_HasAscendingEvenElementsAndCorrectGroupLength(string name)
    {
        byte[] bytes = SampleMessages.All().Single(e => e.Name == name).Bytes;
        var reader = new CommandSetReader(bytes);
        var tags = new List<uint>();
        while (reader.TryReadElement(out uint tag, out ReadOnlySpan<byte> value))
        {
            tags.Add(tag);
            Assert.Equal(0, value.Length % 2);
        }

        Assert.True(reader.Error.IsNone);
        Assert.Equal(tags.OrderBy(t => t).ToList(), tags);
        Assert.Equal(tags.Distinct().Count(), tags.Count);
        Assert.Equal(CommandTag.CommandGroupLength, tags[0]);
        Assert.Equal((uint)(bytes.Length - 12), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
    }

    [Fact]
    public void Encode_OddUidAndText_PadsUidWithNulAndTextWithSpace()
    {
        var response = new CStoreResponse { MessageIDBeingRespondedTo = 1, Status = 0xA700, AffectedSOPClassUID = CommandSetTestData.CTImageStorage, ErrorComment = "abc" };
        byte[] bytes = SampleMessages.Encode(response);
        var reader = new CommandSetReader(bytes);
        while (reader.TryReadElement(out uint tag, out ReadOnlySpan<byte> value))
        {
            if (tag == CommandTag.AffectedSOPClassUID)
            {
                Assert.Equal(26, value.Length);
                Assert.Equal(0, value[^1]);
            }
            else if (tag == CommandTag.ErrorComment)
            {
                Assert.Equal("abc "u8.ToArray(), value.ToArray());
            }
        }
    }

    [Fact]
    public void Decode_ElementsInAnyOrderWithUnknownAndRetiredElements_Succeeds()
    {
        // Reverse the element order, drop (0000,0000), and add a retired (0000,0850) and an unknown (0000,7777).
        byte[] golden = CommandSetTestData.CEchoRequest.ToArray();
        var elements = Split(golden).Where(e => e.Tag != 0).Reverse().ToList();
        elements.Add((0x0000_0850, new byte[] { 5, 0 }));
        elements.Insert(1, (0x0000_7777, new byte[] { 1, 2, 3, 4 }));
        Assert.True(CEchoRequest.TryDecode(Join(elements), out CEchoRequest request, out CommandSetError error), error.ToString());
        Assert.Equal(1, request.MessageID);
        Assert.Equal(CommandSetTestData.Verification, request.AffectedSOPClassUID.ToString());
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(0xFFFFFFFFu)]
    public void Decode_WrongGroupLength_IsRecomputedNotTrusted(uint groupLength)
    {
        byte[] bytes = CommandSetTestData.CEchoRequest.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), groupLength);
        Assert.True(CEchoRequest.TryDecode(bytes, out CEchoRequest request, out _));
        Assert.Equal(1, request.MessageID);
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Decode_EachMandatoryElementMissing_ReportsThatElement(string name)
    {
        byte[] bytes = SampleMessages.All().Single(e => e.Name == name).Bytes;
        var field = Enum.Parse<CommandField>(name);
        var mandatory = CommandDictionary.GetMandatoryElements(field).Append(CommandTag.CommandField).Append(CommandTag.CommandDataSetType);
        foreach (uint tag in mandatory)
        {
            byte[] without = Join(Split(bytes).Where(e => e.Tag != tag));
            CommandSetError error = Decode(field, without);
            Assert.Equal(CommandSetErrorKind.MissingMandatoryElement, error.Kind);
            Assert.Equal(tag, error.Tag);
            Assert.Contains(CommandDictionary.GetKeyword(tag), error.ToString());
        }
    }

    [Fact]
    public void Decode_DuplicateElement_IsRefused()
    {
        var elements = Split(CommandSetTestData.CEchoRequest.ToArray()).ToList();
        elements.Add(elements.Single(e => e.Tag == CommandTag.MessageID));
        Assert.False(CEchoRequest.TryDecode(Join(elements), out _, out CommandSetError error));
        Assert.Equal(CommandSetErrorKind.DuplicateElement, error.Kind);
        Assert.Equal(CommandTag.MessageID, error.Tag);
    }

    [Theory]
    [InlineData(0x0000_0110u, 4, CommandSetErrorKind.WrongValueSize)] // US with 4 bytes
    [InlineData(0x0000_0110u, 0, CommandSetErrorKind.WrongValueSize)] // US with no value
    [InlineData(0x0000_0002u, 66, CommandSetErrorKind.WrongValueSize)] // UI longer than 64
    [InlineData(0x0000_0002u, 3, CommandSetErrorKind.OddLength)]
    [InlineData(0x0000_0000u, 2, CommandSetErrorKind.WrongValueSize)] // UL with 2 bytes
    public void Decode_BadValueSize_IsRefused(uint tag, int length, CommandSetErrorKind expected)
    {
        var elements = Split(CommandSetTestData.CEchoRequest.ToArray()).Select(e => e.Tag == tag ? (e.Tag, Enumerable.Repeat((byte)'1', length).ToArray()) : e);
        Assert.False(CEchoRequest.TryDecode(Join(elements), out _, out CommandSetError error));
        Assert.Equal(expected, error.Kind);
        Assert.Equal(tag, error.Tag);
    }

    [Theory]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0x7FFFFFFFu)]
    [InlineData(19u)]
    public void Decode_LengthPastTheEnd_IsRefusedWithoutThrowing(uint length)
    {
        byte[] bytes = CommandSetTestData.CEchoRequest.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12 + 4), length); // (0000,0002)'s length
        Assert.False(CEchoRequest.TryDecode(bytes, out _, out CommandSetError error));
        Assert.True(error.Kind is CommandSetErrorKind.LengthPastEnd or CommandSetErrorKind.OddLength);
        Assert.False(string.IsNullOrEmpty(error.ToString()));
    }

    [Fact]
    public void Decode_ElementOutsideGroupZero_IsRefused()
    {
        var elements = Split(CommandSetTestData.CEchoRequest.ToArray()).Append((0x0008_0018u, new byte[] { (byte)'1', 0 }));
        Assert.False(CEchoRequest.TryDecode(Join(elements), out _, out CommandSetError error));
        Assert.Equal(CommandSetErrorKind.NotCommandElement, error.Kind);
    }

    [Fact]
    public void Decode_EveryPrefixOfAValidCommandSet_FailsUnlessOnlyOptionalElementsWereCut()
    {
        foreach (var (name, bytes, _) in SampleMessages.All())
        {
            var field = Enum.Parse<CommandField>(name);
            var mandatory = CommandDictionary.GetMandatoryElements(field).Append(CommandTag.CommandField).Append(CommandTag.CommandDataSetType).ToHashSet();
            var elements = Split(bytes).ToList();
            for (int length = 0; length < bytes.Length; length++)
            {
                CommandSetError error = Decode(field, bytes.AsSpan(0, length).ToArray());
                if (error.Kind != CommandSetErrorKind.None)
                {
                    continue;
                }

                // A prefix may decode only when it ends on an element boundary and every element cut off is optional.
                int offset = 0;
                int kept = 0;
                while (offset < length)
                {
                    offset += 8 + elements[kept++].Value.Length;
                }

                Assert.Equal(length, offset);
                Assert.DoesNotContain(elements.Skip(kept), e => mandatory.Contains(e.Tag));
            }
        }
    }

    [Fact]
    public void Decode_RandomMutations_NeverThrow()
    {
        var random = new Random(20261125);
        var samples = SampleMessages.All().ToList();
        int decoded = 0;
        for (int i = 0; i < 20_000; i++)
        {
            var (name, bytes, _) = samples[i % samples.Count];
            byte[] mutated = (byte[])bytes.Clone();
            int flips = 1 + random.Next(4);
            for (int f = 0; f < flips; f++)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            var handler = new CountingHandler();
            if (DimseMessageDispatcher.Dispatch(mutated, ref handler))
            {
                decoded++;
            }
        }

        // Some mutations hit values only (still valid), most break structure; both must be handled without exceptions.
        Assert.InRange(decoded, 1, 19_999);
    }

    [Fact]
    public void Decode_DataSetTypeAgainstTheMessageTable_IsChecked()
    {
        // C-ECHO-RQ never has a data set.
        byte[] echo = CommandSetTestData.CEchoRequest.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(echo.AsSpan(echo.Length - 2), 0x0001);
        Assert.False(CEchoRequest.TryDecode(echo, out _, out CommandSetError error));
        Assert.Equal(CommandSetErrorKind.UnexpectedDataSet, error.Kind);

        // C-STORE-RQ always has one.
        var store = new CStoreRequest { MessageID = 1, AffectedSOPClassUID = CommandSetTestData.CTImageStorage, AffectedSOPInstanceUID = CommandSetTestData.SampleInstanceUid };
        byte[] bytes = SampleMessages.Encode(store);
        var elements = Split(bytes).Select(e => e.Tag == CommandTag.CommandDataSetType ? (e.Tag, new byte[] { 0x01, 0x01 }) : e);
        Assert.False(CStoreRequest.TryDecode(Join(elements), out _, out error));
        Assert.Equal(CommandSetErrorKind.MissingDataSet, error.Kind);

        // Any value other than 0x0101 means "present" (fo-dicom sends 0x0202).
        elements = Split(bytes).Select(e => e.Tag == CommandTag.CommandDataSetType ? (e.Tag, new byte[] { 0x02, 0x02 }) : e);
        Assert.True(CStoreRequest.TryDecode(Join(elements), out _, out _));
    }

    [Fact]
    public void Decode_WrongCommandField_IsRefused()
    {
        Assert.False(CEchoResponse.TryDecode(CommandSetTestData.CEchoRequest, out _, out CommandSetError error));
        Assert.Equal(CommandSetErrorKind.WrongCommandField, error.Kind);
        Assert.Equal(0x0030, error.Detail);
    }

    [Fact]
    public void Encode_EmptyMandatoryUid_IsRefused()
    {
        var request = new CEchoRequest { MessageID = 1 };
        Assert.False(request.TryWrite(new byte[128], out _, out CommandSetError error));
        Assert.Equal(CommandSetErrorKind.EmptyMandatoryValue, error.Kind);
        Assert.Throws<InvalidOperationException>(() => request.Write(new System.Buffers.ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Encode_DestinationTooSmall_IsReportedWithTheNeededLength()
    {
        var request = new CEchoRequest { MessageID = 1, AffectedSOPClassUID = CommandSetTestData.Verification };
        Assert.False(request.TryWrite(new byte[67], out int written, out CommandSetError error));
        Assert.Equal(0, written);
        Assert.Equal(CommandSetErrorKind.DestinationTooSmall, error.Kind);
        Assert.Equal(68, error.Detail);
    }

    [Fact]
    public void Dispatch_EveryMessage_ReachesItsHandlerMethod()
    {
        foreach (var (name, bytes, _) in SampleMessages.All())
        {
            var handler = new CountingHandler();
            Assert.True(DimseMessageDispatcher.Dispatch(bytes, ref handler));
            Assert.Equal(name, handler.Last);
        }
    }

    [Fact]
    public void Dispatch_UnknownCommandField_ReportsIt()
    {
        byte[] bytes = CommandSetTestData.CEchoRequest.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(46), 0x0031);
        var handler = new CountingHandler();
        Assert.False(DimseMessageDispatcher.Dispatch(bytes, ref handler));
        Assert.Equal(CommandSetErrorKind.UnknownCommandField, handler.Error.Kind);
        Assert.Equal(0x0031, handler.InvalidCommandField);
    }

    [Fact]
    public void CreateFor_CopiesMessageIdAndEchoedElements_AndAnswersChecksThem()
    {
        var request = new CStoreRequest { MessageID = 77, AffectedSOPClassUID = CommandSetTestData.CTImageStorage, AffectedSOPInstanceUID = CommandSetTestData.SampleInstanceUid };
        var response = CStoreResponse.CreateFor(request, 0x0000);
        Assert.Equal(77, response.MessageIDBeingRespondedTo);
        Assert.Equal(request.AffectedSOPInstanceUID, response.AffectedSOPInstanceUID);
        Assert.True(response.Answers(request));

        response.AffectedSOPInstanceUID = (DicomUid)"1.2.3";
        Assert.False(response.Answers(request));
        response.AffectedSOPInstanceUID = null; // absent U(=) elements do not contradict the request
        Assert.True(response.Answers(request));
        response.MessageIDBeingRespondedTo = 78;
        Assert.False(response.Answers(request));

        var action = new NActionRequest { MessageID = 3, RequestedSOPClassUID = (DicomUid)"1.2.840.10008.1.20.1", RequestedSOPInstanceUID = (DicomUid)"1.2.840.10008.1.20.1.1", ActionTypeID = 1 };
        var actionResponse = NActionResponse.CreateFor(action, 0);
        Assert.Equal((ushort)1, actionResponse.ActionTypeID);
        actionResponse.ActionTypeID = 2;
        Assert.False(actionResponse.Answers(action));
    }

    private static CommandSetError Decode(CommandField field, byte[] bytes)
    {
        var handler = new CountingHandler();
        if (DimseMessageDispatcher.Dispatch(bytes, ref handler))
        {
            Assert.Equal(field.ToString(), handler.Last);
            return default;
        }

        return handler.Error;
    }

    internal static IEnumerable<(uint Tag, byte[] Value)> Split(byte[] commandSet)
    {
        var list = new List<(uint, byte[])>();
        var reader = new CommandSetReader(commandSet);
        while (reader.TryReadElement(out uint tag, out ReadOnlySpan<byte> value))
        {
            list.Add((tag, value.ToArray()));
        }

        Assert.True(reader.Error.IsNone);
        return list;
    }

    internal static byte[] Join(IEnumerable<(uint Tag, byte[] Value)> elements)
    {
        var bytes = new List<byte>();
        foreach (var (tag, value) in elements)
        {
            var header = new byte[8];
            BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(tag >> 16));
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), (ushort)tag);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)value.Length);
            bytes.AddRange(header);
            bytes.AddRange(value);
        }

        return bytes.ToArray();
    }

    private struct CountingHandler : IDimseMessageHandler
    {
        public string? Last;
        public CommandSetError Error;
        public ushort InvalidCommandField;

        public void OnCStoreRequest(in CStoreRequest message) => Last = nameof(CStoreRequest);
        public void OnCStoreResponse(in CStoreResponse message) => Last = nameof(CStoreResponse);
        public void OnCGetRequest(in CGetRequest message) => Last = nameof(CGetRequest);
        public void OnCGetResponse(in CGetResponse message) => Last = nameof(CGetResponse);
        public void OnCFindRequest(in CFindRequest message) => Last = nameof(CFindRequest);
        public void OnCFindResponse(in CFindResponse message) => Last = nameof(CFindResponse);
        public void OnCMoveRequest(in CMoveRequest message) => Last = nameof(CMoveRequest);
        public void OnCMoveResponse(in CMoveResponse message) => Last = nameof(CMoveResponse);
        public void OnCEchoRequest(in CEchoRequest message) => Last = nameof(CEchoRequest);
        public void OnCEchoResponse(in CEchoResponse message) => Last = nameof(CEchoResponse);
        public void OnCCancelRequest(in CCancelRequest message) => Last = nameof(CCancelRequest);
        public void OnNEventReportRequest(in NEventReportRequest message) => Last = nameof(NEventReportRequest);
        public void OnNEventReportResponse(in NEventReportResponse message) => Last = nameof(NEventReportResponse);
        public void OnNGetRequest(in NGetRequest message) => Last = nameof(NGetRequest);
        public void OnNGetResponse(in NGetResponse message) => Last = nameof(NGetResponse);
        public void OnNSetRequest(in NSetRequest message) => Last = nameof(NSetRequest);
        public void OnNSetResponse(in NSetResponse message) => Last = nameof(NSetResponse);
        public void OnNActionRequest(in NActionRequest message) => Last = nameof(NActionRequest);
        public void OnNActionResponse(in NActionResponse message) => Last = nameof(NActionResponse);
        public void OnNCreateRequest(in NCreateRequest message) => Last = nameof(NCreateRequest);
        public void OnNCreateResponse(in NCreateResponse message) => Last = nameof(NCreateResponse);
        public void OnNDeleteRequest(in NDeleteRequest message) => Last = nameof(NDeleteRequest);
        public void OnNDeleteResponse(in NDeleteResponse message) => Last = nameof(NDeleteResponse);

        public void OnInvalidCommand(ushort commandField, in CommandSetError error)
        {
            Error = error;
            InvalidCommandField = commandField;
        }
    }
}
