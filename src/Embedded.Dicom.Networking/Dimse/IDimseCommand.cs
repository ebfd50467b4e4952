using System;
using System.Buffers;

namespace Embedded.Dicom.Networking.Dimse;

/// <summary>
/// What every generated DIMSE message offers, so that generic send and receive code works on any message
/// without boxing (constrained calls on a struct type parameter).
/// </summary>
/// <typeparam name="TSelf">The message type.</typeparam>
public interface IDimseCommand<TSelf> where TSelf : struct, IDimseCommand<TSelf>
{
    /// <summary>The (0000,0100) value of the message.</summary>
    static abstract CommandField CommandField { get; }

    /// <summary>Whether the message has a data set, PS3.7 §9.3 / §10.3.</summary>
    static abstract DataSetPresence DataSetPresence { get; }

    /// <summary>True when a data set follows this command set ((0000,0800) ≠ 0x0101).</summary>
    bool HasDataSet { get; }

    /// <summary>The length of the encoded command set, (0000,0000) included.</summary>
    int GetEncodedLength();

    /// <summary>Checks the values to encode: mandatory UI and AE values must not be empty.</summary>
    bool Validate(out CommandSetError error);

    /// <summary>Encodes the command set (Implicit VR LE, ascending tags, group length computed).</summary>
    bool TryWrite(Span<byte> destination, out int bytesWritten, out CommandSetError error);

    /// <summary>Encodes the command set into <paramref name="writer"/>; throws <see cref="InvalidOperationException"/> when <see cref="Validate"/> fails.</summary>
    void Write(IBufferWriter<byte> writer);

    /// <summary>Decodes a command set in one pass; never throws on hostile bytes.</summary>
    static abstract bool TryDecode(ReadOnlySpan<byte> commandSet, out TSelf message, out CommandSetError error);
}
