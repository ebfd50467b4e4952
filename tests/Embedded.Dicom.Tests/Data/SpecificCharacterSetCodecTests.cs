using System;
using System.Text;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Tests.Data;

public class SpecificCharacterSetCodecTests
{
    [Theory]
    [InlineData("", SpecificCharacterSet.Default)]
    [InlineData("ISO_IR 6", SpecificCharacterSet.Default)]
    [InlineData("ISO 2022 IR 6", SpecificCharacterSet.Default)]
    [InlineData("ISO_IR 100", SpecificCharacterSet.IsoIr100)]
    [InlineData("ISO_IR 100 ", SpecificCharacterSet.IsoIr100)]
    [InlineData(" ISO_IR 100\0", SpecificCharacterSet.IsoIr100)]
    [InlineData("ISO 2022 IR 100", SpecificCharacterSet.IsoIr100)]
    [InlineData("ISO_IR 192", SpecificCharacterSet.IsoIr192)]
    [InlineData("iso_ir 192", SpecificCharacterSet.Unrecognized)]  // CS defined terms are upper case
    [InlineData("ISO_IR 144", SpecificCharacterSet.Unrecognized)]
    [InlineData("GB18030", SpecificCharacterSet.Unrecognized)]
    [InlineData("\\ISO 2022 IR 87", SpecificCharacterSet.Unrecognized)]
    [InlineData("ISO 2022 IR 6\\ISO 2022 IR 100", SpecificCharacterSet.Unrecognized)]
    public void Parse_NamesTheCharacterSet(string value, SpecificCharacterSet expected)
    {
        Assert.Equal(expected, SpecificCharacterSetCodec.Parse(Encoding.ASCII.GetBytes(value)));
    }

    [Fact]
    public void Decode_UsesLatin1ForDefaultLatin1AndUnrecognized_AndUtf8ForIsoIr192()
    {
        byte[] latin1 = Encoding.Latin1.GetBytes("Größe^Ådne");
        Assert.Equal("Größe^Ådne", SpecificCharacterSetCodec.Decode(latin1, SpecificCharacterSet.IsoIr100));
        Assert.Equal("Größe^Ådne", SpecificCharacterSetCodec.Decode(latin1, SpecificCharacterSet.Unrecognized));
        Assert.Equal("Größe^Ådne", SpecificCharacterSetCodec.Decode(latin1, SpecificCharacterSet.Default));
        Assert.Equal("Größe^Ådne", SpecificCharacterSetCodec.Decode(Encoding.UTF8.GetBytes("Größe^Ådne"), SpecificCharacterSet.IsoIr192));
        Assert.Equal("\uFFFD", SpecificCharacterSetCodec.Decode([0xFF], SpecificCharacterSet.IsoIr192)); // invalid UTF-8 never throws
    }

    [Theory]
    [InlineData("Doe^John", SpecificCharacterSet.Default, "446F655E4A6F686E")]
    [InlineData("Müller", SpecificCharacterSet.IsoIr100, "4DFC6C6C6572")]
    [InlineData("Müller", SpecificCharacterSet.IsoIr192, "4DC3BC6C6C6572")]
    [InlineData("山田", SpecificCharacterSet.IsoIr192, "E5B1B1E794B0")]
    [InlineData("😀", SpecificCharacterSet.IsoIr192, "F09F9880")]
    public void Encode_WritesTheBytesOfTheCharacterSet(string text, SpecificCharacterSet charset, string hex)
    {
        Assert.Equal(hex.Length / 2, SpecificCharacterSetCodec.GetByteCount(text, charset));
        byte[] buffer = new byte[hex.Length / 2];
        Assert.Equal(buffer.Length, SpecificCharacterSetCodec.Encode(text, charset, buffer));
        Assert.Equal(hex, Convert.ToHexString(buffer));
        Assert.Equal(text, SpecificCharacterSetCodec.Decode(buffer, charset));
    }

    [Theory]
    [InlineData("é", SpecificCharacterSet.Default)]
    [InlineData("€", SpecificCharacterSet.IsoIr100)]
    [InlineData("a", SpecificCharacterSet.Unrecognized)]
    public void Encode_OfCharactersOutsideTheSet_Throws(string text, SpecificCharacterSet charset)
    {
        Assert.Throws<ArgumentException>(() => SpecificCharacterSetCodec.GetByteCount(text, charset));
        Assert.Throws<ArgumentException>(() => SpecificCharacterSetCodec.Encode(text, charset, new byte[16]));
    }

    [Fact]
    public void Encode_OfALoneSurrogate_ThrowsForUtf8()
    {
        // Not as InlineData: test discovery would turn the lone surrogate into U+FFFD.
        string text = "ab" + (char)0xDC00;
        Assert.Throws<ArgumentException>(() => SpecificCharacterSetCodec.GetByteCount(text, SpecificCharacterSet.IsoIr192));
        Assert.Throws<ArgumentException>(() => SpecificCharacterSetCodec.Encode(text, SpecificCharacterSet.IsoIr192, new byte[16]));
    }

    [Fact]
    public void GetByteCount_OfLongUtf8Text_CountsEveryByte()
    {
        string text = new('ß', 1000); // two bytes each, more than one scratch buffer
        Assert.Equal(2000, SpecificCharacterSetCodec.GetByteCount(text, SpecificCharacterSet.IsoIr192));
        Assert.Throws<ArgumentException>(() => SpecificCharacterSetCodec.Encode(text, SpecificCharacterSet.IsoIr192, new byte[1999]));
    }

    [Fact]
    public void GetDefinedTerm_IsWhatParseReadsBack()
    {
        foreach (SpecificCharacterSet charset in new[] { SpecificCharacterSet.Default, SpecificCharacterSet.IsoIr100, SpecificCharacterSet.IsoIr192 })
        {
            Assert.Equal(charset, SpecificCharacterSetCodec.Parse(SpecificCharacterSetCodec.GetDefinedTerm(charset)));
        }

        Assert.Equal("ISO_IR 100", Encoding.ASCII.GetString(SpecificCharacterSetCodec.GetDefinedTerm(SpecificCharacterSet.IsoIr100)));
        Assert.Throws<ArgumentException>(() => SpecificCharacterSetCodec.GetDefinedTerm(SpecificCharacterSet.Unrecognized).Length);
    }

    [Fact]
    public void AppliesTo_TheVRsOfPs35Section6123()
    {
        Assert.All(new[] { ValueRepresentation.SH, ValueRepresentation.LO, ValueRepresentation.ST, ValueRepresentation.LT, ValueRepresentation.PN, ValueRepresentation.UC, ValueRepresentation.UT },
            vr => Assert.True(SpecificCharacterSetCodec.AppliesTo(vr)));
        Assert.All(new[] { ValueRepresentation.AE, ValueRepresentation.CS, ValueRepresentation.UI, ValueRepresentation.DA, ValueRepresentation.UR, ValueRepresentation.OB },
            vr => Assert.False(SpecificCharacterSetCodec.AppliesTo(vr)));
    }
}
