using System;
using System.Text;

namespace Embedded.Dicom.Tests;

public class TransferSyntaxTests
{
    public static TheoryData<string, string, bool, bool, bool, bool> WellKnown => new()
    {
        // uid, name, explicit VR, little endian, deflated, encapsulated
        { "1.2.840.10008.1.2", nameof(TransferSyntax.ImplicitVRLittleEndian), false, true, false, false },
        { "1.2.840.10008.1.2.1", nameof(TransferSyntax.ExplicitVRLittleEndian), true, true, false, false },
        { "1.2.840.10008.1.2.1.99", nameof(TransferSyntax.DeflatedExplicitVRLittleEndian), true, true, true, false },
        { "1.2.840.10008.1.2.2", nameof(TransferSyntax.ExplicitVRBigEndian), true, false, false, false },
        { "1.2.840.10008.1.2.4.50", nameof(TransferSyntax.JPEGBaseline8Bit), true, true, false, true },
        { "1.2.840.10008.1.2.4.70", nameof(TransferSyntax.JPEGLosslessSV1), true, true, false, true },
        { "1.2.840.10008.1.2.4.80", nameof(TransferSyntax.JPEGLSLossless), true, true, false, true },
        { "1.2.840.10008.1.2.4.90", nameof(TransferSyntax.JPEG2000Lossless), true, true, false, true },
        { "1.2.840.10008.1.2.5", nameof(TransferSyntax.RLELossless), true, true, false, true },
        { "1.2.840.10008.1.2.1.98", nameof(TransferSyntax.EncapsulatedUncompressedExplicitVRLittleEndian), true, true, false, true },
        { "1.2.840.10008.1.2.4.95", nameof(TransferSyntax.JPIPReferencedDeflate), true, true, true, true },
        { "1.2.840.10008.1.20", nameof(TransferSyntax.Papyrus3ImplicitVRLittleEndian), false, true, false, false },
    };

    [Theory]
    [MemberData(nameof(WellKnown))]
    public void Lookup_OfRegisteredUid_ReturnsSharedInstanceWithItsFlags(string uid, string property, bool explicitVR, bool littleEndian, bool deflated, bool encapsulated)
    {
        TransferSyntax syntax = TransferSyntax.Lookup(DicomUid.Parse(uid));

        Assert.Same(syntax, TransferSyntax.Lookup(DicomUid.Parse(uid)));
        Assert.Equal(uid, syntax.Uid.ToString());
        Assert.Equal(explicitVR, syntax.IsExplicitVR);
        Assert.Equal(littleEndian, syntax.IsLittleEndian);
        Assert.Equal(deflated, syntax.IsDeflated);
        Assert.Equal(encapsulated, syntax.IsEncapsulated);
        Assert.False(string.IsNullOrEmpty(syntax.Name));
        Assert.NotNull(property);
    }

    [Fact]
    public void StaticProperties_AreTheInstancesLookupReturns()
    {
        Assert.Same(TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.Lookup("1.2.840.10008.1.2"));
        Assert.Same(TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.Lookup("1.2.840.10008.1.2.1"));
        Assert.Same(TransferSyntax.DeflatedExplicitVRLittleEndian, TransferSyntax.Lookup("1.2.840.10008.1.2.1.99"));
        Assert.Same(TransferSyntax.ExplicitVRBigEndian, TransferSyntax.Lookup("1.2.840.10008.1.2.2"));
        Assert.Same(TransferSyntax.JPEGBaseline8Bit, TransferSyntax.Lookup("1.2.840.10008.1.2.4.50"));
        Assert.Same(TransferSyntax.JPEGLosslessSV1, TransferSyntax.Lookup("1.2.840.10008.1.2.4.70"));
        Assert.Same(TransferSyntax.JPEGLSLossless, TransferSyntax.Lookup("1.2.840.10008.1.2.4.80"));
        Assert.Same(TransferSyntax.JPEG2000Lossless, TransferSyntax.Lookup("1.2.840.10008.1.2.4.90"));
        Assert.Same(TransferSyntax.RLELossless, TransferSyntax.Lookup("1.2.840.10008.1.2.5"));
        Assert.Equal("Implicit VR Little Endian", TransferSyntax.ImplicitVRLittleEndian.Name);
        Assert.Equal("RLE Lossless", TransferSyntax.RLELossless.Name);
    }

    [Fact]
    public void Lookup_ToleratesNulPaddingOfTheUid()
    {
        Assert.True(DicomUid.TryCreate(Encoding.ASCII.GetBytes("1.2.840.10008.1.2.1\0"), out DicomUid padded));

        Assert.Same(TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.Lookup(padded));
    }

    [Fact]
    public void Lookup_OfUnknownUid_ReturnsNewExplicitLittleEndianEncapsulatedSyntax()
    {
        TransferSyntax syntax = TransferSyntax.Lookup("1.2.3.4.5.6.7");

        Assert.Equal("1.2.3.4.5.6.7", syntax.Uid.ToString());
        Assert.Equal("1.2.3.4.5.6.7", syntax.Name);
        Assert.True(syntax.IsExplicitVR);
        Assert.True(syntax.IsLittleEndian);
        Assert.False(syntax.IsDeflated);
        Assert.True(syntax.IsEncapsulated);
        Assert.Equal(syntax, TransferSyntax.Lookup("1.2.3.4.5.6.7"));
    }

    [Fact]
    public void Lookup_OfKnownUid_DoesNotAllocate()
    {
        DicomUid uid = "1.2.840.10008.1.2.4.90";
        TransferSyntax.Lookup(uid);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            TransferSyntax.Lookup(uid);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
