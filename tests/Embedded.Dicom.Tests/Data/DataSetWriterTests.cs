using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Tests.Data;

public class DataSetWriterTests
{
    private static readonly TransferSyntax s_explicit = TransferSyntax.ExplicitVRLittleEndian;
    private static readonly TransferSyntax s_implicit = TransferSyntax.ImplicitVRLittleEndian;

    private static byte[] Write(TransferSyntax syntax, Action<DataSetWriter> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(new DataSetWriter(output, syntax));
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Writes a model data set through the writer (fragments are not supported by it).</summary>
    private static void WriteNodes(DataSetWriter writer, IEnumerable<DsNode> nodes)
    {
        foreach (DsNode node in nodes)
        {
            switch (node)
            {
                case DsElement element:
                    writer.WriteElement(element.Tag, (ValueRepresentation)((element.Vr[0] << 8) | element.Vr[1]), element.Value);
                    break;
                case DsSequence sequence:
                    writer.WriteStartSequence(sequence.Tag, sequence.Undefined);
                    foreach (DsItem item in sequence.Items)
                    {
                        writer.WriteStartItem(item.Undefined);
                        WriteNodes(writer, item.Elements);
                        writer.WriteEndItem();
                    }

                    writer.WriteEndSequence();
                    break;
                default:
                    throw new NotSupportedException(node.ToString());
            }
        }
    }

    /// <summary>Every structure the writer makes, in ascending tag order: both length forms, nested, empty ones, odd values.</summary>
    private static DsNode[] Sample(bool undefinedOuter, bool undefinedInner) =>
    [
        new DsElement(0x00080005, "CS", "ISO_IR 100"u8.ToArray()),
        Ds.Uid(0x00080016, "1.2.840.10008.5.1.4.1.1.7"),
        Ds.Seq(0x00081110, undefinedOuter),
        Ds.Seq(0x00081115, undefinedOuter,
            Ds.Item(undefinedInner,
                Ds.Seq(0x00081140, undefinedInner,
                    Ds.Item(!undefinedInner, Ds.Uid(0x00081150, "1.2.3"), Ds.Uid(0x00081155, "1.2.3.4.5"))),
                Ds.Uid(0x0020000E, "1.2.3.4.5.6.8")),
            Ds.Item(undefinedOuter),
            Ds.Item(!undefinedOuter, Ds.Text(0x00100010, "PN", "Nested^Name"))),
        new DsElement(0x00091001, "OB", [1, 2, 3, 0]),
        Ds.Text(0x00100010, "PN", "Doe^John"),
        Ds.Text(0x00100020, "LO", "12345"),
        Ds.UShort(0x00280010, 512),
    ];

    // --- Golden bytes -----------------------------------------------------------------------------------------

    [Fact]
    public void WriteString_PatientNameExplicit_IsTheBytesOfPs35()
    {
        byte[] bytes = Write(s_explicit, w => w.WriteString(0x00100010, "DOE^JOHN"));
        Assert.Equal(new byte[] { 0x10, 0x00, 0x10, 0x00, 0x50, 0x4E, 0x08, 0x00, 0x44, 0x4F, 0x45, 0x5E, 0x4A, 0x4F, 0x48, 0x4E }, bytes);
    }

    [Fact]
    public void WriteString_PatientNameImplicit_HasAFourByteLengthAndNoVR()
    {
        byte[] bytes = Write(s_implicit, w => w.WriteString(0x00100010, "DOE^JOHN"));
        Assert.Equal(new byte[] { 0x10, 0x00, 0x10, 0x00, 0x08, 0x00, 0x00, 0x00, 0x44, 0x4F, 0x45, 0x5E, 0x4A, 0x4F, 0x48, 0x4E }, bytes);
    }

    [Fact]
    public void OddValues_ArePaddedWithTheByteOfTheirVR()
    {
        byte[] bytes = Write(s_explicit, w =>
        {
            w.WriteUid(0x00080018, "1.2.3");
            w.WriteString(0x00100020, "ABC");
            w.WriteTag(0x00280009, new DicomTag(0x00181063));
            w.WriteUInt16(0x00280010, 512);
            w.WriteElement(0x00420011, ValueRepresentation.OB, [1, 2, 3]);
        });
        Assert.Equal(
            new byte[]
            {
                0x08, 0x00, 0x18, 0x00, 0x55, 0x49, 0x06, 0x00, 0x31, 0x2E, 0x32, 0x2E, 0x33, 0x00,             // UI, NUL pad
                0x10, 0x00, 0x20, 0x00, 0x4C, 0x4F, 0x04, 0x00, 0x41, 0x42, 0x43, 0x20,                         // LO, space pad
                0x28, 0x00, 0x09, 0x00, 0x41, 0x54, 0x04, 0x00, 0x18, 0x00, 0x63, 0x10,                         // AT: group, element
                0x28, 0x00, 0x10, 0x00, 0x55, 0x53, 0x02, 0x00, 0x00, 0x02,                                     // US 512
                0x42, 0x00, 0x11, 0x00, 0x4F, 0x42, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x00, // OB long form, 0 pad
            },
            bytes);
    }

    [Fact]
    public void Sequences_HaveTheHeadersOfPs35Section75()
    {
        byte[] defined = Write(s_explicit, w =>
        {
            w.WriteStartSequence(0x00081115);
            w.WriteStartItem();
            w.WriteUid(0x00081150, "1.2");
            w.WriteEndItem();
            w.WriteEndSequence();
        });
        Assert.Equal(
            new byte[]
            {
                0x08, 0x00, 0x15, 0x11, 0x53, 0x51, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, // SQ, length 20
                0xFE, 0xFF, 0x00, 0xE0, 0x0C, 0x00, 0x00, 0x00,                         // item, length 12
                0x08, 0x00, 0x50, 0x11, 0x55, 0x49, 0x04, 0x00, 0x31, 0x2E, 0x32, 0x00,
            },
            defined);

        byte[] undefined = Write(s_implicit, w =>
        {
            w.WriteStartSequence(0x00081115, undefinedLength: true);
            w.WriteStartItem(undefinedLength: true);
            w.WriteEndItem();
            w.WriteEndSequence();
        });
        Assert.Equal(
            new byte[]
            {
                0x08, 0x00, 0x15, 0x11, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFE, 0xFF, 0x0D, 0xE0, 0x00, 0x00, 0x00, 0x00,
                0xFE, 0xFF, 0xDD, 0xE0, 0x00, 0x00, 0x00, 0x00,
            },
            undefined);
    }

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(true, false, true)]
    [InlineData(true, true, false)]
    [InlineData(true, true, true)]
    [InlineData(false, false, false)]
    [InlineData(false, false, true)]
    [InlineData(false, true, false)]
    [InlineData(false, true, true)]
    public void NestedSequences_MatchTheIndependentEncoder(bool explicitVR, bool undefinedOuter, bool undefinedInner)
    {
        DsNode[] nodes = Sample(undefinedOuter, undefinedInner);
        byte[] ours = Write(explicitVR ? s_explicit : s_implicit, w => WriteNodes(w, nodes));
        Assert.Equal(Ds.Encode(nodes, explicitVR), ours);
    }

    [Fact]
    public void WriteEmpty_UsesTheDictionaryVR()
    {
        byte[] bytes = Write(s_explicit, w =>
        {
            w.WriteEmpty(0x00081110);          // SQ: an empty sequence
            w.WriteEmpty(0x00100010);          // PN
            w.WriteEmpty(0x00291001);          // private, unknown: UN
            w.WriteEmpty(0x00321060, ValueRepresentation.LO);
        });
        Assert.Equal(
            new byte[]
            {
                0x08, 0x00, 0x10, 0x11, 0x53, 0x51, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                0x10, 0x00, 0x10, 0x00, 0x50, 0x4E, 0x00, 0x00,
                0x29, 0x00, 0x01, 0x10, 0x55, 0x4E, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                0x32, 0x00, 0x60, 0x10, 0x4C, 0x4F, 0x00, 0x00,
            },
            bytes);
    }

    // --- Round trips ------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WrittenDataSet_ReadsBackValueForValue(bool explicitVR)
    {
        TransferSyntax syntax = explicitVR ? s_explicit : s_implicit;
        byte[] bytes = Write(syntax, w =>
        {
            w.WriteSpecificCharacterSet(SpecificCharacterSet.IsoIr192);
            w.WriteUid(0x00080018, "1.2.826.0.1.3680043.2.1125.1");
            w.WriteStartSequence(0x00081115, undefinedLength: true);
            w.WriteStartItem();
            w.WriteStartSequence(0x00081140);
            w.WriteStartItem(undefinedLength: true);
            w.WriteUid(0x00081155, "1.2.3");
            w.WriteEndItem();
            w.WriteEndSequence();
            w.WriteEndItem();
            w.WriteEndSequence();
            w.WriteString(0x00100010, "Ἀριστοτέλης^Σ", SpecificCharacterSet.IsoIr192);
            w.WriteInt32(0x00186020, -3);
            w.WriteDouble(0x00189087, 1000.5);
            w.WriteSingle(0x00189089, 0.5f);  // FD in the dictionary; written as FL here, read as written
            w.WriteUInt16(0x00280010, 65535);
            w.WriteInt16(0x00280106, -1);
            w.WriteUInt32(0x00282000, 7);
        });

        var reader = new DataSetReader(new ReadOnlySequence<byte>(bytes), true, new DataSetReaderState(syntax));
        var seen = new List<string>();
        while (reader.Read())
        {
            string value = reader.TokenType != DataSetTokenType.Element ? "" : reader.Tag.Value switch
            {
                0x00189087 => reader.TryGetDouble(out double d) ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?",
                0x00186020 => reader.TryGetInt32(out int i) ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?",
                0x00189089 => reader.TryGetSingle(out float f) ? f.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?",
                0x00280106 => reader.TryGetInt16(out short s) ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?",
                0x00282000 => reader.TryGetUInt32(out uint u) ? u.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?",
                0x00280010 => reader.TryGetUInt16(out ushort us) ? us.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?",
                _ => reader.GetString(),
            };
            seen.Add($"{reader.CurrentDepth} {reader.TokenType} {reader.Tag} {value}".TrimEnd());
        }

        Assert.Null(reader.Error);
        Assert.Equal(
            [
                "0 Element (0008,0005) ISO_IR 192",
                "0 Element (0008,0018) 1.2.826.0.1.3680043.2.1125.1",
                "0 SequenceStart (0008,1115)",
                "1 ItemStart (FFFE,E000)",
                "1 SequenceStart (0008,1140)",
                "2 ItemStart (FFFE,E000)",
                "2 Element (0008,1155) 1.2.3",
                "2 ItemEnd (FFFE,E00D)",
                "1 SequenceEnd (FFFE,E0DD)",
                "1 ItemEnd (FFFE,E00D)",
                "0 SequenceEnd (FFFE,E0DD)",
                "0 Element (0010,0010) Ἀριστοτέλης^Σ",
                "0 Element (0018,6020) -3",
                "0 Element (0018,9087) 1000.5",
                "0 Element (0018,9089) 0.5",
                "0 Element (0028,0010) 65535",
                "0 Element (0028,0106) -1",
                "0 Element (0028,2000) 7",
            ],
            seen);
    }

    // --- Character sets -----------------------------------------------------------------------------------------

    [Fact]
    public void WriteString_EncodesLatin1AndUtf8()
    {
        byte[] latin1 = Write(s_explicit, w =>
        {
            w.WriteSpecificCharacterSet(SpecificCharacterSet.IsoIr100);
            w.WriteString(0x00100010, "Müller^Jürgen", SpecificCharacterSet.IsoIr100);
        });
        Assert.Equal([.. "\b\0\u0005\0CS\n\0ISO_IR 100"u8, 0x10, 0x00, 0x10, 0x00, 0x50, 0x4E, 0x0E, 0x00, .. Encoding.Latin1.GetBytes("Müller^Jürgen ")], latin1);

        byte[] utf8 = Write(s_explicit, w => w.WriteString(0x00100010, "Müller", SpecificCharacterSet.IsoIr192));
        Assert.Equal([0x10, 0x00, 0x10, 0x00, 0x50, 0x4E, 0x08, 0x00, .. "M\u00FCller "u8], utf8);
    }

    [Fact]
    public void WriteString_ForAVROutsideTheCharacterSetRule_StaysInTheDefaultRepertoire()
    {
        // (0008,0060) CS is not affected by (0008,0005) (PS3.5 §6.1.2.3): "é" is refused even with ISO_IR 100.
        var output = new ArrayBufferWriter<byte>();
        var writer = new DataSetWriter(output, s_explicit);
        Assert.Throws<ArgumentException>(() => writer.WriteString(0x00080060, "é", SpecificCharacterSet.IsoIr100));
        Assert.Equal(0, output.WrittenCount);
        writer.WriteString(0x00080060, "MR", SpecificCharacterSet.IsoIr100); // the failed call recorded no tag
        Assert.Equal(10, output.WrittenCount);
    }

    [Fact]
    public void WriteString_WithUnencodableCharacters_ThrowsBeforeWriting()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new DataSetWriter(output, s_explicit);
        Assert.Throws<ArgumentException>(() => writer.WriteString(0x00100010, "Müller"));                                     // default repertoire
        Assert.Throws<ArgumentException>(() => writer.WriteString(0x00100010, "€uro", SpecificCharacterSet.IsoIr100));        // not Latin-1
        Assert.Throws<ArgumentException>(() => writer.WriteString(0x00100010, "\uD800x", SpecificCharacterSet.IsoIr192));     // lone surrogate
        Assert.Throws<ArgumentException>(() => writer.WriteString(0x00100010, "x", SpecificCharacterSet.Unrecognized));
        Assert.Equal(0, output.WrittenCount);
    }

    // --- Misuse -----------------------------------------------------------------------------------------------

    [Fact]
    public void Elements_OutOfAscendingOrder_Throw()
    {
        var writer = new DataSetWriter(new ArrayBufferWriter<byte>(), s_explicit);
        writer.WriteString(0x00100020, "ID");
        Assert.Throws<InvalidOperationException>(() => writer.WriteString(0x00100010, "Doe^John"));
        Assert.Throws<InvalidOperationException>(() => writer.WriteString(0x00100020, "ID")); // a duplicate
        writer.WriteString(0x00100030, "20240101");

        // Each item is a data set of its own: order restarts inside it, and the sequence counts as its tag.
        writer.WriteStartSequence(0x00101002, undefinedLength: true);
        writer.WriteStartItem();
        writer.WriteString(0x00100020, "OTHER");
        Assert.Throws<InvalidOperationException>(() => writer.WriteString(0x00100010, "X"));
        writer.WriteEndItem();
        writer.WriteStartItem();
        writer.WriteString(0x00100010, "Y");
        writer.WriteEndItem();
        writer.WriteEndSequence();
        Assert.Throws<InvalidOperationException>(() => writer.WriteString(0x00101001, "Z"));
        Assert.Throws<InvalidOperationException>(() => writer.WriteStartSequence(0x00101002));
        writer.WriteString(0x00102160, "W");
    }

    [Fact]
    public void CallsThatDoNotFitTheStructure_Throw()
    {
        var writer = new DataSetWriter(new ArrayBufferWriter<byte>(), s_explicit);
        Assert.Throws<InvalidOperationException>(() => writer.WriteStartItem());
        Assert.Throws<InvalidOperationException>(() => writer.WriteEndItem());
        Assert.Throws<InvalidOperationException>(() => writer.WriteEndSequence());
        writer.WriteStartSequence(0x00081115);
        Assert.Equal(1, writer.CurrentDepth);
        Assert.Throws<InvalidOperationException>(() => writer.WriteUid(0x00081150, "1.2"));
        Assert.Throws<InvalidOperationException>(() => writer.WriteEndItem());
        writer.WriteStartItem();
        Assert.Throws<InvalidOperationException>(() => writer.WriteEndSequence());
        Assert.Throws<InvalidOperationException>(() => writer.WriteStartItem());
        writer.WriteEndItem();
        writer.WriteEndSequence();
        Assert.Equal(0, writer.CurrentDepth);
    }

    [Fact]
    public void BadArguments_Throw()
    {
        var writer = new DataSetWriter(new ArrayBufferWriter<byte>(), s_explicit);
        Assert.Throws<ArgumentException>(() => writer.WriteElement(0x00081115, ValueRepresentation.SQ, default));
        Assert.Throws<ArgumentException>(() => writer.WriteElement(0xFFFEE000, ValueRepresentation.OB, default));
        Assert.Throws<ArgumentException>(() => writer.WriteElement(0x00100010, ValueRepresentation.None, default));
        Assert.Throws<ArgumentException>(() => writer.WriteElement(0x00100010, (ValueRepresentation)0x5A5A, default));
        Assert.Throws<ArgumentException>(() => writer.WriteString(0x00291001, "x"));                          // not in the dictionary
        Assert.Throws<ArgumentException>(() => writer.WriteString(0x00280010, ValueRepresentation.US, "1"));  // not a text VR
        Assert.Throws<ArgumentException>(() => writer.WriteElement(0x00104000, ValueRepresentation.LT, new byte[65535])); // 65536 with padding
        Assert.Throws<ArgumentException>(() => new DataSetWriter(new ArrayBufferWriter<byte>(), TransferSyntax.ExplicitVRBigEndian));
        Assert.Throws<ArgumentException>(() => new DataSetWriter(new ArrayBufferWriter<byte>(), TransferSyntax.DeflatedExplicitVRLittleEndian));

        // 65534 bytes fit a 16-bit length; implicit VR has 32-bit lengths for every VR.
        writer.WriteElement(0x00104000, ValueRepresentation.LT, new byte[65534]);
        var implicitWriter = new DataSetWriter(new ArrayBufferWriter<byte>(), s_implicit);
        implicitWriter.WriteElement(0x00104000, ValueRepresentation.LT, new byte[70000]);
    }

    [Fact]
    public void DefinedLengthContainers_ReachTheOutputWhenTheOutermostEnds()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new DataSetWriter(output, s_explicit);
        writer.WriteUid(0x00080016, "1.2");
        Assert.Equal(12, output.WrittenCount);
        writer.WriteStartSequence(0x00081115);
        writer.WriteStartItem(undefinedLength: true);
        writer.WriteStartSequence(0x00081140);
        writer.WriteStartItem();
        writer.WriteElement(0x00081155, ValueRepresentation.UI, Encoding.ASCII.GetBytes(new string('7', 301)));
        writer.WriteEndItem();
        writer.WriteEndSequence();
        writer.WriteEndItem();
        Assert.Equal(12, output.WrittenCount); // all buffered: the outer sequence's length is not known yet
        writer.WriteEndSequence();
        Assert.Equal(12 + 12 + 8 + 12 + 8 + 8 + 302 + 8, output.WrittenCount);
        byte[] bytes = output.WrittenSpan.ToArray();
        Assert.Equal((uint)(8 + 12 + 8 + 8 + 302 + 8), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12 + 8)));  // outer SQ
        Assert.Equal((uint)(8 + 8 + 302), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12 + 12 + 8 + 8)));    // inner SQ

        // Reset starts a new data set and reuses the buffer.
        var second = new ArrayBufferWriter<byte>();
        writer.Reset(second);
        writer.WriteUid(0x00080016, "1.2");
        Assert.Equal(bytes[..12], second.WrittenSpan.ToArray());
    }
}
