using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using Embedded.Dicom.Networking;

namespace Embedded.Dicom.Interop.Tests.Harness;

/// <summary>Hand-encoded Explicit VR Little Endian data sets for the in-process SCU (PS3.5 §7.1.2).</summary>
internal static class ExplicitLittleEndian
{
    /// <summary>A small data set: SOP class and instance, patient name and ID.</summary>
    public static byte[] SmallDataSet(string sopClassUid, string sopInstanceUid)
    {
        var bytes = new List<byte>();
        Element(bytes, 0x0008, 0x0016, "UI", Encoding.ASCII.GetBytes(sopClassUid), 0);
        Element(bytes, 0x0008, 0x0018, "UI", Encoding.ASCII.GetBytes(sopInstanceUid), 0);
        Element(bytes, 0x0010, 0x0010, "PN", "Hostile^Uid"u8.ToArray(), (byte)' ');
        Element(bytes, 0x0010, 0x0020, "LO", "EDICOM-INTEROP"u8.ToArray(), (byte)' ');
        return bytes.ToArray();
    }

    /// <summary>
    /// The start of a data set whose last element is a pixel data (7FE0,0010) OW of <paramref name="pixelLength"/>
    /// bytes: the header only, the value is whatever the source sends after it.
    /// </summary>
    public static byte[] DataSetWithPixelHeader(string sopClassUid, string sopInstanceUid, uint pixelLength)
    {
        var bytes = new List<byte>(SmallDataSet(sopClassUid, sopInstanceUid));
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, 0x7FE0);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], 0x0010);
        header[4] = (byte)'O';
        header[5] = (byte)'W';
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], pixelLength);
        bytes.AddRange(header.ToArray());
        return bytes.ToArray();
    }

    private static void Element(List<byte> bytes, ushort group, ushort element, string vr, byte[] value, byte pad)
    {
        int length = value.Length + (value.Length & 1);
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
        header[4] = (byte)vr[0];
        header[5] = (byte)vr[1];
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)length);
        bytes.AddRange(header.ToArray());
        bytes.AddRange(value);
        if ((value.Length & 1) != 0)
        {
            bytes.Add(pad);
        }
    }
}

/// <summary>A data set held in memory.</summary>
internal sealed class ByteArraySource(byte[] data) : IDataSetSource
{
    private int _offset;

    public int Read(Span<byte> destination)
    {
        int count = Math.Min(destination.Length, data.Length - _offset);
        data.AsSpan(_offset, count).CopyTo(destination);
        _offset += count;
        return count;
    }
}

/// <summary>
/// Sends <paramref name="prefix"/> then zeros up to <paramref name="limit"/> bytes in total, then fails with an
/// <see cref="IOException"/> (a disk error in the middle of an object): the SCP has received part of a data set.
/// </summary>
internal sealed class FailingSource(byte[] prefix, long limit) : IDataSetSource
{
    private long _offset;

    public long Sent => _offset;

    public int Read(Span<byte> destination)
    {
        if (_offset >= limit)
        {
            throw new IOException("simulated read failure in the middle of the data set");
        }

        int count = (int)Math.Min(destination.Length, limit - _offset);
        Span<byte> target = destination[..count];
        target.Clear();
        if (_offset < prefix.Length)
        {
            int fromPrefix = (int)Math.Min(count, prefix.Length - _offset);
            prefix.AsSpan((int)_offset, fromPrefix).CopyTo(target);
        }

        _offset += count;
        return count;
    }
}

/// <summary>
/// Hands out <paramref name="limit"/> bytes, then blocks the sender inside Read until <see cref="Release"/>
/// (and then fails): the sender is stopped part-way while its association is still open, as a modality is
/// when it dies in the middle of an object.
/// </summary>
internal sealed class PausingSource(byte[] prefix, long limit) : IDataSetSource, IDisposable
{
    private readonly FailingSource _inner = new(prefix, limit);
    private readonly ManualResetEventSlim _released = new();

    public int Read(Span<byte> destination)
    {
        if (_inner.Sent >= limit)
        {
            _released.Wait(TimeSpan.FromSeconds(60));
            throw new IOException("the sender stopped in the middle of the data set");
        }

        return _inner.Read(destination);
    }

    public void Release() => _released.Set();

    public void Dispose() => _released.Dispose();
}
