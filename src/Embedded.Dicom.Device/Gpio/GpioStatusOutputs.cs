using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Device.Gpio;
using System.Linq;

namespace Embedded.Dicom.Device.Gpio;

/// <summary>Status outputs on lines of the same <see cref="GpioController"/> as the inputs.</summary>
internal sealed class GpioStatusOutputs : IStatusOutputs
{
    private readonly object _gate = new();
    private readonly GpioController _controller;
    private readonly OutputDefinition[] _outputs;
    private readonly FrozenDictionary<string, int> _indexByName;
    private readonly bool[] _on;
    private int _opened;
    private bool _disposed;

    public GpioStatusOutputs(GpioController controller, BoardProfile profile)
    {
        _controller = controller;
        _outputs = [.. profile.Outputs];
        _on = new bool[_outputs.Length];
        Names = [.. _outputs.Select(o => o.Name)];
        _indexByName = _outputs.Select((o, i) => (o.Name, i)).ToFrozenDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        foreach (OutputDefinition output in _outputs)
        {
            try
            {
                // Opened with the "off" level already latched, so an active-low relay does not click at start.
                _controller.OpenPin(output.Line, PinMode.Output, Level(output, false));
            }
            catch (Exception ex)
            {
                Dispose();
                throw new BoardOpenException($"board '{profile.Name}': output '{output.Name}': cannot open line {output.Line} as output: {ex.Message}", ex);
            }

            _opened++;
        }
    }

    public IReadOnlyList<string> Names { get; }

    public bool TrySet(string name, bool on)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_indexByName.TryGetValue(name, out int index))
        {
            return false;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _controller.Write(_outputs[index].Line, Level(_outputs[index], on));
            _on[index] = on;
            return true;
        }
    }

    public IReadOnlyDictionary<string, bool> Snapshot()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var snapshot = new Dictionary<string, bool>(_outputs.Length, StringComparer.Ordinal);
            for (int i = 0; i < _outputs.Length; i++)
            {
                snapshot.Add(_outputs[i].Name, _on[i]);
            }

            return snapshot;
        }
    }

    /// <summary>Switches every output off and releases its line.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            for (int i = 0; i < _opened; i++)
            {
                try
                {
                    _controller.Write(_outputs[i].Line, Level(_outputs[i], false));
                    _controller.ClosePin(_outputs[i].Line);
                }
                catch (Exception)
                {
                    // Best effort at shutdown: the controller releases whatever is left when it is disposed.
                }
            }
        }
    }

    private static PinValue Level(OutputDefinition output, bool on) => on != output.ActiveLow ? PinValue.High : PinValue.Low;
}
