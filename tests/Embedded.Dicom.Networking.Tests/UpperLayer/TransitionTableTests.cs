using System;
using System.Collections.Generic;
using System.Linq;
using Embedded.Dicom.Networking.UpperLayer;

namespace Embedded.Dicom.Networking.Tests.UpperLayer;

/// <summary>
/// Checks all 13 × 19 = 247 cells of the runtime's table against a second transcription of PS3.8 Table 9-10,
/// written here by state (column by column, as one reads a state's behaviour) in the standard's own
/// notation "AA-8 → Sta13", independently of the event-major byte table in src/.
/// </summary>
public class TransitionTableTests
{
    // For each state: "EvtN: action → next" for every defined cell; cells not listed are empty in the standard.
    private static readonly Dictionary<int, string[]> s_byState = new()
    {
        [1] = ["Evt1: AE-1 → Sta4", "Evt5: AE-5 → Sta2"],
        [2] = ["Evt3: AA-1 → Sta13", "Evt4: AA-1 → Sta13", "Evt6: AE-6 → Sta3|Sta13", "Evt10: AA-1 → Sta13", "Evt12: AA-1 → Sta13",
               "Evt13: AA-1 → Sta13", "Evt16: AA-2 → Sta1", "Evt17: AA-5 → Sta1", "Evt18: AA-2 → Sta1", "Evt19: AA-1 → Sta13"],
        [3] = ["Evt3: AA-8 → Sta13", "Evt4: AA-8 → Sta13", "Evt6: AA-8 → Sta13", "Evt7: AE-7 → Sta6", "Evt8: AE-8 → Sta13",
               "Evt10: AA-8 → Sta13", "Evt12: AA-8 → Sta13", "Evt13: AA-8 → Sta13", "Evt15: AA-1 → Sta13", "Evt16: AA-3 → Sta1",
               "Evt17: AA-4 → Sta1", "Evt19: AA-8 → Sta13"],
        [4] = ["Evt2: AE-2 → Sta5", "Evt15: AA-2 → Sta1", "Evt17: AA-4 → Sta1"],
        [5] = ["Evt3: AE-3 → Sta6", "Evt4: AE-4 → Sta1", "Evt6: AA-8 → Sta13", "Evt10: AA-8 → Sta13", "Evt12: AA-8 → Sta13",
               "Evt13: AA-8 → Sta13", "Evt15: AA-1 → Sta13", "Evt16: AA-3 → Sta1", "Evt17: AA-4 → Sta1", "Evt19: AA-8 → Sta13"],
        [6] = ["Evt3: AA-8 → Sta13", "Evt4: AA-8 → Sta13", "Evt6: AA-8 → Sta13", "Evt9: DT-1 → Sta6", "Evt10: DT-2 → Sta6",
               "Evt11: AR-1 → Sta7", "Evt12: AR-2 → Sta8", "Evt13: AA-8 → Sta13", "Evt15: AA-1 → Sta13", "Evt16: AA-3 → Sta1",
               "Evt17: AA-4 → Sta1", "Evt19: AA-8 → Sta13"],
        [7] = ["Evt3: AA-8 → Sta13", "Evt4: AA-8 → Sta13", "Evt6: AA-8 → Sta13", "Evt10: AR-6 → Sta7", "Evt12: AR-8 → Sta9|Sta10",
               "Evt13: AR-3 → Sta1", "Evt15: AA-1 → Sta13", "Evt16: AA-3 → Sta1", "Evt17: AA-4 → Sta1", "Evt19: AA-8 → Sta13"],
        [8] = ["Evt3: AA-8 → Sta13", "Evt4: AA-8 → Sta13", "Evt6: AA-8 → Sta13", "Evt9: AR-7 → Sta8", "Evt10: AA-8 → Sta13",
               "Evt12: AA-8 → Sta13", "Evt13: AA-8 → Sta13", "Evt14: AR-4 → Sta13", "Evt15: AA-1 → Sta13", "Evt16: AA-3 → Sta1",
               "Evt17: AA-4 → Sta1", "Evt19: AA-8 → Sta13"],
        [9] = ["Evt3: AA-8 → Sta13", "Evt4: AA-8 → Sta13", "Evt6: AA-8 → Sta13", "Evt10: AA-8 → Sta13", "Evt12: AA-8 → Sta13",
               "Evt13: AA-8 → Sta13", "Evt14: AR-9 → Sta11", "Evt15: AA-1 → Sta13", "Evt16: AA-3 → Sta1", "Evt17: AA-4 → Sta1",
               "Evt19: AA-8 → Sta13"],
        [10] = ["Evt3: AA-8 → Sta13", "Evt4: AA-8 → Sta13", "Evt6: AA-8 → Sta13", "Evt10: AA-8 → Sta13", "Evt12: AA-8 → Sta13",
                "Evt13: AR-10 → Sta12", "Evt15: AA-1 → Sta13", "Evt16: AA-3 → Sta1", "Evt17: AA-4 → Sta1", "Evt19: AA-8 → Sta13"],
        [11] = ["Evt3: AA-8 → Sta13", "Evt4: AA-8 → Sta13", "Evt6: AA-8 → Sta13", "Evt10: AA-8 → Sta13", "Evt12: AA-8 → Sta13",
                "Evt13: AR-3 → Sta1", "Evt15: AA-1 → Sta13", "Evt16: AA-3 → Sta1", "Evt17: AA-4 → Sta1", "Evt19: AA-8 → Sta13"],
        [12] = ["Evt3: AA-8 → Sta13", "Evt4: AA-8 → Sta13", "Evt6: AA-8 → Sta13", "Evt10: AA-8 → Sta13", "Evt12: AA-8 → Sta13",
                "Evt13: AA-8 → Sta13", "Evt14: AR-4 → Sta13", "Evt15: AA-1 → Sta13", "Evt16: AA-3 → Sta1", "Evt17: AA-4 → Sta1",
                "Evt19: AA-8 → Sta13"],
        [13] = ["Evt3: AA-6 → Sta13", "Evt4: AA-6 → Sta13", "Evt6: AA-7 → Sta13", "Evt10: AA-6 → Sta13", "Evt12: AA-6 → Sta13",
                "Evt13: AA-6 → Sta13", "Evt16: AA-2 → Sta1", "Evt17: AR-5 → Sta1", "Evt18: AA-2 → Sta1", "Evt19: AA-7 → Sta13"],
    };

    public static TheoryData<int, int> AllCells()
    {
        var data = new TheoryData<int, int>();
        for (int state = 1; state <= TransitionTable.StateCount; state++)
        {
            for (int evt = 1; evt <= TransitionTable.EventCount; evt++)
            {
                data.Add(state, evt);
            }
        }

        return data;
    }

    [Fact]
    public void Theory_CoversAll247Cells() => Assert.Equal(247, AllCells().Count());

    [Theory]
    [MemberData(nameof(AllCells))]
    public void Cell_MatchesIndependentTranscriptionOfTable9_10(int state, int evt)
    {
        string? expected = s_byState[state].SingleOrDefault(c => c.StartsWith($"Evt{evt}:", StringComparison.Ordinal));
        UlAction action = TransitionTable.GetAction((UlEvent)evt, (UlState)state);
        if (expected is null)
        {
            Assert.Equal(UlAction.Invalid, action);
            var machine = At((UlState)state, isRequestor: true);
            Assert.Equal(UlAction.Invalid, machine.Fire((UlEvent)evt));
            Assert.Equal((UlState)state, machine.State);
            return;
        }

        string[] parts = expected.Split(": ")[1].Split(" → ");
        Assert.Equal(parts[0].Replace("-", ""), action.ToString());
        string[] next = parts[1].Split('|');

        // AE-6: acceptable → first, unacceptable → second. AR-8: requestor → first, acceptor → second.
        Assert.Equal(next[0], TransitionTable.GetNextState(action, isRequestor: true, associateRequestAcceptable: true).ToString());
        Assert.Equal(next[^1], TransitionTable.GetNextState(action, isRequestor: action != UlAction.AR8, associateRequestAcceptable: action != UlAction.AE6).ToString());

        var fsm = At((UlState)state, isRequestor: true);
        Assert.Equal(action, fsm.Fire((UlEvent)evt));
        Assert.Equal(next[0], fsm.State.ToString());
    }

    [Fact]
    public void RequestorLifecycle_EchoAndRelease_WalksTheStandardStates()
    {
        var fsm = new UpperLayerStateMachine(isRequestor: true);
        Assert.Equal(UlAction.AE1, fsm.Fire(UlEvent.Evt1));
        Assert.Equal(UlAction.AE2, fsm.Fire(UlEvent.Evt2));
        Assert.Equal(UlAction.AE3, fsm.Fire(UlEvent.Evt3));
        Assert.True(fsm.IsEstablished);
        Assert.Equal(UlAction.DT1, fsm.Fire(UlEvent.Evt9));
        Assert.Equal(UlAction.DT2, fsm.Fire(UlEvent.Evt10));
        Assert.Equal(UlAction.AR1, fsm.Fire(UlEvent.Evt11));
        Assert.Equal(UlAction.AR3, fsm.Fire(UlEvent.Evt13));
        Assert.Equal(UlState.Sta1, fsm.State);
    }

    [Fact]
    public void ReleaseCollision_OnBothSides_FollowsPs38Section9_2_5()
    {
        var requestor = At(UlState.Sta7, isRequestor: true);
        Assert.Equal(UlAction.AR8, requestor.Fire(UlEvent.Evt12));
        Assert.Equal(UlState.Sta9, requestor.State);
        Assert.Equal(UlAction.AR9, requestor.Fire(UlEvent.Evt14));
        Assert.Equal(UlAction.AR3, requestor.Fire(UlEvent.Evt13));
        Assert.Equal(UlState.Sta1, requestor.State);

        var acceptor = At(UlState.Sta7, isRequestor: false);
        Assert.Equal(UlAction.AR8, acceptor.Fire(UlEvent.Evt12));
        Assert.Equal(UlState.Sta10, acceptor.State);
        Assert.Equal(UlAction.AR10, acceptor.Fire(UlEvent.Evt13));
        Assert.Equal(UlAction.AR4, acceptor.Fire(UlEvent.Evt14));
        Assert.Equal(UlState.Sta13, acceptor.State);
    }

    [Fact]
    public void UnacceptableAssociateRequest_GoesToSta13()
    {
        var fsm = new UpperLayerStateMachine(isRequestor: false);
        fsm.Fire(UlEvent.Evt5);
        Assert.Equal(UlAction.AE6, fsm.Fire(UlEvent.Evt6, associateRequestAcceptable: false));
        Assert.Equal(UlState.Sta13, fsm.State);
        Assert.Equal(UlAction.AR5, fsm.Fire(UlEvent.Evt17));
    }

    /// <summary>Drives a fresh machine into <paramref name="target"/> through legal events only.</summary>
    private static UpperLayerStateMachine At(UlState target, bool isRequestor)
    {
        var requestorPath = new Dictionary<UlState, UlEvent[]>
        {
            [UlState.Sta1] = [],
            [UlState.Sta4] = [UlEvent.Evt1],
            [UlState.Sta5] = [UlEvent.Evt1, UlEvent.Evt2],
            [UlState.Sta6] = [UlEvent.Evt1, UlEvent.Evt2, UlEvent.Evt3],
            [UlState.Sta7] = [UlEvent.Evt1, UlEvent.Evt2, UlEvent.Evt3, UlEvent.Evt11],
            [UlState.Sta8] = [UlEvent.Evt1, UlEvent.Evt2, UlEvent.Evt3, UlEvent.Evt12],
            [UlState.Sta9] = [UlEvent.Evt1, UlEvent.Evt2, UlEvent.Evt3, UlEvent.Evt11, UlEvent.Evt12],
            [UlState.Sta11] = [UlEvent.Evt1, UlEvent.Evt2, UlEvent.Evt3, UlEvent.Evt11, UlEvent.Evt12, UlEvent.Evt14],
            [UlState.Sta13] = [UlEvent.Evt1, UlEvent.Evt2, UlEvent.Evt3, UlEvent.Evt15],
        };
        var acceptorPath = new Dictionary<UlState, UlEvent[]>
        {
            [UlState.Sta2] = [UlEvent.Evt5],
            [UlState.Sta3] = [UlEvent.Evt5, UlEvent.Evt6],
            [UlState.Sta10] = [UlEvent.Evt5, UlEvent.Evt6, UlEvent.Evt7, UlEvent.Evt11, UlEvent.Evt12],
            [UlState.Sta12] = [UlEvent.Evt5, UlEvent.Evt6, UlEvent.Evt7, UlEvent.Evt11, UlEvent.Evt12, UlEvent.Evt13],
        };

        bool useAcceptor = acceptorPath.ContainsKey(target) && !(isRequestor && requestorPath.ContainsKey(target));
        var fsm = new UpperLayerStateMachine(isRequestor && !useAcceptor);
        foreach (UlEvent e in useAcceptor ? acceptorPath[target] : requestorPath[target])
        {
            Assert.NotEqual(UlAction.Invalid, fsm.Fire(e));
        }

        Assert.Equal(target, fsm.State);
        return fsm;
    }
}
