using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace Embedded.Dicom.Networking.Tests.Pdu;

/// <summary>Hand assembly of PDUs and items for hostile-input tests, independent of the encoder under test.</summary>
internal static class PduBytes
{
    public const string Verification = "1.2.840.10008.1.1";
    public const string ImplicitVrLittleEndian = "1.2.840.10008.1.2";
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string ApplicationContext = "1.2.840.10008.3.1.1.1";

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    public static byte[] Concat(params byte[][] parts)
    {
        var result = new List<byte>();
        foreach (byte[] part in parts)
        {
            result.AddRange(part);
        }

        return result.ToArray();
    }

    /// <summary>An item: type, second byte, u16 BE length of the joined parts, parts.</summary>
    public static byte[] Item(byte type, params byte[][] parts) => ItemWithHeaderByte(type, 0, parts);

    public static byte[] ItemWithHeaderByte(byte type, byte headerByte, params byte[][] parts)
    {
        byte[] value = Concat(parts);
        byte[] item = new byte[4 + value.Length];
        item[0] = type;
        item[1] = headerByte;
        BinaryPrimitives.WriteUInt16BigEndian(item.AsSpan(2), (ushort)value.Length);
        value.CopyTo(item, 4);
        return item;
    }

    /// <summary>An item whose length field says <paramref name="declaredLength"/> whatever follows.</summary>
    public static byte[] ItemWithLength(byte type, ushort declaredLength, params byte[][] parts)
    {
        byte[] item = Item(type, parts);
        BinaryPrimitives.WriteUInt16BigEndian(item.AsSpan(2), declaredLength);
        return item;
    }

    public static byte[] U16(int value)
    {
        byte[] bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
        return bytes;
    }

    public static byte[] U32(uint value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] Prefixed(byte[] value) => Concat(U16(value.Length), value);

    public static byte[] ApplicationContextItem() => Item(0x10, Ascii(ApplicationContext));

    public static byte[] PresentationContextRq(byte id, string abstractSyntax, params string[] transferSyntaxes)
    {
        var parts = new List<byte[]> { new byte[] { id, 0, 0, 0 }, Item(0x30, Ascii(abstractSyntax)) };
        foreach (string ts in transferSyntaxes)
        {
            parts.Add(Item(0x40, Ascii(ts)));
        }

        return Item(0x20, parts.ToArray());
    }

    public static byte[] MaximumLength(uint value) => Item(0x51, U32(value));

    public static byte[] UserInformation(params byte[][] subItems) =>
        Item(0x50, subItems.Length == 0 ? [MaximumLength(16384)] : subItems);

    /// <summary>A whole A-ASSOCIATE PDU: header, fixed part (called "ANY-SCP", calling "ECHOSCU"), then the items.</summary>
    public static byte[] Associate(byte pduType, params byte[][] items) =>
        AssociateWithTitles(pduType, Ascii("ANY-SCP".PadRight(16)), Ascii("ECHOSCU".PadRight(16)), items);

    public static byte[] AssociateWithTitles(byte pduType, byte[] called16, byte[] calling16, params byte[][] items)
    {
        byte[] body = Concat(U16(1), new byte[2], called16, calling16, new byte[32], Concat(items));
        return Concat(new byte[] { pduType, 0 }, U32((uint)body.Length), body);
    }

    /// <summary>A minimal valid A-ASSOCIATE-RQ with the given extra user-information sub-items after Maximum Length.</summary>
    public static byte[] RequestWithUserInformation(params byte[][] extraSubItems) =>
        Associate(
            0x01,
            ApplicationContextItem(),
            PresentationContextRq(1, Verification, ImplicitVrLittleEndian),
            Item(0x50, Concat(MaximumLength(16384), Concat(extraSubItems))));

    /// <summary>The body of a PDU (bytes after the 6-byte header).</summary>
    public static byte[] Body(byte[] pdu) => pdu.AsSpan(6).ToArray();
}
