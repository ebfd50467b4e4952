using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Tests.Data;

public class DataSetReaderTests
{
    private static readonly TransferSyntax s_explicit = TransferSyntax.ExplicitVRLittleEndian;
    private static readonly TransferSyntax s_implicit = TransferSyntax.ImplicitVRLittleEndian;

    private static byte[] RichExplicit() => Ds.Encode(Ds.Rich(), explicitVR: true);

    /// <summary>Implicit VR by way of the transcoder, which writes every sequence and item with undefined length (what <see cref="Ds.Flatten"/> can parse).</summary>
    private static byte[] RichImplicit() => TranscodeDriver.Run(s_explicit, s_implicit, RichExplicit());

    private static DataSetReader Reader(byte[] data, TransferSyntax syntax, bool final = true) =>
        new(new ReadOnlySequence<byte>(data), final, new DataSetReaderState(syntax));

    private static string ReadError(byte[] data, TransferSyntax syntax, int maxDepth = DataSetReaderState.DefaultMaxDepth)
    {
        var reader = new DataSetReader(new ReadOnlySequence<byte>(data), isFinalBlock: true, new DataSetReaderState(syntax, maxDepth));
        int guard = 0;
        while (reader.Read())
        {
            Assert.True(++guard < 100_000, "the reader does not stop");
        }

        Assert.NotNull(reader.Error);
        Assert.Equal(DataSetTokenType.None, reader.TokenType);
        Assert.False(reader.Read()); // stays failed
        return reader.Error!;
    }

    private static byte[] Explicit(params DsNode[] nodes) => Ds.Encode(nodes, explicitVR: true);

    private static byte[] Header(uint tag, uint length)
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)(tag >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), (ushort)tag);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), length);
        return bytes;
    }

    private static byte[] LongHeader(uint tag, string vr, uint length)
    {
        byte[] bytes = new byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)(tag >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), (ushort)tag);
        bytes[4] = (byte)vr[0];
        bytes[5] = (byte)vr[1];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), length);
        return bytes;
    }

    // --- Structure --------------------------------------------------------------------------------------------

    [Fact]
    public void Read_RichExplicit_MatchesTheIndependentParser()
    {
        byte[] data = RichExplicit();
        Assert.Equal(Ds.Flatten(data, explicitVR: true), DataSetReaderDriver.Flatten(data, s_explicit));
    }

    [Fact]
    public void Read_RichImplicit_MatchesTheIndependentParser()
    {
        byte[] data = RichImplicit();
        Assert.Equal(Ds.Flatten(data, explicitVR: false), DataSetReaderDriver.Flatten(data, s_implicit));
    }

    [Fact]
    public void Read_DefinedAndUndefinedLengthEncodings_GiveTheSameTokensApartFromLengthsAndOffsets()
    {
        DsNode[] Build(bool undefined) =>
        [
            Ds.Uid(0x00080016, "1.2.3"),
            Ds.Seq(0x00081115, undefined, Ds.Item(undefined, Ds.Uid(0x00081150, "1.2.4"), Ds.Seq(0x00081140, undefined, Ds.Item(undefined, Ds.Uid(0x00081155, "1.2.5"))))),
            Ds.Text(0x00100010, "PN", "Doe^John"),
        ];

        static IEnumerable<string> Shape(List<string> tokens) => tokens.Select(t => string.Join(' ', t.Split(' ').Where(p => !p.StartsWith("len=", StringComparison.Ordinal) && !p.StartsWith("at=", StringComparison.Ordinal))));

        List<string> defined = DataSetReaderDriver.ReadAll(Ds.Encode(Build(false), true), s_explicit);
        List<string> undefined = DataSetReaderDriver.ReadAll(Ds.Encode(Build(true), true), s_explicit);
        Assert.Equal(
            ["Element", "SequenceStart", "ItemStart", "Element", "SequenceStart", "ItemStart", "Element", "ItemEnd", "SequenceEnd", "ItemEnd", "SequenceEnd", "Element"],
            defined.Select(t => t.Split(' ')[0]));
        Assert.Equal(Shape(defined), Shape(undefined));
    }

    [Fact]
    public void Read_ReportsDepthAndSyntheticEndsOfDefinedLengthContainers()
    {
        byte[] data = Explicit(Ds.Seq(0x00081115, false, Ds.Item(false, Ds.Uid(0x00081150, "1.2"))), Ds.Text(0x00100010, "PN", "A^B"));
        var reader = Reader(data, s_explicit);
        var seen = new List<(DataSetTokenType, uint, int, int, long)>();
        while (reader.Read())
        {
            seen.Add((reader.TokenType, reader.Tag.Value, reader.CurrentDepth, reader.HeaderLength, reader.TokenOffset));
        }

        // SQ header 12 bytes, item header 8, UI element 8 + 4: the item and the sequence end at offset 32.
        Assert.Equal(
            [
                (DataSetTokenType.SequenceStart, 0x00081115u, 0, 12, 0L),
                (DataSetTokenType.ItemStart, 0xFFFEE000u, 1, 8, 12L),
                (DataSetTokenType.Element, 0x00081150u, 1, 8, 20L),
                (DataSetTokenType.ItemEnd, 0xFFFEE00Du, 1, 0, 32L),
                (DataSetTokenType.SequenceEnd, 0xFFFEE0DDu, 0, 0, 32L),
                (DataSetTokenType.Element, 0x00100010u, 0, 8, 32L),
            ],
            seen);
        Assert.Null(reader.Error);
    }

    [Fact]
    public void Read_ExplicitUnOfUndefinedLength_IsASequenceOfImplicitItems()
    {
        // PS3.5 §6.2.2: (0009,1010) UN of undefined length holds Implicit VR Little Endian items.
        byte[] data = Explicit(
            new DsElement(0x00090010, "LO", "PRIV"u8.ToArray()),
            new DsSequence(0x00091010, true, [Ds.Item(true, Ds.Text(0x00100010, "PN", "In^Side"))], "UN"));
        var reader = Reader(data, s_explicit);
        Assert.True(reader.Read());
        Assert.True(reader.Read());
        Assert.Equal(DataSetTokenType.SequenceStart, reader.TokenType);
        Assert.Equal(ValueRepresentation.UN, reader.VR);
        Assert.True(reader.Read());
        Assert.Equal(DataSetTokenType.ItemStart, reader.TokenType);
        Assert.True(reader.Read());
        Assert.Equal(new DicomTag(0x00100010), reader.Tag);
        Assert.Equal(ValueRepresentation.PN, reader.VR); // from the dictionary: the item is implicit
        Assert.Equal("In^Side", reader.GetString());
        Assert.True(reader.Read());
        Assert.Equal(DataSetTokenType.ItemEnd, reader.TokenType);
        Assert.True(reader.Read());
        Assert.Equal(DataSetTokenType.SequenceEnd, reader.TokenType);
        Assert.False(reader.Read());
        Assert.Null(reader.Error);
    }

    [Fact]
    public void Read_EncapsulatedPixelData_GivesFragmentsWithTheirBytes()
    {
        byte[] data = Explicit(new DsFragments([[], [1, 2, 3, 4], [5, 6]]));
        List<string> tokens = DataSetReaderDriver.ReadAll(data, TransferSyntax.JPEGBaseline8Bit);
        Assert.Equal(
            [
                "SequenceStart (7FE0,0010) OB len=4294967295 depth=0 at=0+12 -",
                "Fragment (FFFE,E000) -- len=0 depth=1 at=12+8 0:",
                "Fragment (FFFE,E000) -- len=4 depth=1 at=20+8 4:01020304",
                "Fragment (FFFE,E000) -- len=2 depth=1 at=32+8 2:0506",
                "SequenceEnd (FFFE,E0DD) -- len=0 depth=0 at=42+8 -",
            ],
            tokens);
    }

    [Fact]
    public void Read_ExplicitVRBigEndian_ReadsHeadersAndValuesInThatOrder()
    {
        // PS3.5 §7.3, Annex A.3: tag, lengths and binary values big endian; the VR characters in order.
        byte[] data =
        [
            0x00, 0x08, 0x00, 0x16, (byte)'U', (byte)'I', 0x00, 0x04, (byte)'1', (byte)'.', (byte)'2', 0x00,
            0x00, 0x28, 0x00, 0x10, (byte)'U', (byte)'S', 0x00, 0x02, 0x01, 0x02,
            0x00, 0x28, 0x00, 0x09, (byte)'A', (byte)'T', 0x00, 0x04, 0x00, 0x18, 0x10, 0x63,
            0x00, 0x40, 0xA7, 0x30, (byte)'S', (byte)'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF,
            0xFF, 0xFE, 0xE0, 0x00, 0x00, 0x00, 0x00, 0x0C,
            0x00, 0x28, 0x00, 0x11, (byte)'U', (byte)'L', 0x00, 0x04, 0x01, 0x02, 0x03, 0x04,
            0xFF, 0xFE, 0xE0, 0xDD, 0x00, 0x00, 0x00, 0x00,
        ];
        var reader = Reader(data, TransferSyntax.ExplicitVRBigEndian);
        Assert.True(reader.Read());
        Assert.Equal("1.2", reader.GetString());
        Assert.True(reader.ValueIsEqualTo("1.2"u8));
        Assert.True(reader.Read());
        Assert.True(reader.TryGetUInt16(out ushort rows));
        Assert.Equal(0x0102, rows);
        Assert.True(reader.Read());
        Assert.True(reader.TryGetTag(out DicomTag pointer));
        Assert.Equal(new DicomTag(0x00181063), pointer);
        Assert.True(reader.Read());
        Assert.Equal(DataSetTokenType.SequenceStart, reader.TokenType);
        Assert.True(reader.Read());
        Assert.Equal(DataSetTokenType.ItemStart, reader.TokenType);
        Assert.Equal(12u, reader.Length);
        Assert.True(reader.Read());
        Assert.True(reader.TryGetUInt32(out uint value));
        Assert.Equal(0x01020304u, value);
        Assert.True(reader.Read());
        Assert.Equal(DataSetTokenType.ItemEnd, reader.TokenType);
        Assert.True(reader.Read());
        Assert.Equal(DataSetTokenType.SequenceEnd, reader.TokenType);
        Assert.False(reader.Read());
        Assert.Null(reader.Error);
    }

    // --- Values -----------------------------------------------------------------------------------------------

    [Fact]
    public void TypedAccessors_ReadEachValueOfAMultiValuedElement()
    {
        byte[] us = new byte[6];
        BinaryPrimitives.WriteUInt16LittleEndian(us, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(us.AsSpan(2), 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(us.AsSpan(4), 3);
        byte[] fd = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(fd, -2.5);
        byte[] fl = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(fl, 0.25f);
        byte[] sl = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(sl, -7);
        byte[] data = Explicit(
            new DsElement(0x00189087, "FD", fd),
            new DsElement(0x00186020, "SL", sl),
            new DsElement(0x00280030, "FL", fl),
            new DsElement(0x00280106, "US", us));
        var reader = Reader(data, s_explicit);

        Assert.True(reader.Read());
        Assert.True(reader.TryGetDouble(out double d));
        Assert.Equal(-2.5, d);
        Assert.True(reader.Read());
        Assert.True(reader.TryGetInt32(out int i));
        Assert.Equal(-7, i);
        Assert.True(reader.TryGetUInt32(out uint u));
        Assert.Equal(unchecked((uint)-7), u);
        Assert.False(reader.TryGetUInt32(out _, index: 1));
        Assert.True(reader.Read());
        Assert.True(reader.TryGetSingle(out float f));
        Assert.Equal(0.25f, f);
        Assert.True(reader.Read());
        Assert.True(reader.TryGetUInt16(out ushort first));
        Assert.True(reader.TryGetUInt16(out ushort second, index: 1));
        Assert.True(reader.TryGetInt16(out short secondSigned, index: 1));
        Assert.True(reader.TryGetUInt16(out ushort third, index: 2));
        Assert.False(reader.TryGetUInt16(out _, index: 3));
        Assert.False(reader.TryGetUInt16(out _, index: -1));
        Assert.False(reader.TryGetUInt64(out _));
        Assert.Equal((1, 0xFFFE, -2, 3), (first, second, secondSigned, third));
        Assert.False(reader.Read());
        Assert.False(reader.TryGetUInt16(out _)); // no token
    }

    [Fact]
    public void ValueIsEqualTo_IgnoresTextPaddingButNotBinaryBytes()
    {
        byte[] data = Explicit(
            Ds.Uid(0x00080018, "1.2.3"),                       // "1.2.3\0"
            Ds.Text(0x00100020, "LO", "ABC"),                  // "ABC "
            new DsElement(0x00280010, "US", [0x41, 0x00]));    // binary "A\0"
        var reader = Reader(data, s_explicit);
        Assert.True(reader.Read());
        Assert.True(reader.ValueIsEqualTo("1.2.3"u8));
        Assert.True(reader.ValueIsEqualTo("1.2.3\0"u8));
        Assert.False(reader.ValueIsEqualTo("1.2"u8));
        Assert.False(reader.ValueIsEqualTo("1.2.3.4"u8));
        Assert.True(reader.Read());
        Assert.True(reader.ValueIsEqualTo("ABC"u8));
        Assert.False(reader.ValueIsEqualTo("AB"u8));
        Assert.True(reader.Read());
        Assert.False(reader.ValueIsEqualTo("A"u8));
        Assert.True(reader.ValueIsEqualTo("A\0"u8));
    }

    [Fact]
    public void GetString_OnATokenWithoutValue_Throws()
    {
        byte[] data = Explicit(Ds.Seq(0x00081115, true));
        Assert.Throws<InvalidOperationException>(() =>
        {
            var reader = Reader(data, s_explicit);
            reader.Read();
            return reader.GetString();
        });
    }

    [Fact]
    public void Values_SpanningSegments_AreReadLikeContiguousOnes()
    {
        byte[] data = RichExplicit();
        List<string> whole = DataSetReaderDriver.ReadAll(data, s_explicit);
        foreach (int segmentLength in new[] { 1, 3, 7, 64 })
        {
            Assert.Equal(whole, DataSetReaderDriver.ReadAll(DataSetReaderDriver.Segmented(data, segmentLength), s_explicit));
        }

        // The typed accessors and GetString across segment boundaries.
        byte[] small = Explicit(Ds.Text(0x00100010, "PN", "Doe^Johnathan"), Ds.UShort(0x00280010, 0x1234));
        var reader = new DataSetReader(DataSetReaderDriver.Segmented(small, 1), true, new DataSetReaderState(s_explicit));
        Assert.True(reader.Read());
        Assert.True(reader.HasValueSequence);
        Assert.True(reader.ValueSpan.IsEmpty);
        Assert.Equal("Doe^Johnathan", reader.GetString());
        Assert.True(reader.ValueIsEqualTo("Doe^Johnathan"u8));
        Assert.True(reader.Read());
        Assert.True(reader.TryGetUInt16(out ushort rows));
        Assert.Equal(0x1234, rows);
    }

    // --- Resumption ---------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Read_SplitAtEveryOffset_ResumesToTheSameTokens(bool explicitVR)
    {
        byte[] data = explicitVR ? RichExplicit() : RichImplicit();
        TransferSyntax syntax = explicitVR ? s_explicit : s_implicit;
        List<string> expected = DataSetReaderDriver.ReadAll(data, syntax);
        for (int split = 0; split <= data.Length; split++)
        {
            var tokens = new List<string>();
            var reader = new DataSetReader(new ReadOnlySequence<byte>(data, 0, split), isFinalBlock: false, new DataSetReaderState(syntax));
            while (reader.Read())
            {
                tokens.Add(DataSetReaderDriver.Describe(ref reader));
            }

            Assert.Null(reader.Error);
            int consumed = (int)reader.BytesConsumed;
            Assert.True(consumed <= split);
            reader = new DataSetReader(new ReadOnlySequence<byte>(data, consumed, data.Length - consumed), isFinalBlock: true, reader.CurrentState);
            while (reader.Read())
            {
                tokens.Add(DataSetReaderDriver.Describe(ref reader));
            }

            Assert.True(reader.Error is null, $"split {split}: {reader.Error}");
            Assert.True(expected.SequenceEqual(tokens), $"split {split}");
        }
    }

    [Fact]
    public void ReadDoesNotConsumeIncompleteElement()
    {
        byte[] data = Explicit(Ds.Text(0x00100010, "PN", "Doe^John"));
        for (int length = 0; length < data.Length; length++)
        {
            var reader = new DataSetReader(new ReadOnlySequence<byte>(data, 0, length), isFinalBlock: false, new DataSetReaderState(s_explicit));
            Assert.False(reader.Read());
            Assert.Null(reader.Error);
            Assert.Equal(0, reader.BytesConsumed);
            Assert.Equal(0, reader.CurrentState.Position);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(13)]
    [InlineData(4096)]
    public void Read_InChunks_GivesTheSameTokensAsWholeInput(int chunkSize)
    {
        byte[] data = Ds.Encode(Ds.Large(), explicitVR: true);
        Assert.Equal(DataSetReaderDriver.ReadAll(data, s_explicit), DataSetReaderDriver.ReadInChunks(data, s_explicit, chunkSize));
    }

    [Fact]
    public void LongValues_AreReportedAtTheirHeaderAndPassedOver()
    {
        byte[] data = Ds.Encode(Ds.Large(), explicitVR: true);
        List<string> whole = DataSetReaderDriver.ReadAll(data, s_explicit);
        List<string> streamed = DataSetReaderDriver.ReadInChunks(data, s_explicit, 1000, maxBufferedValueLength: 100);

        // Identical except that the 3 MiB value has no value bytes ("-"): it never had to be in one buffer.
        Assert.Equal(whole.Count, streamed.Count);
        int index = whole.FindIndex(t => t.StartsWith("Element (0028,1201)", StringComparison.Ordinal));
        Assert.EndsWith(" -", streamed[index], StringComparison.Ordinal);
        Assert.Equal(whole[index][..whole[index].LastIndexOf(' ')], streamed[index][..streamed[index].LastIndexOf(' ')]);
        for (int i = 0; i < whole.Count; i++)
        {
            if (i != index)
            {
                Assert.Equal(whole[i], streamed[i]);
            }
        }
    }

    [Fact]
    public void SkipRemainingValue_LetsTheCallerSeekPastALongValue()
    {
        byte[] data = Ds.Encode(Ds.Large(), explicitVR: true);
        var state = new DataSetReaderState(s_explicit, maxBufferedValueLength: 1024);
        var reader = new DataSetReader(new ReadOnlySequence<byte>(data, 0, 2000), false, state);
        while (reader.Read())
        {
            if (reader.TokenType == DataSetTokenType.Element && !reader.IsValueComplete)
            {
                break;
            }
        }

        Assert.Equal(new DicomTag(0x00281201), reader.Tag);
        state = reader.CurrentState;
        long valueStart = reader.ValueOffset;
        Assert.Equal(reader.Length, state.ValueBytesRemaining);
        long skipped = state.SkipRemainingValue();
        Assert.Equal(valueStart + skipped, state.Position);
        int next = (int)state.Position;
        reader = new DataSetReader(new ReadOnlySequence<byte>(data, next, data.Length - next), true, state);
        Assert.True(reader.Read());
        Assert.Equal("after", reader.GetString());
        Assert.False(reader.Read());
        Assert.Null(reader.Error);
    }

    // --- Hostile input ------------------------------------------------------------------------------------------

    [Fact]
    public void UndefinedLength_OnAVRThatCannotHaveIt_IsAnError()
    {
        byte[] ut = LongHeader(0x00081030, "UT", 0xFFFFFFFF);
        Assert.Equal("element (0008,1030) at offset 0: undefined length is not allowed for VR UT (PS3.5 §7.1.1)", ReadError(ut, s_explicit));
        byte[] ob = LongHeader(0x00420011, "OB", 0xFFFFFFFF); // OB of undefined length only as pixel data
        Assert.StartsWith("element (0042,0011) at offset 0: undefined length", ReadError(ob, s_explicit), StringComparison.Ordinal);
        byte[] us = Header(0x00280010, 0xFFFFFFFF); // implicit US
        Assert.StartsWith("element (0028,0010) at offset 0: undefined length is not allowed for VR US", ReadError(us, s_implicit), StringComparison.Ordinal);
    }

    [Fact]
    public void Lengths_PastTheirContainer_AreErrors()
    {
        // An item of defined length 12 holding an element whose value claims 100 bytes.
        byte[] item = [.. LongHeader(0x00081115, "SQ", 20), .. Header(0xFFFEE000, 12), 0x08, 0x00, 0x50, 0x11, (byte)'U', (byte)'I', 100, 0, 0, 0, 0, 0];
        Assert.Equal("element (0008,1150) at offset 20: length 100 runs past the end of the enclosing item of defined length at offset 32", ReadError(item, s_explicit));

        // An item longer than its sequence.
        byte[] sequence = [.. LongHeader(0x00081115, "SQ", 8), .. Header(0xFFFEE000, 8), .. new byte[8]];
        Assert.StartsWith("element (FFFE,E000) at offset 12: length 8 runs past the end of the enclosing sequence of defined length", ReadError(sequence, s_explicit), StringComparison.Ordinal);

        // A value past the end of the data.
        byte[] value = [.. LongHeader(0x7FE00010, "OW", 500000), 1, 2, 3, 4];
        Assert.Equal("element (7FE0,0010) at offset 0: length 500000 runs past the end of the data (16 bytes)", ReadError(value, s_explicit));
    }

    [Theory]
    [InlineData(4, null)]
    [InlineData(6, "element (0008,1150) at offset 20: length 6 runs past the end of the enclosing item of defined length at offset 32")]
    [InlineData(14, "element (0008,1150) at offset 20: length 14 runs past the end of the enclosing item of defined length at offset 32")]
    public void Length_IsCheckedExactlyAgainstTheEndOfItsItem(ushort length, string? expected)
    {
        // Sequence (12) + item (8) of length 12: room for an 8-byte header and 4 value bytes, then a top-level
        // element whose bytes a too-long value would swallow.
        byte[] data =
        [
            .. LongHeader(0x00081115, "SQ", 20), .. Header(0xFFFEE000, 12),
            0x08, 0x00, 0x50, 0x11, (byte)'U', (byte)'I', (byte)length, (byte)(length >> 8), (byte)'1', (byte)'.', (byte)'2', 0,
            .. Explicit(Ds.Text(0x00100010, "PN", "Doe^Jane"), Ds.Text(0x00100020, "LO", "ID"), Ds.Text(0x00100030, "DA", "20240101")),
        ];
        if (expected is null)
        {
            Assert.Equal(8, DataSetReaderDriver.ReadAll(data, s_explicit).Count); // 5 structure tokens, 3 elements
        }
        else
        {
            Assert.Equal(expected, ReadError(data, s_explicit));
        }
    }

    [Fact]
    public void UnbalancedDelimiters_AreErrors()
    {
        byte[] strayEnd = [.. Explicit(Ds.Text(0x00100010, "PN", "A^B")), .. Header(0xFFFEE0DD, 0)];
        Assert.StartsWith("element (FFFE,E0DD) at offset 12: this item or delimiter is not allowed here, in the top-level data set", ReadError(strayEnd, s_explicit), StringComparison.Ordinal);

        byte[] itemAtTop = Header(0xFFFEE000, 0);
        Assert.Contains("not allowed here", ReadError(itemAtTop, s_explicit), StringComparison.Ordinal);

        byte[] missingSequenceEnd = [.. LongHeader(0x00081115, "SQ", 0xFFFFFFFF), .. Header(0xFFFEE000, 0xFFFFFFFF), .. Header(0xFFFEE00D, 0)];
        Assert.Equal("element (0008,1115) at offset 0: the data set ends at offset 28 inside this sequence of undefined length", ReadError(missingSequenceEnd, s_explicit));

        byte[] missingItemEnd = [.. LongHeader(0x00081115, "SQ", 0xFFFFFFFF), .. Header(0xFFFEE000, 0xFFFFFFFF), .. Header(0xFFFEE0DD, 0)];
        Assert.Contains("not allowed here, in an item of undefined length", ReadError(missingItemEnd, s_explicit), StringComparison.Ordinal);

        byte[] itemEndInSequence = [.. LongHeader(0x00081115, "SQ", 0xFFFFFFFF), .. Header(0xFFFEE00D, 0)];
        Assert.Contains("in a sequence of undefined length", ReadError(itemEndInSequence, s_explicit), StringComparison.Ordinal);

        byte[] elementInSequence = [.. LongHeader(0x00081115, "SQ", 0xFFFFFFFF), .. Explicit(Ds.Text(0x00100010, "PN", "A^B"))];
        Assert.Contains("only an item (FFFE,E000) or a sequence delimiter may be here", ReadError(elementInSequence, s_explicit), StringComparison.Ordinal);

        byte[] delimiterWithLength = [.. LongHeader(0x00081115, "SQ", 0xFFFFFFFF), .. Header(0xFFFEE0DD, 4), 0, 0, 0, 0];
        Assert.Contains("has length 4 instead of 0", ReadError(delimiterWithLength, s_explicit), StringComparison.Ordinal);

        // An undefined-length sequence left open inside an item of defined length.
        byte[] openInside = [.. LongHeader(0x00081115, "SQ", 36), .. Header(0xFFFEE000, 28), .. LongHeader(0x00081140, "SQ", 0xFFFFFFFF), .. Header(0xFFFEE000, 0xFFFFFFFF), .. Header(0xFFFEE00D, 0), .. Explicit(Ds.Text(0x00100010, "PN", "A^B"))];
        Assert.StartsWith("element (0008,1140) at offset 20: this sequence of undefined length is still open", ReadError(openInside, s_explicit), StringComparison.Ordinal);

        byte[] fragmentUndefined = [.. LongHeader(0x7FE00010, "OB", 0xFFFFFFFF), .. Header(0xFFFEE000, 0xFFFFFFFF)];
        Assert.Contains("fragment must have a defined length", ReadError(fragmentUndefined, s_explicit), StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidExplicitVR_AndTruncatedHeaders_AreErrors()
    {
        byte[] badVR = [0x10, 0x00, 0x10, 0x00, (byte)'Z', (byte)'Z', 2, 0, 0x41, 0x20];
        Assert.Equal("element (0010,0010) at offset 0: the bytes 0x5A5A stand where the explicit VR should be (PS3.5 §7.1.2)", ReadError(badVR, s_explicit));
        Assert.Equal("at offset 0: the data ends 3 bytes into the element tag", ReadError([0x10, 0x00, 0x10], s_explicit));
        Assert.Equal("element (0010,0010) at offset 0: the data ends 7 bytes into the element header", ReadError([0x10, 0x00, 0x10, 0x00, (byte)'P', (byte)'N', 2], s_explicit));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Nesting_BeyondTheLimit_IsAnError(bool undefined)
    {
        byte[] atLimit = Ds.Encode(Ds.Nested(5, undefined), explicitVR: true);
        Assert.NotEmpty(DataSetReaderDriver.ReadAll(atLimit, s_explicit, maxDepth: 5));
        Assert.Contains("sequences are nested deeper than the limit of 4", ReadError(atLimit, s_explicit, maxDepth: 4), StringComparison.Ordinal);

        byte[] deep = Ds.Encode(Ds.Nested(DataSetReaderState.DefaultMaxDepth + 1, undefined), explicitVR: true);
        Assert.Contains("nested deeper than the limit of 64", ReadError(deep, s_explicit), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Read_TruncatedAtEveryOffsetInsideAnElement_FailsOnTheFinalBlock(bool explicitVR)
    {
        byte[] data = explicitVR ? RichExplicit() : RichImplicit();
        TransferSyntax syntax = explicitVR ? s_explicit : s_implicit;
        HashSet<int> boundaries = [.. Ds.TopLevelBoundaries(Ds.Rich(), explicitVR)];
        if (!explicitVR)
        {
            boundaries = [.. TopLevelBoundaries(data, syntax)];
        }

        for (int cut = 0; cut < data.Length; cut++)
        {
            var reader = new DataSetReader(new ReadOnlySequence<byte>(data, 0, cut), isFinalBlock: true, new DataSetReaderState(syntax));
            while (reader.Read())
            {
            }

            Assert.True(boundaries.Contains(cut) == (reader.Error is null), $"cut {cut}: {reader.Error}");
        }
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    [InlineData(false, 3)]
    [InlineData(false, 4)]
    public void Read_RandomlyCorruptedInput_NeverThrowsAndStops(bool explicitVR, int seed)
    {
        byte[] original = explicitVR ? RichExplicit() : RichImplicit();
        TransferSyntax syntax = explicitVR ? s_explicit : s_implicit;
        var random = new Random(seed);
        for (int round = 0; round < 2000; round++)
        {
            byte[] data = (byte[])original.Clone();
            for (int n = random.Next(1, 6); n > 0; n--)
            {
                int at = random.Next(data.Length);
                data[at] = random.Next(4) switch
                {
                    0 => 0xFF,
                    1 => 0x00,
                    _ => (byte)random.Next(256),
                };
            }

            int cut = random.Next(3) == 0 ? random.Next(data.Length) : data.Length;
            var reader = new DataSetReader(new ReadOnlySequence<byte>(data, 0, cut), isFinalBlock: true, new DataSetReaderState(syntax, maxBufferedValueLength: random.Next(2) == 0 ? int.MaxValue : 16));
            int tokens = 0;
            while (reader.Read())
            {
                Assert.True(++tokens < 10_000);
                if (reader.IsValueComplete)
                {
                    _ = reader.GetString();
                    reader.TryGetUInt32(out _);
                }
            }

            Assert.True(reader.Error is not null || reader.BytesConsumed == cut);
        }
    }

    private static List<int> TopLevelBoundaries(byte[] data, TransferSyntax syntax)
    {
        var result = new List<int> { 0 };
        var reader = new DataSetReader(new ReadOnlySequence<byte>(data), true, new DataSetReaderState(syntax));
        while (reader.Read())
        {
            if ((reader.TokenType == DataSetTokenType.Element && reader.CurrentDepth == 0) || (reader.TokenType == DataSetTokenType.SequenceEnd && reader.CurrentDepth == 0))
            {
                result.Add((int)reader.BytesConsumed);
            }
        }

        return result;
    }

    // --- Specific Character Set ---------------------------------------------------------------------------------

    [Fact]
    public void GetString_DecodesLatin1AndUtf8NamesPerSpecificCharacterSet()
    {
        byte[] latin1 = Explicit(
            new DsElement(0x00080005, "CS", "ISO_IR 100"u8.ToArray()),
            new DsElement(0x00100010, "PN", Encoding.Latin1.GetBytes("Müller^Jürgen ")));
        var reader = Reader(latin1, s_explicit);
        Assert.True(reader.Read());
        Assert.Equal(SpecificCharacterSet.Default, reader.CharacterSet);
        Assert.True(reader.Read());
        Assert.Equal(SpecificCharacterSet.IsoIr100, reader.CharacterSet);
        Assert.Equal("Müller^Jürgen", reader.GetString());

        byte[] utf8Name = Encoding.UTF8.GetBytes("山田^太郎=やまだ^たろう");
        byte[] utf8 = Explicit(
            new DsElement(0x00080005, "CS", "ISO_IR 192"u8.ToArray()),
            new DsElement(0x00100010, "PN", utf8Name.Length % 2 == 0 ? utf8Name : [.. utf8Name, (byte)' ']));
        reader = Reader(utf8, s_explicit);
        reader.Read();
        reader.Read();
        Assert.Equal(SpecificCharacterSet.IsoIr192, reader.CharacterSet);
        Assert.Equal("山田^太郎=やまだ^たろう", reader.GetString());
    }

    [Fact]
    public void UnrecognizedCharacterSet_DecodesAsLatin1AndIsFlagged()
    {
        byte[] data = Explicit(
            new DsElement(0x00080005, "CS", "ISO_IR 144"u8.ToArray()),
            new DsElement(0x00100010, "PN", [0xE0, 0xE1, 0x5E, 0x41]));
        var reader = Reader(data, s_explicit);
        reader.Read();
        reader.Read();
        Assert.Equal(SpecificCharacterSet.Unrecognized, reader.CharacterSet);
        Assert.Equal("àá^A", reader.GetString());
    }

    [Fact]
    public void CharacterSet_OfAnItem_AppliesInsideThatItemOnly()
    {
        // PS3.5 §7.5: a data set in an item may carry its own (0008,0005).
        byte[] data = Explicit(
            new DsElement(0x00080005, "CS", "ISO_IR 100"u8.ToArray()),
            Ds.Seq(0x00081115, false,
                Ds.Item(true, new DsElement(0x00080005, "CS", "ISO_IR 192"u8.ToArray()), new DsElement(0x00100010, "PN", Encoding.UTF8.GetBytes("Zoë^A"))),
                Ds.Item(false, new DsElement(0x00100010, "PN", Encoding.Latin1.GetBytes("Zoë^A ")))),
            new DsElement(0x00100010, "PN", Encoding.Latin1.GetBytes("Zoë^B ")));
        var names = new List<(string, SpecificCharacterSet)>();
        var reader = Reader(data, s_explicit);
        while (reader.Read())
        {
            if (reader.Tag == new DicomTag(0x00100010))
            {
                names.Add((reader.GetString(), reader.CharacterSet));
            }
        }

        Assert.Equal([("Zoë^A", SpecificCharacterSet.IsoIr192), ("Zoë^A", SpecificCharacterSet.IsoIr100), ("Zoë^B", SpecificCharacterSet.IsoIr100)], names);
    }

    [Fact]
    public void GetString_OfNonCharacterSetVRs_UsesTheDefaultRepertoire()
    {
        // (0008,0018) UI is not affected by (0008,0005): a UTF-8 set must not change how it decodes.
        byte[] data = Explicit(new DsElement(0x00080005, "CS", "ISO_IR 192"u8.ToArray()), new DsElement(0x00080060, "CS", [0x4D, 0xE9]));
        var reader = Reader(data, s_explicit);
        reader.Read();
        reader.Read();
        Assert.Equal("Mé", reader.GetString());
    }

    [Fact]
    public void State_CreatedWithoutAConstructor_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => new DataSetReader(ReadOnlySequence<byte>.Empty, true, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataSetReaderState(s_explicit, maxDepth: 0));
    }

    [Fact]
    public void EmptyInput_OnTheFinalBlock_IsAnEmptyDataSet()
    {
        var reader = Reader([], s_explicit);
        Assert.False(reader.Read());
        Assert.Null(reader.Error);
    }

    [Fact]
    public void InvalidData_NeverThrows_ForShortRandomInputs()
    {
        var random = new Random(42);
        foreach (TransferSyntax syntax in new[] { s_explicit, s_implicit, TransferSyntax.ExplicitVRBigEndian })
        {
            for (int round = 0; round < 5000; round++)
            {
                byte[] data = new byte[random.Next(0, 40)];
                random.NextBytes(data);
                var reader = new DataSetReader(new ReadOnlySequence<byte>(data), random.Next(2) == 0, new DataSetReaderState(syntax, maxDepth: 3));
                int tokens = 0;
                while (reader.Read())
                {
                    Assert.True(++tokens < 1000);
                }
            }
        }
    }

    [Fact]
    public void Error_IsKeptInTheState()
    {
        var reader = new DataSetReader(new ReadOnlySequence<byte>(Header(0xFFFEE000, 0)), true, new DataSetReaderState(s_explicit));
        Assert.False(reader.Read());
        DataSetReaderState state = reader.CurrentState;
        Assert.True(state.HasError);
        Assert.Equal(reader.Error, state.Error);
        var next = new DataSetReader(new ReadOnlySequence<byte>(Explicit(Ds.Text(0x00100010, "PN", "A^B"))), true, state);
        Assert.False(next.Read());
        Assert.Equal(reader.Error, next.Error);
        _ = Assert.Throws<InvalidDataException>(() => DataSetReaderDriver.ReadAll(Header(0xFFFEE000, 0), s_explicit));
    }
}
