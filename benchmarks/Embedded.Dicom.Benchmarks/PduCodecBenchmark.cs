using System;
using System.Buffers;
using BenchmarkDotNet.Attributes;
using Embedded.Dicom.Benchmarks.Mocks;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.TestData;

namespace Embedded.Dicom.Benchmarks;

/// <summary>PS3.8 PDU framing and association PDUs over the golden bytes.</summary>
[MemoryDiagnoser]
public class PduCodecBenchmark
{
    private readonly NullBufferWriter _writer = new();
    private readonly byte[] _header = new byte[12];
    private readonly byte[] _fragment = new byte[16 * 1024];
    private ReadOnlySequence<byte> _pData;
    private ReadOnlySequence<byte> _associateRequest;
    private AAssociateRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pData = new ReadOnlySequence<byte>(PDataTfData.CEchoRequest.ToArray());
        _associateRequest = new ReadOnlySequence<byte>(AAssociateRequestData.MinimalVerification.ToArray());
        var reader = new SequenceReader<byte>(_associateRequest);
        PduReader.TryReadPdu(ref reader, PduLimits.Default, out _, out ReadOnlySequence<byte> body, out _);
        AAssociateRequest.TryRead(body, PduLimits.Default, out AAssociateRequest? request, out _);
        _request = request!;
    }

    [Benchmark(Baseline = true)]
    public int ReadPDataTfAndPdvs()
    {
        var reader = new SequenceReader<byte>(_pData);
        PduReader.TryReadPdu(ref reader, PduLimits.Default, out _, out ReadOnlySequence<byte> body, out _);
        var pdvs = new PresentationDataValueReader(body, PduLimits.Default);
        int length = 0;
        while (pdvs.TryRead(out PresentationDataValue pdv))
        {
            length += (int)pdv.Fragment.Length;
        }

        return length;
    }

    [Benchmark]
    public int WritePDataTfHeaders16K() => PDataTf.WriteSinglePdvHeader(_header, 1, 0x02, _fragment.Length);

    [Benchmark]
    public bool ReadAAssociateRequest()
    {
        var reader = new SequenceReader<byte>(_associateRequest);
        PduReader.TryReadPdu(ref reader, PduLimits.Default, out _, out ReadOnlySequence<byte> body, out _);
        return AAssociateRequest.TryRead(body, PduLimits.Default, out _, out _) == PduReadStatus.Done;
    }

    [Benchmark]
    public int WriteAAssociateRequest()
    {
        _request.Write(_writer);
        return _request.GetEncodedLength();
    }
}
