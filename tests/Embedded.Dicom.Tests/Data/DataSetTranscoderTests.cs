using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Tests.Data;

public class DataSetTranscoderTests
{
    private static readonly TransferSyntax s_implicit = TransferSyntax.ImplicitVRLittleEndian;
    private static readonly TransferSyntax s_explicit = TransferSyntax.ExplicitVRLittleEndian;

    public static IEnumerable<object[]> ChunkSizes => Enumerable.Range(1, 64).Select(i => new object[] { i });

    private static (OperationStatus Status, byte[] Output, int Consumed, string? Error) Once(TransferSyntax from, TransferSyntax to, byte[] input, bool isFinalBlock = true, int maxDepth = DataSetTranscoder.DefaultMaxDepth)
    {
        var transcoder = new DataSetTranscoder(from, to, maxDepth);
        byte[] output = new byte[(input.Length * 3) + 64];
        OperationStatus status = transcoder.Transcode(input, output, isFinalBlock, out int consumed, out int written);
        return (status, output[..written], consumed, transcoder.LastError);
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    // --- CanTranscode ------------------------------------------------------------------------------------

    [Fact]
    public void CanTranscode_NativeLittleEndianPairsAndIdentity_AreSupported()
    {
        Assert.True(DataSetTranscoder.CanTranscode(s_implicit, s_explicit));
        Assert.True(DataSetTranscoder.CanTranscode(s_explicit, s_implicit));
        Assert.True(DataSetTranscoder.CanTranscode(s_explicit, s_explicit));
        Assert.True(DataSetTranscoder.CanTranscode(s_implicit, s_implicit));
        Assert.True(DataSetTranscoder.CanTranscode(TransferSyntax.JPEG2000Lossless, TransferSyntax.JPEG2000Lossless));
    }

    [Fact]
    public void CanTranscode_EncapsulatedDeflatedOrBigEndianConversions_AreRefused()
    {
        Assert.False(DataSetTranscoder.CanTranscode(TransferSyntax.JPEGBaseline8Bit, s_explicit));
        Assert.False(DataSetTranscoder.CanTranscode(s_explicit, TransferSyntax.RLELossless));
        Assert.False(DataSetTranscoder.CanTranscode(TransferSyntax.DeflatedExplicitVRLittleEndian, s_implicit));
        Assert.False(DataSetTranscoder.CanTranscode(TransferSyntax.DeflatedExplicitVRLittleEndian, TransferSyntax.DeflatedExplicitVRLittleEndian));
        Assert.False(DataSetTranscoder.CanTranscode(TransferSyntax.ExplicitVRBigEndian, s_explicit));
        Assert.Throws<ArgumentException>(() => new DataSetTranscoder(TransferSyntax.ExplicitVRBigEndian, s_implicit));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataSetTranscoder(s_explicit, s_implicit, maxDepth: 0));
    }

    // --- Exact output ------------------------------------------------------------------------------------

    private const string ExplicitSample =
        "0800 1511 5351 0000 14000000" +          // (0008,1115) SQ, defined length 20
        "FEFF 00E0 0C000000" +                    //   item, defined length 12
        "0800 5011 5549 0400 312E3200" +          //     (0008,1150) UI "1.2\0"
        "1000 1000 504E 0400 415E4220";           // (0010,0010) PN "A^B "

    private const string ImplicitSample =
        "0800 1511 FFFFFFFF" +                    // (0008,1115), undefined length
        "FEFF 00E0 FFFFFFFF" +                    //   item, undefined length
        "0800 5011 04000000 312E3200" +           //     (0008,1150)
        "FEFF 0DE0 00000000" +                    //   item delimitation
        "FEFF DDE0 00000000" +                    // sequence delimitation
        "1000 1000 04000000 415E4220";            // (0010,0010)

    private const string ExplicitUndefinedSample =
        "0800 1511 5351 0000 FFFFFFFF" +
        "FEFF 00E0 FFFFFFFF" +
        "0800 5011 5549 0400 312E3200" +
        "FEFF 0DE0 00000000" +
        "FEFF DDE0 00000000" +
        "1000 1000 504E 0400 415E4220";

    [Fact]
    public void ExplicitToImplicit_DefinedLengthSequence_IsWrittenWithUndefinedLengthsAndDelimiters()
    {
        var (status, output, consumed, _) = Once(s_explicit, s_implicit, Hex(ExplicitSample));

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(Hex(ExplicitSample).Length, consumed);
        Assert.Equal(Hex(ImplicitSample), output);
    }

    [Fact]
    public void ImplicitToExplicit_TakesVRsFromTheDictionary()
    {
        var (status, output, _, _) = Once(s_implicit, s_explicit, Hex(ImplicitSample));

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(Hex(ExplicitUndefinedSample), output);
    }

    [Fact]
    public void ImplicitToExplicit_PrivateCreatorIsLOAndOtherPrivateOrUnknownElementsAreUN()
    {
        byte[] input = Hex(
            "0900 1000 0E000000" + "454D42454444454420544553 5420" + // (0009,0010) "EMBEDDED TEST "
            "0900 0110 02000000 4142" +                              // (0009,1001) private
            "1000 1100 02000000 4344");                              // (0010,0011) not in PS3.6

        var (status, output, _, _) = Once(s_implicit, s_explicit, input);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(Hex(
            "0900 1000 4C4F 0E00" + "454D42454444454420544553 5420" +
            "0900 0110 554E 0000 02000000 4142" +
            "1000 1100 554E 0000 02000000 4344"), output);
    }

    [Fact]
    public void ImplicitToExplicit_UnknownTagOfUndefinedLength_BecomesASequence()
    {
        byte[] input = Hex(
            "0900 1000 04000000 41424344" +                          // creator
            "0900 1010 FFFFFFFF" +                                   // unknown, undefined length
            "FEFF 00E0 0A000000 0900 1110 02000000 5859" +           //   item (defined) with a private element
            "FEFF DDE0 00000000");

        var (status, output, _, _) = Once(s_implicit, s_explicit, input);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(Hex(
            "0900 1000 4C4F 0400 41424344" +
            "0900 1010 5351 0000 FFFFFFFF" +
            "FEFF 00E0 FFFFFFFF 0900 1110 554E 0000 02000000 5859 FEFF 0DE0 00000000" +
            "FEFF DDE0 00000000"), output);
    }

    [Fact]
    public void ImplicitToExplicit_ValueTooLongForA16BitLength_IsWrittenAsUN()
    {
        byte[] value = new byte[70000];
        new Random(7).NextBytes(value);
        byte[] input = [.. Hex("1000 0040 70110100"), .. value];   // (0010,4000) LT, 70000 bytes

        var (status, output, _, _) = Once(s_implicit, s_explicit, input);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(Hex("1000 0040 554E 0000 70110100"), output[..12]);
        Assert.Equal(value, output[12..]);
    }

    [Fact]
    public void Conversion_DropsGroupLengthsButIdentityKeepsThem()
    {
        byte[] input = Ds.Encode([new DsElement(0x00080000, "UL", [10, 0, 0, 0]), Ds.Text(0x00080060, "CS", "CT")], explicitVR: true);

        var (status, output, _, _) = Once(s_explicit, s_implicit, input);
        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(Hex("0800 6000 02000000 4354"), output);

        var (identityStatus, identity, _, _) = Once(s_explicit, s_explicit, input);
        Assert.Equal(OperationStatus.Done, identityStatus);
        Assert.Equal(input, identity);
    }

    [Fact]
    public void ExplicitToImplicit_UNOfUndefinedLength_CarriesItsImplicitItems()
    {
        byte[] input = Hex(
            "0900 1000 4C4F 0400 41424344" +
            "0900 1010 554E 0000 FFFFFFFF" +                                      // UN, undefined: implicit items (PS3.5 §6.2.2)
            "FEFF 00E0 FFFFFFFF 0900 1110 02000000 5859 FEFF 0DE0 00000000" +
            "FEFF DDE0 00000000" +
            "1000 1000 504E 0400 415E4220");

        var (status, output, _, _) = Once(s_explicit, s_implicit, input);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(Hex(
            "0900 1000 04000000 41424344" +
            "0900 1010 FFFFFFFF" +
            "FEFF 00E0 FFFFFFFF 0900 1110 02000000 5859 FEFF 0DE0 00000000" +
            "FEFF DDE0 00000000" +
            "1000 1000 04000000 415E4220"), output);
    }

    [Fact]
    public void EncapsulatedPixelData_ItemsAreCopiedAsTheyAre()
    {
        byte[] input = Ds.Encode([Ds.UShort(0x00280010, 1), new DsFragments([[], [1, 2, 3, 4]])], explicitVR: true);

        var (status, output, _, _) = Once(s_explicit, s_implicit, input);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(Hex(
            "2800 1000 02000000 0100" +
            "E07F 1000 FFFFFFFF" +
            "FEFF 00E0 00000000" +
            "FEFF 00E0 04000000 01020304" +
            "FEFF DDE0 00000000"), output);
        Assert.Equal(input, Once(s_implicit, s_explicit, output).Output);
    }

    // --- Round trips, chunked ---------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void ExplicitToImplicitToExplicit_RichDataSet_IsPreservedForEveryChunkSize(int chunkSize)
    {
        DsNode[] nodes = Ds.Rich();
        byte[] original = Ds.Encode(nodes, explicitVR: true);
        List<DsEntry> expected = Ds.AfterImplicitRoundTrip(Ds.Flatten(original, explicitVR: true));
        byte[]? firstImplicit = null;
        byte[]? firstExplicit = null;

        foreach (int outputSize in new[] { 16, 17, 1000 })
        {
            byte[] implicitBytes = TranscodeDriver.Run(new DataSetTranscoder(s_explicit, s_implicit), original, chunkSize, outputSize);
            byte[] explicitBytes = TranscodeDriver.Run(new DataSetTranscoder(s_implicit, s_explicit), implicitBytes, chunkSize, outputSize);

            Assert.Equal(Ds.WithoutVr(Ds.Flatten(original, explicitVR: true)), Ds.WithoutVr(Ds.Flatten(implicitBytes, explicitVR: false)));
            Assert.Equal(expected, Ds.Flatten(explicitBytes, explicitVR: true));

            // Chunking must not change a single output byte.
            firstImplicit ??= implicitBytes;
            firstExplicit ??= explicitBytes;
            Assert.Equal(firstImplicit, implicitBytes);
            Assert.Equal(firstExplicit, explicitBytes);
        }

        Assert.Equal(firstImplicit, TranscodeDriver.Run(s_explicit, s_implicit, original));
    }

    [Fact]
    public void RoundTrip_WithOneByteOutputBuffer_GivesTheSameBytes()
    {
        byte[] original = Ds.Encode(Ds.Rich(), explicitVR: true);
        byte[] reference = TranscodeDriver.Run(s_explicit, s_implicit, original);

        Assert.Equal(reference, TranscodeDriver.Run(new DataSetTranscoder(s_explicit, s_implicit), original, chunkSize: 5, outputSize: 1));
        Assert.Equal(
            TranscodeDriver.Run(s_implicit, s_explicit, reference),
            TranscodeDriver.Run(new DataSetTranscoder(s_implicit, s_explicit), reference, chunkSize: 3, outputSize: 1));
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(7, 16)]
    [InlineData(4096, 16)]
    [InlineData(16384, 65536)]
    [InlineData(int.MaxValue, 1 << 20)]
    public void RoundTrip_ThreeMegabyteOWValue_StreamsThroughSmallBuffers(int chunkSize, int outputSize)
    {
        byte[] original = Ds.Encode(Ds.Large(), explicitVR: true);

        byte[] implicitBytes = TranscodeDriver.Run(new DataSetTranscoder(s_explicit, s_implicit), original, chunkSize, outputSize);
        byte[] explicitBytes = TranscodeDriver.Run(new DataSetTranscoder(s_implicit, s_explicit), implicitBytes, chunkSize, outputSize);

        Assert.Equal(Ds.Flatten(original, explicitVR: true), Ds.Flatten(explicitBytes, explicitVR: true));
        // Implicit: the OW and SQ headers lose their 4 VR/reserved bytes, item and sequence delimiters are added.
        Assert.Equal(original.Length - 4 - 4 + 8 + 8, implicitBytes.Length);
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(13, 16)]
    [InlineData(64, 17)]
    [InlineData(int.MaxValue, 4096)]
    public void Identity_IsByteExact(int chunkSize, int outputSize)
    {
        DsNode[] nodes = [new DsElement(0x00080000, "UL", [99, 0, 0, 0]), .. Ds.Rich()];
        byte[] explicitBytes = Ds.Encode(nodes, explicitVR: true);
        byte[] implicitBytes = TranscodeDriver.Run(s_explicit, s_implicit, Ds.Encode(Ds.Rich(), explicitVR: true));
        byte[] definedImplicit = Ds.Encode(Ds.Rich().Where(n => n is not DsFragments).ToArray(), explicitVR: false);

        Assert.Equal(explicitBytes, TranscodeDriver.Run(new DataSetTranscoder(s_explicit, s_explicit), explicitBytes, chunkSize, outputSize));
        Assert.Equal(implicitBytes, TranscodeDriver.Run(new DataSetTranscoder(s_implicit, s_implicit), implicitBytes, chunkSize, outputSize));
        Assert.Equal(definedImplicit, TranscodeDriver.Run(new DataSetTranscoder(s_implicit, s_implicit), definedImplicit, chunkSize, outputSize));
        var jpeg = TransferSyntax.JPEG2000Lossless;
        Assert.Equal(explicitBytes, TranscodeDriver.Run(new DataSetTranscoder(jpeg, jpeg), explicitBytes, chunkSize, outputSize));
    }

    // --- Streaming contract --------------------------------------------------------------------------

    [Fact]
    public void Transcode_InputEndingInsideAHeader_NeedsMoreDataAndConsumesOnlyWholeHeaders()
    {
        byte[] input = Hex(ExplicitSample);
        var transcoder = new DataSetTranscoder(s_explicit, s_implicit);
        byte[] output = new byte[256];

        // 7 of the 12 bytes of the SQ header.
        Assert.Equal(OperationStatus.NeedMoreData, transcoder.Transcode(input.AsSpan(0, 7), output, false, out int consumed, out int written));
        Assert.Equal(0, consumed);
        Assert.Equal(0, written);

        // The SQ header, the item header and 3 of the UI header's bytes.
        Assert.Equal(OperationStatus.NeedMoreData, transcoder.Transcode(input.AsSpan(0, 23), output, false, out consumed, out written));
        Assert.Equal(20, consumed);
        Assert.Equal(16, written);

        // Inside a value: all input is consumed.
        Assert.Equal(OperationStatus.Done, transcoder.Transcode(input.AsSpan(20, 10), output.AsSpan(16), false, out consumed, out int more));
        Assert.Equal(10, consumed);
        Assert.Equal(OperationStatus.Done, transcoder.Transcode(input.AsSpan(30), output.AsSpan(16 + more), true, out consumed, out int rest));
        Assert.Equal(input.Length - 30, consumed);
        Assert.Equal(Hex(ImplicitSample), output[..(16 + more + rest)]);
    }

    [Fact]
    public void Transcode_IntoEmptyOutput_ReportsDestinationTooSmallWithoutConsuming()
    {
        var transcoder = new DataSetTranscoder(s_explicit, s_implicit);
        byte[] input = Hex(ExplicitSample);

        Assert.Equal(OperationStatus.DestinationTooSmall, transcoder.Transcode(input, Span<byte>.Empty, true, out int consumed, out int written));
        Assert.Equal(12, consumed); // the header was taken; its converted bytes wait for room
        Assert.Equal(0, written);

        byte[] output = new byte[256];
        Assert.Equal(OperationStatus.Done, transcoder.Transcode(input.AsSpan(consumed), output, true, out _, out written));
        Assert.Equal(Hex(ImplicitSample), output[..written]);
    }

    [Fact]
    public void Transcode_EmptyInput_IsDoneAndAnEmptyDataSet()
    {
        var (status, output, consumed, error) = Once(s_explicit, s_implicit, []);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Empty(output);
        Assert.Equal(0, consumed);
        Assert.Null(error);
    }

    [Fact]
    public void Reset_AllowsReuseAfterDataSetAndAfterError()
    {
        var transcoder = new DataSetTranscoder(s_explicit, s_implicit);
        byte[] output = new byte[256];
        byte[] input = Hex(ExplicitSample);

        Assert.Equal(OperationStatus.Done, transcoder.Transcode(input, output, true, out _, out _));
        Assert.Equal(OperationStatus.InvalidData, transcoder.Transcode(input.AsSpan(0, 30), output, true, out _, out _));
        Assert.Equal(OperationStatus.InvalidData, transcoder.Transcode(input, output, true, out _, out _));
        Assert.NotNull(transcoder.LastError);

        transcoder.Reset();

        Assert.Null(transcoder.LastError);
        Assert.Equal(OperationStatus.Done, transcoder.Transcode(input, output, true, out _, out int written));
        Assert.Equal(Hex(ImplicitSample), output[..written]);
    }

    // --- Truncation and hostile input -------------------------------------------------------------------

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void TruncatedInputWithFinalBlock_IsInvalidUnlessItEndsBetweenTopLevelElements(bool fromExplicit, bool toExplicit)
    {
        DsNode[] nodes = Ds.Rich();
        byte[] input = fromExplicit
            ? Ds.Encode(nodes, explicitVR: true)
            : TranscodeDriver.Run(s_explicit, s_implicit, Ds.Encode(nodes, explicitVR: true));
        HashSet<int> boundaries = fromExplicit
            ? [.. Ds.TopLevelBoundaries(nodes, explicitVR: true)]
            : [.. Ds.TopLevelBoundaries(nodes, explicitVR: true).Select(b => TranscodeDriver.Run(s_explicit, s_implicit, Ds.Encode(nodes, true)[..b]).Length)];
        TransferSyntax from = fromExplicit ? s_explicit : s_implicit;
        TransferSyntax to = toExplicit ? s_explicit : s_implicit;

        for (int length = 0; length <= input.Length; length++)
        {
            var (status, _, _, error) = Once(from, to, input[..length]);
            if (boundaries.Contains(length))
            {
                Assert.True(status == OperationStatus.Done, $"{length}: {status} {error}");
            }
            else
            {
                Assert.True(status == OperationStatus.InvalidData, $"{length}: {status}");
                Assert.False(string.IsNullOrEmpty(error));
            }
        }
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(64, false)]
    public void NestingAtTheDepthLimit_IsAccepted(int depth, bool undefined)
    {
        byte[] input = Ds.Encode(Ds.Nested(depth, undefined), explicitVR: true);

        byte[] implicitBytes = TranscodeDriver.Run(s_explicit, s_implicit, input);
        byte[] explicitBytes = TranscodeDriver.Run(s_implicit, s_explicit, implicitBytes);

        Assert.Equal(Ds.Flatten(input, explicitVR: true), Ds.Flatten(explicitBytes, explicitVR: true));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void NestingBeyondTheDepthLimit_IsInvalid(bool undefined, bool fromExplicit)
    {
        byte[] input = Ds.Encode(Ds.Nested(65, undefined), explicitVR: true);
        if (!fromExplicit)
        {
            input = TranscodeDriver.Run(new DataSetTranscoder(s_explicit, s_implicit, maxDepth: 100), input, int.MaxValue, 4096);
        }

        TransferSyntax from = fromExplicit ? s_explicit : s_implicit;
        var (status, _, _, error) = Once(from, fromExplicit ? s_implicit : s_explicit, input);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Contains("limit of 64", error);
        Assert.Equal(OperationStatus.InvalidData, Once(from, from, input).Status);
        Assert.Equal(OperationStatus.InvalidData, Once(from, from, Ds.Encode(Ds.Nested(4, undefined), true), maxDepth: 3).Status);
        Assert.Equal(OperationStatus.Done, Once(s_explicit, s_implicit, Ds.Encode(Ds.Nested(3, undefined), true), maxDepth: 3).Status);
    }

    public static TheoryData<string, string, bool> Hostile => new()
    {
        {
            "element crossing the end of its item",
            "0800 1511 5351 0000 14000000 FEFF 00E0 0C000000 0800 5011 5549 0600 312E32000000", true
        },
        {
            "item crossing the end of its sequence",
            "0800 1511 5351 0000 0C000000 FEFF 00E0 0C000000 0800 5011 5549 0400 312E3200", true
        },
        {
            "header crossing the end of its item",
            "0800 1511 5351 0000 0E000000 FEFF 00E0 06000000 0800 5011 5549", true
        },
        { "unknown VR bytes", "1000 1000 5A5A 0400 415E4220", true },
        { "lower-case VR", "1000 1000 706E 0400 415E4220", true },
        { "item outside a sequence", "FEFF 00E0 00000000", true },
        { "sequence delimiter outside a sequence", "FEFF DDE0 00000000", true },
        { "item delimiter outside an item", "FEFF 0DE0 00000000", true },
        { "element where an item must be", "0800 1511 5351 0000 FFFFFFFF 1000 1000 504E 0000 FEFF DDE0 00000000", true },
        { "item delimiter in a defined-length item", "0800 1511 5351 0000 10000000 FEFF 00E0 08000000 FEFF 0DE0 00000000", true },
        { "sequence delimiter in a defined-length sequence", "0800 1511 5351 0000 08000000 FEFF DDE0 00000000", true },
        { "undefined length on a short VR (implicit)", "2800 1000 FFFFFFFF", false },
        { "undefined length on OB other than pixel data", "0900 1000 4C4F 0000 0900 0110 4F42 0000 FFFFFFFF", true },
        { "pixel data fragment of undefined length", "E07F 1000 4F42 0000 FFFFFFFF FEFF 00E0 FFFFFFFF", true },
        { "unknown FFFE element", "FEFF 0000 00000000", true },
        { "open undefined-length item at the end of a defined sequence", "0800 1511 5351 0000 08000000 FEFF 00E0 FFFFFFFF 1000 1000 504E 0000", true },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void MalformedInput_IsInvalidDataWithASentence(string description, string hex, bool fromExplicit)
    {
        TransferSyntax from = fromExplicit ? s_explicit : s_implicit;
        foreach (TransferSyntax to in new[] { s_explicit, s_implicit })
        {
            var (status, _, _, error) = Once(from, to, Hex(hex));

            Assert.True(status == OperationStatus.InvalidData, $"{description}: {status}");
            Assert.False(string.IsNullOrWhiteSpace(error), description);
            Assert.EndsWith(".", error, StringComparison.Ordinal);
        }
    }
}
