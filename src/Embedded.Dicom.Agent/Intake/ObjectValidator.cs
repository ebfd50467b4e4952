using System;
using System.IO;
using Embedded.Dicom.Agent.Spool;
using Embedded.Dicom.Data;
using Microsoft.Win32.SafeHandles;

namespace Embedded.Dicom.Agent.Intake;

/// <summary>
/// Decides whether a file from the incoming folder is a DICOM object the agent can forward: a Part 10 file
/// (PS3.10 §7.1: preamble, "DICM", meta group) whose whole data set parses to its end in its transfer syntax
/// (a truncated or corrupt file is caught here, not at the PACS), with SOP Class and Instance UIDs present,
/// valid and equal to the meta group's.
/// </summary>
internal static class ObjectValidator
{
    private static readonly DicomTag[] s_capture = [new(0x0008, 0x0016), new(0x0008, 0x0018), new(0x0020, 0x000D)];

    /// <summary>The outcome: valid (description and info set), invalid (reason set), or unreadable right now (both null: try later).</summary>
    public static bool TryValidate(string path, out ObjectDescription? description, out Part10FileInfo? info, out string? reason)
    {
        description = null;
        info = null;
        reason = null;
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // vanished or not readable yet: not a verdict on the content
        }

        using (handle)
        {
            if (!Part10.TryReadFileMetaInformation(handle, out info, out string? error))
            {
                reason = $"not a DICOM Part 10 file: {error}";
                return false;
            }

            string?[] values = new string?[s_capture.Length];
            if (!DataSetScanner.TryScan(handle, info, s_capture, values, out error))
            {
                reason = $"data set does not parse: {error}";
                info = null;
                return false;
            }

            string metaClass = info.MediaStorageSopClassUid.ToString();
            string metaInstance = info.MediaStorageSopInstanceUid.ToString();
            if (!info.MediaStorageSopInstanceUid.IsValid || !info.MediaStorageSopClassUid.IsValid)
            {
                reason = $"meta group has no valid SOP Class/Instance UID (0002,0002)='{metaClass}' (0002,0003)='{metaInstance}'";
            }
            else if (values[1] is string instance && instance != metaInstance)
            {
                reason = $"(0008,0018) SOP Instance UID '{instance}' differs from the meta group's (0002,0003) '{metaInstance}'";
            }
            else if (values[0] is string sopClass && sopClass != metaClass)
            {
                reason = $"(0008,0016) SOP Class UID '{sopClass}' differs from the meta group's (0002,0002) '{metaClass}'";
            }
            else if (values[1] is null)
            {
                reason = "data set has no (0008,0018) SOP Instance UID";
            }

            if (reason is not null)
            {
                info = null;
                return false;
            }

            // The producer may not have fsync'ed its data: the spool's syncfs (same file system) or fsync'ed copy
            // (another one) makes it durable before the file is acknowledged.
            description = new ObjectDescription(metaInstance, metaClass, values[2] ?? "", info.TransferSyntaxUid.ToString(), Path.GetFileName(path));
            return true;
        }
    }
}
