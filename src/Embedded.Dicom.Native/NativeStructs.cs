using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Embedded.Dicom.Native;

// The C structs of include/edicom.h, field for field (LP64: x86-64 and AArch64). The C harness asserts the
// same sizes and offsets with static asserts; change both together and bump EDICOM_ABI_VERSION.

/// <summary>edicom_str: UTF-8 text as pointer + length (no terminator needed).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct EdicomStr
{
    public byte* Ptr;
    public nuint Len;

    public readonly bool IsEmpty => Ptr == null || Len == 0;

    public readonly ReadOnlySpan<byte> Span => Ptr == null ? default : new ReadOnlySpan<byte>(Ptr, checked((int)Len));

    public readonly string ToManaged(string what)
    {
        if (Ptr == null && Len != 0)
        {
            throw new ArgumentException($"{what}: NULL pointer with a non-zero length");
        }

        return Encoding.UTF8.GetString(Span);
    }
}

/// <summary>edicom_client_config (80 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ClientConfig
{
    public uint StructSize;
    public ushort Port;
    public ushort Reserved0;
    public EdicomStr Host;
    public EdicomStr CallingAe;
    public EdicomStr CalledAe;
    public uint MaxPdu;
    public uint ConnectTimeoutMs;
    public uint AcseTimeoutMs;
    public uint DimseTimeoutMs;
    public uint IdleTimeoutMs;
    public uint MaxOperationsInvoked;
}

/// <summary>edicom_result (80 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct OperationResult
{
    public const int ErrorCommentCapacity = 68;

    public int Code;
    public ushort Status;
    public byte StatusClass;
    public byte HasResponse;
    public ushort MessageId;
    public ushort Reserved;
    public fixed byte ErrorComment[ErrorCommentCapacity];
}

/// <summary>edicom_object_info (88 bytes), handed to the SCP's per-object callback.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ObjectInfo
{
    public EdicomStr SopClass;
    public EdicomStr SopInstance;
    public EdicomStr TransferSyntax;
    public EdicomStr CallingAe;
    public EdicomStr Path;
    public ulong Size;
}

/// <summary>edicom_scp_config (88 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ScpConfig
{
    public uint StructSize;
    public ushort Port;
    public ushort MaxOperationsInvoked;
    public EdicomStr AeTitle;
    public EdicomStr BindAddress;
    public EdicomStr OutputDirectory;
    public uint MaxPdu;
    public uint MaxAssociations;
    public delegate* unmanaged[Cdecl]<void*, EdicomStr*, EdicomStr*, int> Accept;
    public delegate* unmanaged[Cdecl]<void*, ObjectInfo*, ushort> OnObject;
    public void* User;
}

/// <summary>edicom_agent_status (80 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct AgentStatusNative
{
    public int Running;
    public int Held;
    public int Paused;
    public int WaitingForFlush;
    public int IntakeStopped;
    public uint Destinations;
    public uint DestinationsFailing;
    public uint AwaitingCommitment;
    public ulong QueueDepth;
    public long OldestAgeMs;
    public ulong Failed;
    public ulong Sent;
    public ulong Received;
    public ulong Quarantined;
}

/// <summary>edicom_input_state (40 bytes): a NUL-terminated name of at most 31 bytes and its state.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct InputStateNative
{
    public const int NameCapacity = 32;

    public fixed byte Name[NameCapacity];
    public int Active;
    public int Reserved;
}
