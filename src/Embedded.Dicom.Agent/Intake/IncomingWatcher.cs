using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Agent.Delivery;
using Embedded.Dicom.Agent.Spool;
using Embedded.Dicom.Data;

namespace Embedded.Dicom.Agent.Intake;

/// <summary>
/// Takes complete files from the incoming folder (and its subfolders) into the spool. A file is complete when it
/// has kept its size and modification time for the settle time (writers that rename into place can use a settle
/// time of 0). Hidden names and .part/.tmp/.partial are never taken. inotify (FileSystemWatcher) wakes the scan;
/// a periodic rescan catches what inotify drops (its queue overflows under bursts).
/// </summary>
internal sealed class IncomingWatcher : IDisposable
{
    private const int BatchSize = 64;
    private readonly AgentConfig _config;
    private readonly ObjectSpool _spool;
    private readonly AgentGate _gate;
    private readonly Action<string> _log;
    private readonly Action<string>? _trace;
    private readonly string _incoming;
    private readonly string _quarantine;
    private readonly bool _sameFileSystem;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Dictionary<string, (long Length, DateTime Modified, long SeenAt)> _candidates = new(StringComparer.Ordinal);
    private readonly FileSystemWatcher? _watcher;
    private string? _error;

    public IncomingWatcher(AgentConfig config, ObjectSpool spool, AgentGate gate, Action<string> log, Action<string>? trace)
    {
        _trace = trace;
        _config = config;
        _spool = spool;
        _gate = gate;
        _log = log;
        _incoming = config.Resolve(config.Incoming);
        _quarantine = config.Resolve(config.Quarantine);
        Directory.CreateDirectory(_incoming);
        Directory.CreateDirectory(_quarantine);
        _sameFileSystem = Durable.SameFileSystem(_incoming, spool.Root);
        if (!_sameFileSystem)
        {
            _log($"intake: {_incoming} and the spool are on different file systems; files are copied (fsync'ed) instead of renamed");
        }

        try
        {
            _watcher = new FileSystemWatcher(_incoming) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName };
            _watcher.Created += (_, _) => Wake();
            _watcher.Changed += (_, _) => Wake();
            _watcher.Renamed += (_, _) => Wake();
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException)
        {
            _log($"intake: no inotify watch ({e.Message}); scanning every {_config.ScanIntervalMs} ms");
        }
    }

    /// <summary>Files taken since start.</summary>
    public long Received { get; private set; }

    /// <summary>Files quarantined since start.</summary>
    public long Quarantined { get; private set; }

    /// <summary>Why intake is stopped, or null.</summary>
    public string? Error => Volatile.Read(ref _error);

    public void Wake()
    {
        try
        {
            lock (_wake)
            {
                if (_wake.CurrentCount == 0)
                {
                    _wake.Release();
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // An inotify event raced with shutdown: nothing left to wake (and no exception may escape the watcher's thread).
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait = TimeSpan.FromMilliseconds(_config.ScanIntervalMs);
            if (!_gate.Paused)
            {
                TimeSpan? sooner = ScanOnce();
                if (sooner is TimeSpan s && s < wait)
                {
                    wait = s;
                }
            }

            try
            {
                await _wake.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One pass: takes every settled file; returns when the next unsettled one may be ready.</summary>
    internal TimeSpan? ScanOnce()
    {
        long now = Environment.TickCount64;
        var ready = new List<(string Path, DateTime Modified)>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        TimeSpan? next = null;
        foreach (string path in Enumerate(_incoming))
        {
            FileInfo file;
            try
            {
                file = new FileInfo(path);
                if (!file.Exists)
                {
                    continue;
                }
            }
            catch (IOException)
            {
                continue;
            }

            present.Add(path);
            (long length, DateTime modified) = (file.Length, file.LastWriteTimeUtc);
            if (!_candidates.TryGetValue(path, out var seen) || seen.Length != length || seen.Modified != modified)
            {
                _candidates[path] = (length, modified, now);
                seen = _candidates[path];
            }

            long settledFor = now - seen.SeenAt;
            if (_config.SettleMs == 0 || settledFor >= _config.SettleMs)
            {
                ready.Add((path, modified));
            }
            else
            {
                TimeSpan left = TimeSpan.FromMilliseconds(_config.SettleMs - settledFor);
                next = next is null || left < next ? left : next;
            }
        }

        foreach (string gone in new List<string>(_candidates.Keys))
        {
            if (!present.Contains(gone))
            {
                _candidates.Remove(gone);
            }
        }

        // Oldest first: a modality writes a study in order, and spool order is delivery order.
        ready.Sort((a, b) => a.Modified != b.Modified ? a.Modified.CompareTo(b.Modified) : string.CompareOrdinal(a.Path, b.Path));
        var batch = new List<(string, ObjectDescription, Part10FileInfo)>(BatchSize);
        foreach ((string path, _) in ready)
        {
            if (_gate.Paused)
            {
                break;
            }

            if (ObjectValidator.TryValidate(path, out ObjectDescription? description, out Part10FileInfo? info, out string? reason))
            {
                batch.Add((path, description!, info!));
                if (batch.Count == BatchSize && !Commit(batch))
                {
                    return null;
                }
            }
            else if (reason is not null)
            {
                Quarantine(path, reason);
            }
        }

        if (!Commit(batch) && next is null)
        {
            return TimeSpan.FromMilliseconds(_config.ScanIntervalMs);
        }

        return next;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _wake.Dispose();
    }

    private bool Commit(List<(string, ObjectDescription, Part10FileInfo)> batch)
    {
        if (batch.Count == 0 && _spool.StagedCount == 0)
        {
            return true;
        }

        try
        {
            IReadOnlyList<SpoolObject> taken = _spool.Ingest(batch, _sameFileSystem);
            if (_trace is not null)
            {
                foreach (SpoolObject item in taken)
                {
                    _trace($"intake: took {item.Description.SourceName} as #{item.Sequence} ({item.Description.SopInstanceUid})");
                }
            }

            Received += taken.Count;
            if (_error is not null)
            {
                _log("intake: resumed");
                Volatile.Write(ref _error, null);
            }

            batch.Clear();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Typically ENOSPC. Nothing already queued is touched; the files not yet taken stay in the incoming
            // folder (a copy that failed is removed), and intake tries again at the next scan.
            string error = $"spool {_spool.Root}: {e.Message}; intake stopped, {batch.Count} file(s) left in {_incoming}";
            if (error != _error)
            {
                _log("intake: " + error);
            }

            Volatile.Write(ref _error, error);
            batch.Clear();
            return false;
        }
    }

    private void Quarantine(string path, string reason)
    {
        string name = Path.GetFileName(path);
        string target = Path.Combine(_quarantine, name);
        for (int i = 1; File.Exists(target) || File.Exists(target + ".reason.txt"); i++)
        {
            target = Path.Combine(_quarantine, $"{name}.{i.ToString(CultureInfo.InvariantCulture)}");
        }

        try
        {
            // Reason first: a file in quarantine always has its reason beside it.
            File.WriteAllText(target + ".reason.txt", $"{DateTimeOffset.UtcNow:O} {path}: {reason}\n");
            Durable.Move(path, target, _quarantine, Durable.SameFileSystem(path, _quarantine));
            Durable.SyncDirectory(_quarantine);
            Durable.SyncDirectory(Path.GetDirectoryName(path)!);
            _candidates.Remove(path);
            Quarantined++;
            _log($"intake: QUARANTINED {path}: {reason}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log($"intake: cannot quarantine {path} ({reason}): {e.Message}");
        }
    }

    private static IEnumerable<string> Enumerate(string root)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden, ReturnSpecialDirectories = false };
        IEnumerator<string> files;
        try
        {
            files = Directory.EnumerateFiles(root, "*", options).GetEnumerator();
        }
        catch (IOException)
        {
            yield break;
        }

        using (files)
        {
            while (true)
            {
                try
                {
                    if (!files.MoveNext())
                    {
                        yield break;
                    }
                }
                catch (IOException)
                {
                    yield break;
                }

                string path = files.Current;
                string name = Path.GetFileName(path);
                if (name.StartsWith('.') || path.Contains("/.", StringComparison.Ordinal) ||
                    name.EndsWith(".part", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase) ||
                    name.EndsWith(".partial", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                yield return path;
            }
        }
    }
}
