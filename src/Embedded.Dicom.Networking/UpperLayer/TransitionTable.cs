using System;

namespace Embedded.Dicom.Networking.UpperLayer;

/// <summary>
/// The state transition table of the upper-layer protocol machine, PS3.8 §9.2.3, Table 9-10, as data:
/// one row per event (Evt1…Evt19), one column per state (Sta1…Sta13), each cell the action to run.
/// The next state follows from the action (<see cref="GetNextState"/>); only AE-6 and AR-8 choose between
/// two. Empty cells of the standard are <see cref="UlAction.Invalid"/>.
/// </summary>
public static class TransitionTable
{
    /// <summary>Number of states (columns).</summary>
    public const int StateCount = 13;

    /// <summary>Number of events (rows).</summary>
    public const int EventCount = 19;

    private const byte __ = (byte)UlAction.Invalid;
    private const byte AE1 = (byte)UlAction.AE1, AE2 = (byte)UlAction.AE2, AE3 = (byte)UlAction.AE3, AE4 = (byte)UlAction.AE4;
    private const byte AE5 = (byte)UlAction.AE5, AE6 = (byte)UlAction.AE6, AE7 = (byte)UlAction.AE7, AE8 = (byte)UlAction.AE8;
    private const byte DT1 = (byte)UlAction.DT1, DT2 = (byte)UlAction.DT2;
    private const byte AR1 = (byte)UlAction.AR1, AR2 = (byte)UlAction.AR2, AR3 = (byte)UlAction.AR3, AR4 = (byte)UlAction.AR4, AR5 = (byte)UlAction.AR5;
    private const byte AR6 = (byte)UlAction.AR6, AR7 = (byte)UlAction.AR7, AR8 = (byte)UlAction.AR8, AR9 = (byte)UlAction.AR9, AR10 = (byte)UlAction.AR10;
    private const byte AA1 = (byte)UlAction.AA1, AA2 = (byte)UlAction.AA2, AA3 = (byte)UlAction.AA3, AA4 = (byte)UlAction.AA4;
    private const byte AA5 = (byte)UlAction.AA5, AA6 = (byte)UlAction.AA6, AA7 = (byte)UlAction.AA7, AA8 = (byte)UlAction.AA8;

    private static ReadOnlySpan<byte> Cells =>
    [
        //       Sta1 Sta2 Sta3 Sta4 Sta5 Sta6 Sta7 Sta8 Sta9 Sta10 Sta11 Sta12 Sta13
        /*Evt1*/ AE1, __,  __,  __,  __,  __,  __,  __,  __,  __,   __,   __,   __,
        /*Evt2*/ __,  __,  __,  AE2, __,  __,  __,  __,  __,  __,   __,   __,   __,
        /*Evt3*/ __,  AA1, AA8, __,  AE3, AA8, AA8, AA8, AA8, AA8,  AA8,  AA8,  AA6,
        /*Evt4*/ __,  AA1, AA8, __,  AE4, AA8, AA8, AA8, AA8, AA8,  AA8,  AA8,  AA6,
        /*Evt5*/ AE5, __,  __,  __,  __,  __,  __,  __,  __,  __,   __,   __,   __,
        /*Evt6*/ __,  AE6, AA8, __,  AA8, AA8, AA8, AA8, AA8, AA8,  AA8,  AA8,  AA7,
        /*Evt7*/ __,  __,  AE7, __,  __,  __,  __,  __,  __,  __,   __,   __,   __,
        /*Evt8*/ __,  __,  AE8, __,  __,  __,  __,  __,  __,  __,   __,   __,   __,
        /*Evt9*/ __,  __,  __,  __,  __,  DT1, __,  AR7, __,  __,   __,   __,   __,
        /*Evt10*/__,  AA1, AA8, __,  AA8, DT2, AR6, AA8, AA8, AA8,  AA8,  AA8,  AA6,
        /*Evt11*/__,  __,  __,  __,  __,  AR1, __,  __,  __,  __,   __,   __,   __,
        /*Evt12*/__,  AA1, AA8, __,  AA8, AR2, AR8, AA8, AA8, AA8,  AA8,  AA8,  AA6,
        /*Evt13*/__,  AA1, AA8, __,  AA8, AA8, AR3, AA8, AA8, AR10, AR3,  AA8,  AA6,
        /*Evt14*/__,  __,  __,  __,  __,  __,  __,  AR4, AR9, __,   __,   AR4,  __,
        /*Evt15*/__,  __,  AA1, AA2, AA1, AA1, AA1, AA1, AA1, AA1,  AA1,  AA1,  __,
        /*Evt16*/__,  AA2, AA3, __,  AA3, AA3, AA3, AA3, AA3, AA3,  AA3,  AA3,  AA2,
        /*Evt17*/__,  AA5, AA4, AA4, AA4, AA4, AA4, AA4, AA4, AA4,  AA4,  AA4,  AR5,
        /*Evt18*/__,  AA2, __,  __,  __,  __,  __,  __,  __,  __,   __,   __,   AA2,
        /*Evt19*/__,  AA1, AA8, __,  AA8, AA8, AA8, AA8, AA8, AA8,  AA8,  AA8,  AA7,
    ];

    /// <summary>The action for <paramref name="event"/> in <paramref name="state"/>.</summary>
    public static UlAction GetAction(UlEvent @event, UlState state)
        => (UlAction)Cells[((int)@event - 1) * StateCount + ((int)state - 1)];

    /// <summary>
    /// The state an action leads to (PS3.8 Tables 9-6…9-9). AE-6 goes to Sta3 when the A-ASSOCIATE-RQ is
    /// acceptable to the provider and to Sta13 (after sending A-ASSOCIATE-RJ) otherwise; AR-8 goes to Sta9 on
    /// the association requestor and Sta10 on the acceptor.
    /// </summary>
    public static UlState GetNextState(UlAction action, bool isRequestor, bool associateRequestAcceptable) => action switch
    {
        UlAction.AE1 => UlState.Sta4,
        UlAction.AE2 => UlState.Sta5,
        UlAction.AE3 or UlAction.AE7 or UlAction.DT1 or UlAction.DT2 => UlState.Sta6,
        UlAction.AE4 or UlAction.AR3 or UlAction.AR5 or UlAction.AA2 or UlAction.AA3 or UlAction.AA4 or UlAction.AA5 => UlState.Sta1,
        UlAction.AE5 => UlState.Sta2,
        UlAction.AE6 => associateRequestAcceptable ? UlState.Sta3 : UlState.Sta13,
        UlAction.AE8 or UlAction.AR4 or UlAction.AA1 or UlAction.AA6 or UlAction.AA7 or UlAction.AA8 => UlState.Sta13,
        UlAction.AR1 or UlAction.AR6 => UlState.Sta7,
        UlAction.AR2 or UlAction.AR7 => UlState.Sta8,
        UlAction.AR8 => isRequestor ? UlState.Sta9 : UlState.Sta10,
        UlAction.AR9 => UlState.Sta11,
        UlAction.AR10 => UlState.Sta12,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "no next state for an invalid cell"),
    };
}
