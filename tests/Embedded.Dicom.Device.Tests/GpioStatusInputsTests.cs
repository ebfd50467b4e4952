using System;
using System.Collections.Generic;
using System.Device.Gpio;
using System.Threading;
using System.Threading.Tasks;
using Embedded.Dicom.Device.Gpio;

namespace Embedded.Dicom.Device.Tests;

/// <summary>Inputs and outputs through the real GpioController over <see cref="SimulatedGpioDriver"/>.</summary>
public sealed class GpioStatusInputsTests : IDisposable
{
    private readonly SimulatedGpioDriver _gpio = new();
    private readonly GpioStatusInputs _inputs;

    public GpioStatusInputsTests()
    {
        BoardProfile profile = TestProfiles.Sim(
            "[ { 'name': 'exposure-active', 'line': 17, 'activeLow': true, 'bias': 'pull-up' }," +
            "  { 'name': 'study-complete', 'line': 27, 'bias': 'pull-down' }," +
            "  { 'name': 'service-mode', 'line': 22, 'activeLow': true } ]",
            "[ { 'name': 'link-up', 'line': 24 }, { 'name': 'error', 'line': 5, 'activeLow': true } ]");
        _inputs = new GpioStatusInputs(profile, _gpio);
    }

    public void Dispose() => _inputs.Dispose();

    [Fact]
    public void IdleLevels_FollowBiasAndActiveLow()
    {
        Assert.Equal(PinValue.High, _gpio.GetLevel(17)); // pulled up
        Assert.Equal(PinValue.Low, _gpio.GetLevel(27));  // pulled down
        Assert.Equal(PinValue.Low, _gpio.GetLevel(22));  // no bias: floats low in the simulation

        Assert.False(_inputs.IsActive("exposure-active")); // high, active-low
        Assert.False(_inputs.IsActive("study-complete"));  // low, active-high
        Assert.True(_inputs.IsActive("service-mode"));     // low, active-low: an unbiased open input reads active
    }

    [Fact]
    public void ActiveLowInput_PulledLow_IsActive_AndNotifiesOnTheDispatchThread()
    {
        var changes = new ChangeRecorder(_inputs);

        _gpio.SetInput(17, PinValue.Low);

        StatusInputChangedEventArgs change = changes.Next();
        Assert.Equal(("exposure-active", true), (change.Name, change.IsActive));
        Assert.True(_inputs.IsActive("exposure-active"));
        Assert.Equal("edicom-status-inputs", changes.LastThread!.Name); // not the driver's "sim-gpio-events"

        _gpio.ReleaseInput(17); // back to the pull-up level
        Assert.Equal(("exposure-active", false), (changes.Next().Name, _inputs.IsActive("exposure-active")));
    }

    [Fact]
    public void Snapshot_AgreesWithTheNotifiedState_AndIsACopy()
    {
        var changes = new ChangeRecorder(_inputs);
        IReadOnlyDictionary<string, bool>? seenInHandler = null;
        _inputs.Changed += (_, _) => seenInHandler ??= _inputs.Snapshot();
        IReadOnlyDictionary<string, bool> before = _inputs.Snapshot();

        _gpio.SetInput(27, PinValue.High);
        changes.Next();

        Assert.Equal(["exposure-active", "study-complete", "service-mode"], before.Keys);
        Assert.False(before["study-complete"]); // the earlier snapshot did not change under the caller
        Assert.True(seenInHandler!["study-complete"]); // the state is updated before the notification
        Assert.Equal(
            new Dictionary<string, bool> { ["exposure-active"] = false, ["study-complete"] = true, ["service-mode"] = true },
            _inputs.Snapshot());
    }

    [Fact]
    public void ThrowingHandler_DoesNotKeepOtherHandlersOrLaterChangesFromBeingNotified()
    {
        _inputs.Changed += (_, _) => throw new InvalidOperationException("handler bug");
        var changes = new ChangeRecorder(_inputs);

        _gpio.SetInput(27, PinValue.High);
        _gpio.SetInput(27, PinValue.Low);

        Assert.True(changes.Next().IsActive);
        Assert.False(changes.Next().IsActive);
    }

    [Fact]
    public void UnknownInput_ThrowsKeyNotFound()
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => _inputs.IsActive("xray-on"));
        Assert.Contains("exposure-active, study-complete, service-mode", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outputs_StartOff_HonourActiveLow_AndIgnoreUnknownNames()
    {
        IStatusOutputs outputs = _inputs.Outputs;
        Assert.Equal(["link-up", "error"], outputs.Names);
        Assert.Equal(PinValue.Low, _gpio.GetLevel(24)); // off, active-high
        Assert.Equal(PinValue.High, _gpio.GetLevel(5));  // off, active-low

        Assert.True(outputs.TrySet("link-up", true));
        Assert.True(outputs.TrySet("error", true));
        Assert.False(outputs.TrySet("backlog", true)); // not wired on this board

        Assert.Equal(PinValue.High, _gpio.GetLevel(24));
        Assert.Equal(PinValue.Low, _gpio.GetLevel(5));
        Assert.Equal(new Dictionary<string, bool> { ["link-up"] = true, ["error"] = true }, outputs.Snapshot());
    }

    [Fact]
    public void Dispose_ReleasesTheDriver_AndLaterUseThrows()
    {
        _inputs.Dispose();

        Assert.Throws<ObjectDisposedException>(() => _gpio.SetInput(17, PinValue.Low));
        Assert.Throws<ObjectDisposedException>(() => _inputs.IsActive("exposure-active"));
        Assert.Throws<ObjectDisposedException>(() => _inputs.Outputs.TrySet("link-up", true));
    }

    [Fact]
    public void SimulatedDriver_DeliversCallbacksOnItsOwnThread_ThroughTheRealController()
    {
        var driver = new SimulatedGpioDriver();
        using var controller = new GpioController(driver);
        controller.OpenPin(3, PinMode.InputPullDown);
        Thread? callbackThread = null;
        using var called = new ManualResetEventSlim();
        controller.RegisterCallbackForPinValueChangedEvent(3, PinEventTypes.Rising, (_, _) =>
        {
            callbackThread = Thread.CurrentThread;
            called.Set();
        });

        driver.SetInput(3, PinValue.High);

        Assert.True(called.Wait(ChangeRecorder.Timeout));
        Assert.Equal("sim-gpio-events", callbackThread!.Name);
        Assert.Equal(PinValue.High, controller.Read(3));
    }

    [Fact]
    public async Task SimulatedDriver_OutputsReadBack_AndWaitForEventSeesEdges()
    {
        var driver = new SimulatedGpioDriver();
        using var controller = new GpioController(driver);
        controller.OpenPin(4, PinMode.Output, PinValue.Low);
        controller.Write(4, PinValue.High);
        Assert.Equal(PinValue.High, controller.Read(4));
        Assert.Throws<InvalidOperationException>(() => driver.SetInput(4, PinValue.Low)); // an output is not driven from outside

        controller.OpenPin(3, PinMode.Input);
        Task<WaitForEventResult> wait = controller.WaitForEventAsync(3, PinEventTypes.Falling, TimeSpan.FromSeconds(5)).AsTask();

        // The wait subscribes on another thread: keep producing falling edges until it has seen one.
        for (int i = 0; i < 500 && !wait.IsCompleted; i++)
        {
            driver.SetInput(3, PinValue.High);
            driver.SetInput(3, PinValue.Low);
            await Task.WhenAny(wait, Task.Delay(10));
        }

        Assert.True(wait.IsCompletedSuccessfully);
        WaitForEventResult result = await wait;
        Assert.False(result.TimedOut);
        Assert.Equal(PinEventTypes.Falling, result.EventTypes);
    }
}
