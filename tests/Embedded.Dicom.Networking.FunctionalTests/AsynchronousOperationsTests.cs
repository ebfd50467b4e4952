using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;
using Embedded.Dicom.Networking.Dimse;
using Embedded.Dicom.Networking.Pdu;
using Embedded.Dicom.Networking.Services;

namespace Embedded.Dicom.Networking.FunctionalTests;

/// <summary>PS3.7 D.3.3.3: several C-STOREs in flight when the acceptor grants an asynchronous-operations window.</summary>
public class AsynchronousOperationsTests
{
    [Fact]
    public async Task StoreFiles_WithAWindowOfFour_SendsFourBeforeAnyResponseAndMatchesResponsesByMessageId()
    {
        string source = Harness.TempDirectory();
        var files = new List<(string, Part10FileInfo)>();
        for (int i = 0; i < 8; i++)
        {
            string path = Harness.WriteFile(source, $"1.2.3.50.{i + 1}", pixelBytes: 3000);
            files.Add((path, StorageScu.ReadFileInfo(path)));
        }

        var (client, server) = DuplexPipe.CreatePair();
        var policy = new AcceptorPolicy
        {
            AeTitle = AeTitle.Parse("STORE-SCP"),
            MaxOperationsInvoked = 4,
            IsAbstractSyntaxSupported = static (in DicomUid uid) => uid.Equals(Harness.SecondaryCapture),
        };

        // A scripted acceptor that reads four requests before it answers any (an SCU that waited for each
        // response would stall it until the DIMSE timeout), then answers them in reverse order.
        Task<int> scripted = Task.Run(async () =>
        {
            DicomAssociation acceptor = (await DicomAssociation.AcceptAsync(server, null, policy, Harness.ShortTimeouts))!;
            int answered = 0;
            while (answered < 8)
            {
                var batch = new List<(byte Context, CStoreRequest Request)>();
                for (int i = 0; i < 4; i++)
                {
                    DimseReceiveResult received = await acceptor.ReceiveAsync(null, TimeSpan.FromSeconds(5));
                    Assert.True(CStoreRequest.TryDecode(received.CommandSet.Span, out CStoreRequest request, out _));
                    batch.Add((received.PresentationContextId, request));
                }

                for (int i = batch.Count - 1; i >= 0; i--)
                {
                    acceptor.WriteCommand(batch[i].Context, CStoreResponse.CreateFor(batch[i].Request, i == 1 ? (ushort)0xA700 : (ushort)0x0000));
                    await acceptor.SendAsync();
                    answered++;
                }
            }

            DimseReceiveResult release = await acceptor.ReceiveAsync(null, TimeSpan.FromSeconds(5));
            Assert.Equal(DimseReceiveKind.ReleaseRequested, release.Kind);
            await acceptor.SendReleaseResponseAsync();
            return answered;
        });

        AAssociateRequest request = Harness.Request();
        request.UserInformation.AsynchronousOperationsWindow = new AsynchronousOperationsWindowSubItem(8, 1);
        DicomAssociation association = await Harness.WithTimeout(DicomAssociation.RequestAsync(client, null, request, Harness.ShortTimeouts));
        Assert.Equal(4, association.Negotiated.MaxOperationsInvoked);

        var results = new StoreResult?[8];
        var order = new List<int>();
        await Harness.WithTimeout(StorageScu.StoreFilesAsync(association, files, 1, (index, result, error) =>
        {
            Assert.Null(error);
            results[index] = result;
            order.Add(index);
        }));
        await association.ReleaseAsync();
        Assert.Equal(8, await Harness.WithTimeout(scripted));

        Assert.Equal([3, 2, 1, 0, 7, 6, 5, 4], order);
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal($"1.2.3.50.{i + 1}", results[i]!.SopInstanceUid);
            Assert.Equal(i % 4 == 1 ? 0xA700 : 0x0000, results[i]!.Status.Code);
        }
    }
}
