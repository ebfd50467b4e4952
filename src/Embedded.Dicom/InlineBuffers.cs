using System.Runtime.CompilerServices;

namespace Embedded.Dicom;

// Fixed-size inline storage for the small string values of the command group, so that decoding a
// command set copies bytes into the message struct instead of allocating strings.

[InlineArray(64)]
internal struct InlineBytes64
{
    private byte _element0;
}

[InlineArray(16)]
internal struct InlineBytes16
{
    private byte _element0;
}

[InlineArray(DicomTagList.Capacity)]
internal struct InlineTags
{
    private uint _element0;
}
