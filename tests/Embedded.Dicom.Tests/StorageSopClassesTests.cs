using System;
using System.Text;

namespace Embedded.Dicom.Tests;

public class StorageSopClassesTests
{
    [Theory]
    [InlineData("1.2.840.10008.5.1.4.1.1.2", "CT Image Storage")]
    [InlineData("1.2.840.10008.5.1.4.1.1.4", "MR Image Storage")]
    [InlineData("1.2.840.10008.5.1.4.1.1.7", "Secondary Capture Image Storage")]
    [InlineData("1.2.840.10008.5.1.4.1.1.2.1", "Enhanced CT Image Storage")]
    [InlineData("1.2.840.10008.5.1.4.1.1.481.5", "RT Plan Storage")]
    [InlineData("1.2.840.10008.5.1.4.1.1.1.1", "Digital X-Ray Image Storage - For Presentation")]
    [InlineData("1.2.840.10008.5.1.4.1.1.88.59", "Key Object Selection Document Storage")]
    [InlineData("1.2.840.10008.5.1.4.1.1.104.1", "Encapsulated PDF Storage")]
    [InlineData("1.2.840.10008.5.1.4.1.1.5", "Nuclear Medicine Image Storage (Retired)")]
    [InlineData("1.2.840.10008.5.1.1.27", "Stored Print Storage SOP Class (Retired)")]
    [InlineData("1.2.840.10008.5.1.4.45.1", "Implant Template Group Storage")]
    public void Contains_StorageSopClass_IsTrueWithItsName(string uid, string name)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(uid);

        Assert.True(StorageSopClasses.Contains(bytes));
        Assert.Equal(name, StorageSopClasses.GetName(bytes));
    }

    [Theory]
    [InlineData("1.2.840.10008.1.1")]            // Verification
    [InlineData("1.2.840.10008.1.20.1")]         // Storage Commitment Push Model
    [InlineData("1.2.840.10008.1.20.2")]         // Storage Commitment Pull Model (retired)
    [InlineData("1.2.840.10008.1.3.10")]         // Media Storage Directory Storage
    [InlineData("1.2.840.10008.5.1.4.1.2.2.1")]  // Study Root Q/R FIND
    [InlineData("1.2.840.10008.1.2.1")]          // a transfer syntax
    [InlineData("1.2.840.10008.5.1.4.1.1.2.")]   // CT with a trailing dot
    [InlineData("1.2.840.10008.5.1.4.1.1")]      // a prefix of the storage UIDs
    [InlineData("")]
    public void Contains_OtherUid_IsFalseWithoutName(string uid)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(uid);

        Assert.False(StorageSopClasses.Contains(bytes));
        Assert.Null(StorageSopClasses.GetName(bytes));
    }

    [Fact]
    public void Count_CoversTheAnnexBTable()
    {
        Assert.True(StorageSopClasses.Count > 100, $"only {StorageSopClasses.Count}");
    }

    [Fact]
    public void Contains_DoesNotAllocate()
    {
        ReadOnlySpan<byte> ct = "1.2.840.10008.5.1.4.1.1.2"u8;
        StorageSopClasses.Contains(ct);
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool all = true;
        for (int i = 0; i < 1000; i++)
        {
            all &= StorageSopClasses.Contains(ct);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(all);
    }
}
