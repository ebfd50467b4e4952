using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Embedded.Dicom.Agent;
using Embedded.Dicom.Agent.Control;

namespace Embedded.Dicom.Native.Exports;

/// <summary>
/// The store-and-forward agent from C: hand it objects (through its incoming folder, durably) and read its queue
/// and status inputs (through its control socket; a stopped agent's queue is read from its spool). The agent
/// itself runs as its own process (edicom agent, a systemd service), so a firmware crash never takes it down.
/// </summary>
internal static unsafe class AgentExports
{
    [UnmanagedCallersOnly(EntryPoint = "edicom_agent_enqueue_file", CallConvs = [typeof(CallConvCdecl)])]
    public static int EnqueueFile(EdicomStr* config, EdicomStr* path)
    {
        try
        {
            if (config == null || path == null)
            {
                return LastError.Set(NativeResult.InvalidArgument, "config and path must not be NULL");
            }

            _ = IncomingFolder.EnqueueFile(Load(config), path->ToManaged("path"));
            return NativeResult.Ok;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_agent_enqueue_memory", CallConvs = [typeof(CallConvCdecl)])]
    public static int EnqueueMemory(EdicomStr* config, EdicomStr* sopClass, EdicomStr* sopInstance, EdicomStr* transferSyntax, byte* data, nuint length)
    {
        try
        {
            if (config == null || sopClass == null || sopInstance == null || transferSyntax == null || (data == null && length != 0))
            {
                return LastError.Set(NativeResult.InvalidArgument, "config, sop_class, sop_instance and transfer_syntax must not be NULL, nor data with a length");
            }

            if (!DicomUid.TryCreate(sopClass->Span, out DicomUid cls) || !DicomUid.TryCreate(sopInstance->Span, out DicomUid instance) ||
                !DicomUid.TryCreate(transferSyntax->Span, out DicomUid syntax))
            {
                return LastError.Set(NativeResult.InvalidArgument, "a UID is longer than 64 bytes");
            }

            _ = IncomingFolder.EnqueueDataSet(Load(config), cls, instance, TransferSyntax.Lookup(syntax), new ReadOnlySpan<byte>(data, checked((int)length)));
            return NativeResult.Ok;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_agent_status_get", CallConvs = [typeof(CallConvCdecl)])]
    public static int GetStatus(EdicomStr* config, AgentStatusNative* status)
    {
        try
        {
            if (config == null || status == null)
            {
                return LastError.Set(NativeResult.InvalidArgument, "config and status must not be NULL");
            }

            AgentConfig loaded = Load(config);
            AgentStatus s = Query(loaded) ?? StoreForwardAgent.ReadOffline(loaded);
            var native = new AgentStatusNative
            {
                Running = s.Running ? 1 : 0,
                Held = s.Held ? 1 : 0,
                Paused = s.Paused ? 1 : 0,
                WaitingForFlush = s.WaitingForFlush ? 1 : 0,
                IntakeStopped = s.IntakeError is null ? 0 : 1,
                Destinations = (uint)s.Destinations.Count,
                QueueDepth = (ulong)s.QueueDepth,
                OldestAgeMs = s.OldestAgeSeconds is double age ? (long)(age * 1000) : -1,
                Received = (ulong)s.Received,
                Quarantined = (ulong)s.Quarantined,
            };
            foreach (DestinationStatus d in s.Destinations)
            {
                native.Failed += (ulong)d.Failed;
                native.Sent += (ulong)d.Sent;
                native.DestinationsFailing += d.ConsecutiveFailures > 0 ? 1u : 0u;
                native.AwaitingCommitment += (uint)d.AwaitingCommitment;
            }

            *status = native;
            return NativeResult.Ok;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "edicom_agent_inputs", CallConvs = [typeof(CallConvCdecl)])]
    public static int GetInputs(EdicomStr* config, InputStateNative* inputs, nuint capacity, nuint* count)
    {
        try
        {
            if (config == null || count == null || (inputs == null && capacity != 0))
            {
                return LastError.Set(NativeResult.InvalidArgument, "config and count must not be NULL, nor inputs with a capacity");
            }

            AgentStatus? s = Query(Load(config));
            if (s is null)
            {
                return LastError.Set(NativeResult.ConnectFailed, "no agent answers on its control socket: inputs are read by the running agent");
            }

            *count = (nuint)s.Inputs.Count;
            if ((nuint)s.Inputs.Count > capacity)
            {
                return LastError.Set(NativeResult.BufferTooSmall, $"the board has {s.Inputs.Count} inputs; capacity is {capacity}");
            }

            for (int i = 0; i < s.Inputs.Count; i++)
            {
                InputStateNative* entry = inputs + i;
                *entry = default;
                int written = Encoding.UTF8.GetBytes(s.Inputs[i].Name, new Span<byte>(entry->Name, InputStateNative.NameCapacity - 1));
                entry->Name[written] = 0;
                entry->Active = s.Inputs[i].Active ? 1 : 0;
            }

            return NativeResult.Ok;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    private static AgentConfig Load(EdicomStr* config) => AgentConfig.Load(config->ToManaged("config"));

    /// <summary>The running agent's status over its control socket, or null when none answers.</summary>
    private static AgentStatus? Query(AgentConfig config)
    {
        // Called on a firmware thread: blocking is what the C caller expects; there is no synchronization context.
        (bool Ok, string Body)? answer = AgentControl.SendAsync(config.ControlPath, "status").GetAwaiter().GetResult();
        return answer is { Ok: true } a ? StoreForwardAgent.FromJson(a.Body) : null;
    }

    private static int Fail(Exception e) => e switch
    {
        AgentConfigException config => LastError.Set(NativeResult.InvalidArgument, config.Message),
        AgentEnqueueException invalid => LastError.Set(NativeResult.LocalIo, invalid.Message),
        _ => LastError.Set(e),
    };
}
