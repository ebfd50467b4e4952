using System;
using System.Text;

namespace Embedded.Dicom.Tests;

public class DataDictionaryTests
{
    [Theory]
    [InlineData(0x00100010u, ValueRepresentation.PN, "PatientName")]
    [InlineData(0x7FE00010u, ValueRepresentation.OW, "PixelData")]               // "OB or OW": OW, as in implicit VR (PS3.5 A.1)
    [InlineData(0x00280010u, ValueRepresentation.US, "Rows")]
    [InlineData(0x00280106u, ValueRepresentation.US, "SmallestImagePixelValue")] // "US or SS": the first
    [InlineData(0x00281200u, ValueRepresentation.US, "GrayLookupTableData")]     // "US or SS or OW": the first
    [InlineData(0x00080016u, ValueRepresentation.UI, "SOPClassUID")]
    [InlineData(0x00081115u, ValueRepresentation.SQ, "ReferencedSeriesSequence")]
    [InlineData(0x00020010u, ValueRepresentation.UI, "TransferSyntaxUID")]
    [InlineData(0x00000900u, ValueRepresentation.US, "Status")]
    [InlineData(0x60000010u, ValueRepresentation.US, "OverlayRows")]            // 60xx repeating group
    [InlineData(0x601E3000u, ValueRepresentation.OW, "OverlayData")]
    [InlineData(0x50020005u, ValueRepresentation.US, "CurveDimensions")]        // 50xx repeating group
    [InlineData(0x00203105u, ValueRepresentation.CS, "SourceImageIDs")]         // 002031xx repeating element
    [InlineData(0x00020000u, ValueRepresentation.UL, "FileMetaInformationGroupLength")]
    public void GetVR_KnownTag_IsTheDictionaryVR(uint tag, ValueRepresentation vr, string keyword)
    {
        Assert.Equal(vr, DataDictionary.GetVR(tag));
        Assert.Equal(keyword, DataDictionary.GetKeyword(tag));
    }

    [Theory]
    [InlineData(0x00080000u)]
    [InlineData(0x00280000u)]
    [InlineData(0x00090000u)]
    [InlineData(0x12340000u)]
    public void GetVR_GroupLength_IsUL(uint tag)
    {
        Assert.Equal(ValueRepresentation.UL, DataDictionary.GetVR(tag));
    }

    [Theory]
    [InlineData(0x00090010u)]
    [InlineData(0x00290011u)]
    [InlineData(0x7FE100FFu)]
    public void GetVR_PrivateCreator_IsLO(uint tag)
    {
        Assert.Equal(ValueRepresentation.LO, DataDictionary.GetVR(tag));
        Assert.Equal("", DataDictionary.GetKeyword(tag));
    }

    [Theory]
    [InlineData(0x00091001u)]   // private data element
    [InlineData(0x00290100u)]   // private, just above the creator range
    [InlineData(0x0009000Fu)]   // private, below the creator range
    [InlineData(0x60013000u)]   // odd group: not an overlay
    [InlineData(0x60203000u)]   // overlay group beyond 601E (PS3.5 §7.6)
    [InlineData(0x00100011u)]   // unused public element
    [InlineData(0xFFFEE000u)]   // item
    [InlineData(0xFFFEE00Du)]   // item delimitation
    [InlineData(0xFFFEE0DDu)]   // sequence delimitation
    public void GetVR_UnknownPrivateOrItemTag_IsNone(uint tag)
    {
        Assert.Equal(ValueRepresentation.None, DataDictionary.GetVR(tag));
    }

    [Theory]
    [InlineData(0x00100011u)]   // unused public element
    [InlineData(0x00091001u)]   // private data element
    [InlineData(0x00090010u)]   // private creator
    [InlineData(0x00080000u)]   // group length outside the table
    [InlineData(0x12340000u)]
    [InlineData(0x60013000u)]   // odd group: not an overlay, although the 60xx mask matches it
    [InlineData(0x60203000u)]   // overlay group beyond 601E (PS3.5 §7.6)
    [InlineData(0x50203000u)]   // curve group beyond 501E
    [InlineData(0xFFFFFFFFu)]
    public void GetKeyword_UnknownOrPrivateTag_IsEmpty(uint tag)
    {
        Assert.Same(string.Empty, DataDictionary.GetKeyword(tag));
        Assert.True(DataDictionary.GetKeywordUtf8(tag).IsEmpty);
    }

    [Fact]
    public void GetKeyword_OfATableRowWithoutKeyword_IsEmpty()
    {
        // (0008,0202) is in PS3.6 (retired) but has no keyword; (0018,0061) likewise.
        Assert.Equal(ValueRepresentation.OB, DataDictionary.GetVR(0x00080202));
        Assert.Same(string.Empty, DataDictionary.GetKeyword(0x00080202));
        Assert.True(DataDictionary.GetKeywordUtf8(0x00180061).IsEmpty);
    }

    [Theory]
    [InlineData(0x00000000u, "CommandGroupLength")]     // first row of the table
    [InlineData(0xFFFEE0DDu, "SequenceDelimitationItem")] // last row of the table
    [InlineData(0x00100010u, "PatientName")]
    [InlineData(0x60020010u, "OverlayRows")]            // repeater
    [InlineData(0x7F100040u, "VariableCoefficientsSDDN")] // last repeater
    [InlineData(0x10003335u, "ShiftTableTriplet")]      // 1000xxx5 repeating element
    public void GetKeywordUtf8_IsTheAsciiOfGetKeyword(uint tag, string keyword)
    {
        Assert.Equal(keyword, DataDictionary.GetKeyword(tag));
        Assert.Equal(Encoding.ASCII.GetBytes(keyword), DataDictionary.GetKeywordUtf8(tag).ToArray());
    }

    [Fact]
    public void GetKeyword_SecondRequest_IsTheSameStringAndAllocatesNothing()
    {
        string first = DataDictionary.GetKeyword(0x00081115);
        string repeater = DataDictionary.GetKeyword(0x601E3000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        string second = DataDictionary.GetKeyword(0x00081115);
        string repeaterAgain = DataDictionary.GetKeyword(0x601E3000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Same(first, second);
        Assert.Same(repeater, repeaterAgain);
        Assert.Equal("ReferencedSeriesSequence", second);
        Assert.Equal("OverlayData", repeaterAgain);
    }

    [Fact]
    public void GetKeywordUtf8_NeverAllocates()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        int length = 0;
        for (uint element = 0; element < 0x100; element++)
        {
            // First requests included: the bytes come from the constant table.
            length += DataDictionary.GetKeywordUtf8(0x00200000 | element).Length;
        }

        length += DataDictionary.GetKeywordUtf8(0x60003000).Length + DataDictionary.GetKeywordUtf8(0x00091001).Length;
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, length);
    }

    [Fact]
    public void TryGetTag_AfterWarmUp_AllocatesNothing()
    {
        DataDictionary.TryGetTag("PatientName", out _);
        ReadOnlySpan<char> known = "ReferencedSeriesSequence";
        ReadOnlySpan<char> repeater = "OverlayData";
        ReadOnlySpan<char> unknown = "NoSuchKeyword";
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool foundKnown = DataDictionary.TryGetTag(known, out DicomTag knownTag);
        bool foundRepeater = DataDictionary.TryGetTag(repeater, out DicomTag repeaterTag);
        bool foundUnknown = DataDictionary.TryGetTag(unknown, out _);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(foundKnown);
        Assert.Equal(new DicomTag(0x00081115), knownTag);
        Assert.True(foundRepeater);
        Assert.Equal(new DicomTag(0x60003000), repeaterTag);
        Assert.False(foundUnknown);
    }

    [Fact]
    public void GetVRAndKeyword_DoNotAllocate()
    {
        DataDictionary.GetKeyword(0x00100010);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int length = 0;
        for (int i = 0; i < 1000; i++)
        {
            length += (int)DataDictionary.GetVR(0x00100010) + DataDictionary.GetKeyword(0x00100010).Length + (int)DataDictionary.GetVR(0x60020010);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, length);
    }
}
