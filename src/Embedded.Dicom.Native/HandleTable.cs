using System.Threading;

namespace Embedded.Dicom.Native;

/// <summary>
/// Opaque handles for C: a slot index and a generation packed in a uint64_t, so that a closed, forged or
/// stale handle is detected (EDICOM_E_INVALID_HANDLE) instead of dereferenced. 0 is never a valid handle.
/// </summary>
internal sealed class HandleTable<T> where T : class
{
    private const int Capacity = 1024;

    private readonly T?[] _items = new T?[Capacity];
    private readonly uint[] _generations = new uint[Capacity];
    private readonly Lock _lock = new();

    public ulong Add(T item)
    {
        lock (_lock)
        {
            for (int i = 0; i < Capacity; i++)
            {
                if (_items[i] is null)
                {
                    _items[i] = item;
                    uint generation = ++_generations[i];
                    return ((ulong)generation << 32) | (uint)(i + 1);
                }
            }
        }

        return 0;
    }

    public T? Get(ulong handle)
    {
        int index = (int)(uint)handle - 1;
        uint generation = (uint)(handle >> 32);
        if (index < 0 || index >= Capacity)
        {
            return null;
        }

        lock (_lock)
        {
            return _generations[index] == generation ? _items[index] : null;
        }
    }

    public T? Remove(ulong handle)
    {
        int index = (int)(uint)handle - 1;
        uint generation = (uint)(handle >> 32);
        if (index < 0 || index >= Capacity)
        {
            return null;
        }

        lock (_lock)
        {
            if (_generations[index] != generation || _items[index] is null)
            {
                return null;
            }

            T item = _items[index]!;
            _items[index] = null;
            return item;
        }
    }
}
