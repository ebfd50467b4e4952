using System;
using System.Collections.Generic;
using System.Device.Gpio;
using Embedded.Dicom.Device.Gpio;

namespace Embedded.Dicom.Device.Tests;

/// <summary>
/// Debouncing through the real GpioController over <see cref="SimulatedGpioDriver"/>, on a manual clock: the
/// deadlines are hit exactly, so the tests neither sleep nor depend on scheduling.
/// </summary>
public sealed class DebounceTests : IDisposable
{
    private const int Exposure = 5; // exposure-active: active-high, pull-down, 50 ms debounce
    private const int Marker = 6;   // door-open: no debounce; its notification proves what came before it

    private readonly ManualTimeProvider _time = new();
    private readonly SimulatedGpioDriver _gpio = new();
    private readonly GpioStatusInputs _inputs;
    private readonly ChangeRecorder _changes;

    public DebounceTests()
    {
        BoardProfile profile = TestProfiles.Sim(
            "[ { 'name': 'exposure-active', 'line': 5, 'bias': 'pull-down', 'debounceMs': 50 }," +
            "  { 'name': 'door-open', 'line': 6, 'bias': 'pull-down' } ]");
        _inputs = new GpioStatusInputs(profile, _gpio, null, _time);
        _changes = new ChangeRecorder(_inputs);
    }

    public void Dispose() => _inputs.Dispose();

    [Fact]
    public void GlitchShorterThanDebounce_PublishesNothing()
    {
        Drive(Exposure, true);
        _time.Advance(TimeSpan.FromMilliseconds(49));
        Drive(Exposure, false);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(_inputs.IsActive("exposure-active"));
        Assert.Equal(["door-open=True"], PublishMarker());
    }

    [Fact]
    public void StableChange_PublishedExactlyOnce_WhenDebounceTimeHasPassed()
    {
        DateTimeOffset edge = _time.GetUtcNow();
        Drive(Exposure, true);

        _time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.False(_inputs.IsActive("exposure-active"));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(_inputs.IsActive("exposure-active"));

        StatusInputChangedEventArgs change = _changes.Next();
        Assert.Equal("exposure-active", change.Name);
        Assert.True(change.IsActive);
        Assert.Equal(edge, change.Timestamp); // when the line changed, not when the debounce time ended

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["door-open=True"], PublishMarker());
    }

    [Fact]
    public void EveryEdge_RestartsTheDebounceTime()
    {
        Drive(Exposure, true);
        _time.Advance(TimeSpan.FromMilliseconds(30));
        Drive(Exposure, false);
        _time.Advance(TimeSpan.FromMilliseconds(30));
        Drive(Exposure, true); // t = 60 ms: stable from here

        _time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.False(_inputs.IsActive("exposure-active"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(_inputs.IsActive("exposure-active"));

        Assert.Equal(["exposure-active=True", "door-open=True"], PublishMarker());
    }

    [Fact]
    public void ZeroDebounce_PublishesEveryEdgeInOrder()
    {
        Drive(Marker, true);
        Drive(Marker, false);

        Assert.Equal(["door-open=True", "door-open=False"], [Describe(_changes.Next()), Describe(_changes.Next())]);
        Assert.False(_inputs.IsActive("door-open"));
    }

    private static string Describe(StatusInputChangedEventArgs change) => $"{change.Name}={change.IsActive}";

    // Drives a line and waits until the driver thread has delivered the edge, so the manual clock advances
    // after the edge has been recorded.
    private void Drive(int line, bool high)
    {
        _gpio.SetInput(line, high ? PinValue.High : PinValue.Low);
        Assert.True(_gpio.WaitForCallbacks(ChangeRecorder.Timeout));
    }

    private List<string> PublishMarker()
    {
        Drive(Marker, true);
        return _changes.TakeUntil("door-open");
    }
}
