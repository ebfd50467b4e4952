using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.Networking.Services;

namespace Embedded.Dicom.Networking.FunctionalTests;

/// <summary>Helpers of the C-FIND tests: objects on disk, associations with FIND contexts, reading identifiers.</summary>
internal static class QueryHarness
{
    public static readonly DicomTag PatientName = new(0x00100010);
    public static readonly DicomTag PatientId = new(0x00100020);
    public static readonly DicomTag StudyDate = new(0x00080020);
    public static readonly DicomTag StudyInstanceUid = new(0x0020000D);
    public static readonly DicomTag SeriesInstanceUid = new(0x0020000E);
    public static readonly DicomTag SopInstanceUid = new(0x00080018);
    public static readonly DicomTag Modality = new(0x00080060);
    public static readonly DicomTag ModalitiesInStudy = new(0x00080061);
    public static readonly DicomTag AccessionNumber = new(0x00080050);
    public static readonly DicomTag NumberOfStudyRelatedInstances = new(0x00201208);

    /// <summary>An acceptor that takes the FIND SOP classes (and Verification, Storage).</summary>
    public static AcceptorPolicy Policy(params DicomUid[] findClasses) => new()
    {
        AeTitle = AeTitle.Parse("QR-SCP"),
        IsAbstractSyntaxSupported = (in DicomUid uid) => Array.IndexOf(findClasses, uid) >= 0 || uid.Equals(Harness.Verification) || StorageSopClasses.Contains(uid.Span),
    };

    /// <summary>A request proposing each SOP class on its own context (IDs 1, 3, 5 …) in Explicit then Implicit VR LE.</summary>
    public static AAssociateRequest Request(params DicomUid[] sopClasses)
    {
        var request = new AAssociateRequest { CalledAeTitle = AeTitle.Parse("QR-SCP"), CallingAeTitle = AeTitle.Parse("TEST-SCU") };
        byte id = 1;
        foreach (DicomUid sopClass in sopClasses)
        {
            request.PresentationContexts.Add(new PresentationContextRequest(id, sopClass, QueryScu.TransferSyntaxes));
            id += 2;
        }

        request.UserInformation.MaximumLength = 16_384;
        request.UserInformation.ImplementationClassUid = Implementation.ClassUid;
        return request;
    }

    /// <summary>An SCP on in-memory pipes serving <paramref name="query"/>, and the requestor's association.</summary>
    public static async Task<(DicomAssociation Association, Task Server)> ConnectAsync(IQueryHandler query, IStorageHandler? storage = null, DicomUid[]? accepted = null,
        DicomUid[]? proposed = null, AssociationTimeouts? timeouts = null)
    {
        accepted ??= [QueryInformationModel.PatientRootFind, QueryInformationModel.StudyRootFind, QueryInformationModel.ModalityWorklistFind];
        proposed ??= accepted;
        var (client, server) = DuplexPipe.CreatePair();
        AcceptorPolicy policy = Policy(accepted);
        Task serving = Task.Run(async () =>
        {
            DicomAssociation? acceptor = await DicomAssociation.AcceptAsync(server, null, policy, timeouts ?? Harness.ShortTimeouts);
            if (acceptor is not null)
            {
                await new DicomServiceProvider(acceptor, storage, query).RunAsync();
            }
        });
        AAssociateRequest request = Request(proposed);
        request.PresentationContexts.Add(new PresentationContextRequest((byte)(2 * proposed.Length + 1), Harness.SecondaryCapture, [TransferSyntax.ExplicitVRLittleEndian.Uid]));
        DicomAssociation association = await Harness.WithTimeout(DicomAssociation.RequestAsync(client, null, request, timeouts ?? Harness.ShortTimeouts));
        return (association, serving);
    }

    /// <summary>The text values of a match's top-level elements, by tag (sequences as "[n items]").</summary>
    public static Dictionary<uint, string> Values(in QueryMatch match)
    {
        var values = new Dictionary<uint, string>();
        DataSetReader reader = match.CreateReader();
        int items = 0;
        uint sequence = 0;
        while (reader.Read())
        {
            if (reader.TokenType == DataSetTokenType.Element && reader.CurrentDepth == 0)
            {
                values[reader.Tag.Value] = reader.GetString();
            }
            else if (reader.TokenType == DataSetTokenType.SequenceStart && reader.CurrentDepth == 0)
            {
                sequence = reader.Tag.Value;
                items = 0;
            }
            else if (reader.TokenType == DataSetTokenType.ItemStart && reader.CurrentDepth == 1)
            {
                items++;
            }
            else if (reader.TokenType == DataSetTokenType.SequenceEnd && reader.CurrentDepth == 0)
            {
                values[sequence] = $"[{items} items]";
            }
            else if (reader.TokenType == DataSetTokenType.Element && reader.CurrentDepth == 1)
            {
                values[reader.Tag.Value] = reader.GetString(); // item elements flattened: tags are distinct in these tests
            }
        }

        Assert.Null(reader.Error);
        return values;
    }

    /// <summary>Runs a find and returns the matches' values and the result.</summary>
    public static async Task<(List<Dictionary<uint, string>> Matches, QueryResult Result)> FindAsync(DicomAssociation association, DicomUid model, QueryIdentifier identifier, ushort messageId = 1)
    {
        var matches = new List<Dictionary<uint, string>>();
        QueryResult result = await Harness.WithTimeout(QueryScu.FindAsync(association, model, identifier, messageId, (in QueryMatch match) =>
        {
            matches.Add(Values(match));
            return true;
        }));
        return (matches, result);
    }

    /// <summary>Writes a Part 10 file of a data set written by <paramref name="write"/> (Explicit VR LE), named after its SOP instance.</summary>
    public static string WriteObject(string directory, string sopInstance, Action<DataSetWriter> write, DicomUid? sopClass = null, string extension = ".dcm")
    {
        DicomUid sopClassUid = sopClass ?? Harness.SecondaryCapture;
        var body = new ArrayBufferWriter<byte>();
        write(new DataSetWriter(body, TransferSyntax.ExplicitVRLittleEndian));
        DicomUid instance = DicomUid.Parse(sopInstance);
        DicomUid syntax = TransferSyntax.ExplicitVRLittleEndian.Uid;
        int metaLength = Part10.GetFileMetaInformationLength(sopClassUid, instance, syntax, Implementation.ClassUid, "TEST"u8, []);
        byte[] file = new byte[metaLength + body.WrittenCount];
        Part10.WriteFileMetaInformation(file, sopClassUid, instance, syntax, Implementation.ClassUid, "TEST"u8, []);
        body.WrittenSpan.CopyTo(file.AsSpan(metaLength));
        string path = Path.Combine(directory, sopInstance + extension);
        File.WriteAllBytes(path, file);
        return path;
    }

    /// <summary>An image object of a patient/study/series, as a modality would store it.</summary>
    public static string WriteImage(string directory, string patientName, string patientId, string studyUid, string studyDate, string accession,
        string seriesUid, string modality, string sopInstance, SpecificCharacterSet charset = SpecificCharacterSet.Default)
        => WriteObject(directory, sopInstance, w =>
        {
            if (charset != SpecificCharacterSet.Default)
            {
                w.WriteSpecificCharacterSet(charset);
            }

            w.WriteUid(new DicomTag(0x00080016), Harness.SecondaryCapture);
            w.WriteUid(SopInstanceUid, DicomUid.Parse(sopInstance));
            w.WriteString(StudyDate, studyDate);
            w.WriteString(AccessionNumber, accession);
            w.WriteString(Modality, modality);
            w.WriteString(PatientName, patientName, charset);
            w.WriteString(PatientId, patientId);
            w.WriteUid(StudyInstanceUid, DicomUid.Parse(studyUid));
            w.WriteUid(SeriesInstanceUid, DicomUid.Parse(seriesUid));
        });
}

/// <summary>A query handler driven by the test: yields what the test tells it to, records what happened.</summary>
internal sealed class ScriptedQueryHandler(Func<QueryRequest, QueryResponder, CancellationToken, ValueTask<QueryCompletion>> find) : IQueryHandler
{
    public int Calls;

    public bool IsSupported(in DicomUid sopClassUid) => QueryInformationModel.GetModel(sopClassUid) != QueryModel.None;

    public ValueTask<QueryCompletion> FindAsync(QueryRequest request, QueryResponder responder, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        return find(request, responder, cancellationToken);
    }
}

/// <summary>
/// A retrieve handler that opens <paramref name="gate"/> once the SCP cancels the operation it selected files
/// for (its token is the one a C-CANCEL-RQ cancels, PS3.7 §9.3.4.3 / §9.3.3.3): a test that holds the
/// sub-operations on the gate sees the cancel before they go on, whatever the machine's speed.
/// </summary>
internal sealed class OpenGateOnCancel(IRetrieveHandler inner, ManualResetEventSlim gate) : IRetrieveHandler
{
    public ValueTask<QueryCompletion> SelectAsync(QueryModel model, TransferSyntax syntax, ReadOnlyMemory<byte> identifier, List<string> paths,
        CancellationToken cancellationToken)
    {
        cancellationToken.Register(gate.Set);
        return inner.SelectAsync(model, syntax, identifier, paths, cancellationToken);
    }
}
