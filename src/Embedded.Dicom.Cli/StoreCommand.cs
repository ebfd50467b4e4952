using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking;
using Embedded.Dicom.Networking.Services;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Cli;

/// <summary>
/// <c>edicom store HOST PORT PATH... [--recursive]</c>: C-STORE (Storage SCU) of Part 10 files and folders on
/// one association; after a transport failure the next file goes on a fresh association.
/// </summary>
internal static class StoreCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var paths = new Argument<string[]>("path") { Description = "files or folders to send", Arity = ArgumentArity.OneOrMore };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "walk folders recursively" };
        var maxOps = new Option<int>("--max-ops") { Description = "C-STOREs to keep in flight when the peer grants an asynchronous-operations window", DefaultValueFactory = _ => 1 };
        var command = new Command("store", "send DICOM files with C-STORE");
        common.AddTo(command);
        command.Arguments.Add(paths);
        command.Options.Add(recursive);
        command.Options.Add(maxOps);
        command.SetAction((result, cancellationToken) => RunAsync(common.Read(result) with { MaxOperationsInvoked = Math.Clamp(result.GetValue(maxOps), 1, 64) },
            result.GetValue(paths)!, result.GetValue(recursive), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(DicomClientOptions options, string[] paths, bool recursive, CancellationToken cancellationToken)
    {
        var files = new List<(string Path, Part10FileInfo Info)>();
        int failed = 0;
        foreach (string file in Expand(paths, recursive))
        {
            try
            {
                files.Add((file, StorageScu.ReadFileInfo(file)));
            }
            catch (DicomNetworkException e)
            {
                failed++;
                Console.Error.WriteLine($"FAILED  {e.Message}");
            }
        }

        if (files.Count == 0)
        {
            Console.Error.WriteLine("edicom store: no DICOM file to send");
            return 1;
        }

        List<(DicomUid, DicomUid[])> contexts = Contexts(files);
        if (contexts.Count > 128)
        {
            Console.Error.WriteLine($"edicom store: {contexts.Count} SOP class/transfer syntax combinations exceed the 128 presentation contexts of one association");
            return 1;
        }

        bool progress = !Console.IsOutputRedirected;

        // One line per object; written through a buffer when redirected (one write() per line would cost more
        // than sending a small object), flushed per line on a terminal so progress shows.
        using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = progress };
        if (options.MaxOperationsInvoked > 1)
        {
            return await RunPipelinedAsync(options, files, failed, output, progress, cancellationToken).ConfigureAwait(false);
        }

        DicomAssociation? association = null;
        ushort messageId = 0;
        int stored = 0;
        try
        {
            for (int i = 0; i < files.Count; i++)
            {
                string path = files[i].Path;
                try
                {
                    if (association is null || !association.IsEstablished)
                    {
                        association = await DicomClient.ConnectAsync(options, contexts, cancellationToken).ConfigureAwait(false);
                    }

                    StoreResult result = await StorageScu.StoreFileAsync(association, path, files[i].Info, ++messageId, cancellationToken).ConfigureAwait(false);
                    string comment = result.ErrorComment is null ? "" : $" ({result.ErrorComment})";
                    string prefix = progress ? $"[{i + 1}/{files.Count}] " : "";
                    if (result.IsStored)
                    {
                        stored++;
                        output.WriteLine($"{prefix}OK      {result.Status}{comment}  {path}");
                    }
                    else
                    {
                        failed++;
                        output.WriteLine($"{prefix}FAILED  {result.Status}{comment}  {path}");
                    }
                }
                catch (DicomNetworkException e)
                {
                    failed++;
                    output.Flush();
                    Console.Error.WriteLine($"FAILED  {path}: {e.Message}");
                    if (e.Failure is DicomNetworkFailure.ConnectFailed or DicomNetworkFailure.AssociationRejected)
                    {
                        // Nothing will get through: count the rest as failed rather than retrying each.
                        failed += files.Count - i - 1;
                        break;
                    }
                }
            }
        }
        finally
        {
            if (association is { IsEstablished: true })
            {
                try
                {
                    await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (DicomNetworkException e)
                {
                    Console.Error.WriteLine($"edicom store: release failed: {e.Message}");
                }
            }
        }

        output.WriteLine($"C-STORE {options.Host}:{options.Port}: {stored} stored, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// --max-ops N: one association, up to the granted window of C-STOREs in flight (PS3.7 D.3.3.3). A peer that
    /// grants no window (DCMTK) gets them one at a time, as without the option.
    /// </summary>
    private static async Task<int> RunPipelinedAsync(DicomClientOptions options, List<(string Path, Part10FileInfo Info)> files, int failed,
        StreamWriter output, bool progress, CancellationToken cancellationToken)
    {
        List<(DicomUid, DicomUid[])> contexts = Contexts(files);
        int stored = 0;
        int done = 0;
        DicomAssociation association;
        try
        {
            association = await DicomClient.ConnectAsync(options, contexts, cancellationToken).ConfigureAwait(false);
        }
        catch (DicomNetworkException e)
        {
            Console.Error.WriteLine($"FAILED  {e.Message}");
            return 1;
        }

        try
        {
            await StorageScu.StoreFilesAsync(association, files, 1, (index, result, error) =>
            {
                done++;
                string prefix = progress ? $"[{done}/{files.Count}] " : "";
                if (result is { IsStored: true })
                {
                    stored++;
                    output.WriteLine($"{prefix}OK      {result.Status}{(result.ErrorComment is null ? "" : $" ({result.ErrorComment})")}  {files[index].Path}");
                }
                else
                {
                    failed++;
                    output.WriteLine(result is null
                        ? $"{prefix}FAILED  {error!.Message}"
                        : $"{prefix}FAILED  {result.Status}{(result.ErrorComment is null ? "" : $" ({result.ErrorComment})")}  {files[index].Path}");
                }
            }, cancellationToken).ConfigureAwait(false);
            await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DicomNetworkException e)
        {
            output.Flush();
            Console.Error.WriteLine($"FAILED  {e.Message}; {files.Count - done} object(s) not confirmed");
            failed += files.Count - done;
        }

        output.WriteLine($"C-STORE {options.Host}:{options.Port}: {stored} stored, {failed} failed (up to {association.Negotiated.MaxOperationsInvoked} in flight)");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// One presentation context per (SOP class, file transfer syntax), proposing that syntax and both
    /// uncompressed little-endian ones, so that any SCP can take the file (converted if need be).
    /// </summary>
    private static List<(DicomUid, DicomUid[])> Contexts(List<(string Path, Part10FileInfo Info)> files)
    {
        var contexts = new List<(DicomUid, DicomUid[])>();
        var seen = new HashSet<(DicomUid, DicomUid)>();
        foreach ((_, Part10FileInfo info) in files)
        {
            if (seen.Add((info.MediaStorageSopClassUid, info.TransferSyntaxUid)))
            {
                var syntaxes = new List<DicomUid> { info.TransferSyntaxUid };
                foreach (DicomUid uncompressed in (ReadOnlySpan<DicomUid>)[TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid])
                {
                    if (!syntaxes.Contains(uncompressed))
                    {
                        syntaxes.Add(uncompressed);
                    }
                }

                contexts.Add((info.MediaStorageSopClassUid, syntaxes.ToArray()));
            }
        }

        return contexts;
    }

    private static IEnumerable<string> Expand(string[] paths, bool recursive)
    {
        foreach (string path in paths)
        {
            if (Directory.Exists(path))
            {
                var files = new List<string>(Directory.EnumerateFiles(path, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly));
                files.Sort(StringComparer.Ordinal);
                foreach (string file in files)
                {
                    yield return file;
                }
            }
            else
            {
                yield return path;
            }
        }
    }
}
