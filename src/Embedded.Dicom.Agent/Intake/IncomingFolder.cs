using System;
using System.IO;
using Embedded.Dicom.Agent.Spool;
using Embedded.Dicom.Data;
using Embedded.Dicom.Networking.Acse;

namespace Embedded.Dicom.Agent;

/// <summary>
/// Hands objects to an agent the way it expects them: a complete Part 10 file renamed into its incoming folder.
/// The object is validated first (the caller learns at once, not from the quarantine folder), written under a
/// hidden name, fsync'ed, renamed into place and the folder synced, so that once a call returns the object
/// survives a power cut and the agent takes it whether it runs now or later.
/// </summary>
public static class IncomingFolder
{
    /// <summary>Copies a Part 10 file into the agent's incoming folder; returns the name it was given there.</summary>
    /// <exception cref="AgentEnqueueException">Not a valid Part 10 object (the message says why).</exception>
    /// <exception cref="IOException">The incoming folder cannot be written.</exception>
    public static string EnqueueFile(AgentConfig config, string path)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!Intake.ObjectValidator.TryValidate(path, out ObjectDescription? description, out _, out string? reason))
        {
            throw new AgentEnqueueException(reason is null ? $"{path}: cannot be read" : $"{path}: {reason}");
        }

        return Write(config, description!.SopInstanceUid, temp =>
        {
            using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            input.CopyTo(output);
            output.Flush(flushToDisk: true);
        });
    }

    /// <summary>
    /// Writes a data set held in memory (no Part 10 header, already in <paramref name="transferSyntax"/>) as a Part 10
    /// file into the agent's incoming folder, with a meta group built from the three UIDs; returns its name there.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid UIDs or an odd length.</exception>
    /// <exception cref="AgentEnqueueException">A data set that does not parse.</exception>
    /// <exception cref="IOException">The incoming folder cannot be written.</exception>
    public static string EnqueueDataSet(AgentConfig config, DicomUid sopClass, DicomUid sopInstance, TransferSyntax transferSyntax, ReadOnlySpan<byte> dataSet)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!sopClass.IsValid || !sopInstance.IsValid)
        {
            throw new ArgumentException($"invalid SOP class '{sopClass}' or instance '{sopInstance}' UID (PS3.5 §9.1)");
        }

        if ((dataSet.Length & 1) != 0)
        {
            throw new ArgumentException($"data set length {dataSet.Length} is odd (PS3.5 §7.1: every value has even length)");
        }

        int metaLength = Part10.GetFileMetaInformationLength(sopClass, sopInstance, transferSyntax.Uid, Implementation.ClassUid, "EDICOM_0.1"u8, ReadOnlySpan<byte>.Empty);
        byte[] meta = new byte[metaLength];
        Part10.WriteFileMetaInformation(meta, sopClass, sopInstance, transferSyntax.Uid, Implementation.ClassUid, "EDICOM_0.1"u8, ReadOnlySpan<byte>.Empty);
        byte[] copy = dataSet.ToArray(); // the lambda below cannot capture a span
        string name = Write(config, sopInstance.ToString(), temp =>
        {
            using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            output.Write(meta);
            output.Write(copy);
            output.Flush(flushToDisk: true);
            output.Close();
            if (!Intake.ObjectValidator.TryValidate(temp, out _, out _, out string? reason))
            {
                throw new AgentEnqueueException(reason ?? "the written object cannot be read back");
            }
        });
        return name;
    }

    private static string Write(AgentConfig config, string sopInstance, Action<string> writeTemp)
    {
        string incoming = config.Resolve(config.Incoming);
        Directory.CreateDirectory(incoming);

        // Named after the SOP instance when it is a safe file name (digits and dots), else after its bytes in
        // hexadecimal: never a path, and two different instances never share a name (a hash could collide).
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(sopInstance);
        if (utf8.Length > DicomUid.MaxLength)
        {
            throw new AgentEnqueueException($"SOP Instance UID of {utf8.Length} bytes: at most {DicomUid.MaxLength} (PS3.5 §9.1)");
        }

        string name = IsDigitsAndDots(sopInstance) ? sopInstance + ".dcm" : "enqueued-" + Convert.ToHexStringLower(utf8) + ".dcm";
        string temp = Path.Combine(incoming, ".edicom-enqueue-" + Guid.NewGuid().ToString("N") + ".part");
        try
        {
            writeTemp(temp);
            File.Move(temp, Path.Combine(incoming, name), overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        Spool.Durable.SyncDirectory(incoming);
        return name;
    }

    private static bool IsDigitsAndDots(string value)
    {
        foreach (char c in value)
        {
            if (!(char.IsAsciiDigit(c) || c == '.'))
            {
                return false;
            }
        }

        return value.Length is > 0 and <= 64;
    }
}

/// <summary>An object handed to the agent is not valid; the message says why.</summary>
public sealed class AgentEnqueueException(string message) : Exception(message);
