using System;

namespace Embedded.Dicom.Agent;

/// <summary>What a status input does to the agent.</summary>
public enum InputRuleKind
{
    /// <summary>"hold-while: INPUT": no network traffic while the input is active (e.g. during an exposure). Intake goes on.</summary>
    HoldWhile,

    /// <summary>"flush-on: INPUT": objects are kept until the input becomes active (e.g. study complete); then everything taken so far is sent.</summary>
    FlushOn,

    /// <summary>"pause-on: INPUT": while the input is active (e.g. service mode) the agent neither takes files nor sends.</summary>
    PauseOn,
}

/// <summary>One rule of the configuration's "rules" list.</summary>
/// <param name="Kind">The effect.</param>
/// <param name="Input">The status input's name (its role in the board profile).</param>
public sealed record InputRule(InputRuleKind Kind, string Input)
{
    /// <summary>Parses "hold-while: exposure-active" and the like.</summary>
    public static bool TryParse(string text, out InputRule? rule, out string? error)
    {
        rule = null;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string verb = colon < 0 ? text.Trim() : text[..colon].Trim();
        string input = colon < 0 ? "" : text[(colon + 1)..].Trim();
        InputRuleKind? kind = verb switch
        {
            "hold-while" => InputRuleKind.HoldWhile,
            "flush-on" => InputRuleKind.FlushOn,
            "pause-on" => InputRuleKind.PauseOn,
            _ => null,
        };
        if (kind is null)
        {
            error = $"unknown rule '{verb}' in '{text}' (hold-while, flush-on, pause-on)";
            return false;
        }

        if (input.Length == 0)
        {
            error = $"'{text}' names no input (expected '{verb}: INPUT')";
            return false;
        }

        rule = new InputRule(kind.Value, input);
        error = null;
        return true;
    }

    /// <summary>The rule as written in the configuration.</summary>
    public override string ToString() => $"{Kind switch { InputRuleKind.HoldWhile => "hold-while", InputRuleKind.FlushOn => "flush-on", _ => "pause-on" }}: {Input}";
}
