using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Embedded.Dicom.Agent.Spool;

namespace Embedded.Dicom.Agent.Delivery;

/// <summary>
/// The input rules applied: whether destinations may send, whether intake runs, and up to which spool sequence
/// objects are released by flush-on. Inputs change on driver threads; readers take a consistent view under a lock.
/// </summary>
internal sealed class AgentGate
{
    private readonly object _lock = new();
    private readonly IReadOnlyList<InputRule> _rules;
    private readonly Dictionary<string, bool> _inputs = new(StringComparer.Ordinal);
    private readonly string _watermarkPath;
    private readonly Action<string> _log;
    private readonly bool _hasFlushRule;
    private long _watermark = -1; // sequences start at 0: nothing released before the first flush

    public AgentGate(IReadOnlyList<InputRule> rules, IReadOnlyDictionary<string, bool> initial, string spoolRoot, Action<string> log)
    {
        _rules = rules;
        _log = log;
        _watermarkPath = Path.Combine(spoolRoot, "flush-watermark");
        foreach ((string name, bool active) in initial)
        {
            _inputs[name] = active;
        }

        foreach (InputRule rule in rules)
        {
            _hasFlushRule |= rule.Kind == InputRuleKind.FlushOn;
        }

        // A flush released objects before a restart: they stay released (the watermark is durable).
        if (_hasFlushRule && File.Exists(_watermarkPath) &&
            long.TryParse(File.ReadAllText(_watermarkPath).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long saved))
        {
            _watermark = saved;
        }

        foreach (InputRule rule in rules)
        {
            if (rule.Kind != InputRuleKind.FlushOn && IsActive(rule.Input))
            {
                _log($"rule {rule}: {Effect(rule, true)} (input active at start)");
            }
        }
    }

    /// <summary>Raised after a rule changed the agent's behaviour.</summary>
    public event Action? Changed;

    /// <summary>A hold-while input is active: no network traffic.</summary>
    public bool Held => Any(InputRuleKind.HoldWhile);

    /// <summary>A pause-on input is active: no intake, no sending.</summary>
    public bool Paused => Any(InputRuleKind.PauseOn);

    /// <summary>Whether objects are released only by flush-on inputs.</summary>
    public bool HasFlushRule => _hasFlushRule;

    /// <summary>Objects with a spool sequence up to this may be sent (all of them when there is no flush-on rule).</summary>
    public long FlushWatermark
    {
        get
        {
            lock (_lock)
            {
                return _hasFlushRule ? _watermark : long.MaxValue;
            }
        }
    }

    /// <summary>Applies an input change (after debounce).</summary>
    /// <param name="name">The input.</param>
    /// <param name="active">Its new state.</param>
    /// <param name="spool">To read the last sequence at a flush.</param>
    public void OnInput(string name, bool active, ObjectSpool spool)
    {
        bool changed = false;
        lock (_lock)
        {
            if (_inputs.TryGetValue(name, out bool previous) && previous == active)
            {
                return;
            }

            _inputs[name] = active;
            foreach (InputRule rule in _rules)
            {
                if (rule.Input != name)
                {
                    continue;
                }

                if (rule.Kind == InputRuleKind.FlushOn)
                {
                    if (active)
                    {
                        // Everything taken up to now is released, including objects of the study that just completed.
                        _watermark = spool.LastSequence;
                        File.WriteAllText(_watermarkPath + ".tmp", _watermark.ToString(CultureInfo.InvariantCulture));
                        File.Move(_watermarkPath + ".tmp", _watermarkPath, overwrite: true);
                        _log($"rule {rule}: flush — releasing every object taken so far (up to #{_watermark})");
                        changed = true;
                    }
                }
                else
                {
                    _log($"rule {rule}: {Effect(rule, active)}");
                    changed = true;
                }
            }
        }

        if (changed)
        {
            Changed?.Invoke();
        }
    }

    private static string Effect(InputRule rule, bool active) => (rule.Kind, active) switch
    {
        (InputRuleKind.HoldWhile, true) => "holding network traffic (input active)",
        (InputRuleKind.HoldWhile, false) => "hold released (input inactive)",
        (InputRuleKind.PauseOn, true) => "pausing intake and delivery (input active)",
        _ => "resumed (input inactive)",
    };

    private bool IsActive(string input) => _inputs.TryGetValue(input, out bool active) && active;

    private bool Any(InputRuleKind kind)
    {
        lock (_lock)
        {
            foreach (InputRule rule in _rules)
            {
                if (rule.Kind == kind && IsActive(rule.Input))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
