using System;
using BenchmarkDotNet.Attributes;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.TestData;

namespace Embedded.Dicom.Benchmarks;

/// <summary>Generated command-set codecs: encode and decode of the messages a modality sends most.</summary>
[MemoryDiagnoser]
public class CommandSetCodecBenchmark
{
    private readonly byte[] _buffer = new byte[512];
    private byte[] _echoBytes = [];
    private byte[] _storeRequestBytes = [];
    private byte[] _storeResponseBytes = [];
    private CStoreRequest _storeRequest;
    private CStoreResponse _storeResponse;

    [GlobalSetup]
    public void Setup()
    {
        _echoBytes = CommandSetTestData.CEchoRequest.ToArray();
        _storeRequest = new CStoreRequest
        {
            MessageID = 1,
            AffectedSOPClassUID = CommandSetTestData.CTImageStorage,
            AffectedSOPInstanceUID = CommandSetTestData.SampleInstanceUid,
            Priority = 0,
        };
        _storeResponse = CStoreResponse.CreateFor(_storeRequest, 0);
        _storeRequest.TryWrite(_buffer, out int written, out _);
        _storeRequestBytes = _buffer.AsSpan(0, written).ToArray();
        _storeResponse.TryWrite(_buffer, out written, out _);
        _storeResponseBytes = _buffer.AsSpan(0, written).ToArray();
    }

    [Benchmark(Baseline = true)]
    public bool DecodeCEchoRequestGolden() => CEchoRequest.TryDecode(_echoBytes, out _, out _);

    [Benchmark]
    public int EncodeCStoreRequest()
    {
        _storeRequest.TryWrite(_buffer, out int written, out _);
        return written;
    }

    [Benchmark]
    public ushort DecodeCStoreRequest()
    {
        CStoreRequest.TryDecode(_storeRequestBytes, out CStoreRequest request, out _);
        return request.MessageID;
    }

    [Benchmark]
    public int EncodeCStoreResponse()
    {
        _storeResponse.TryWrite(_buffer, out int written, out _);
        return written;
    }

    [Benchmark]
    public ushort DecodeCStoreResponse()
    {
        CStoreResponse.TryDecode(_storeResponseBytes, out CStoreResponse response, out _);
        return response.Status;
    }
}
