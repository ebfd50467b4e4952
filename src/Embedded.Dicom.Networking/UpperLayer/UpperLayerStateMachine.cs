namespace Embedded.Dicom.Networking.UpperLayer;

/// <summary>
/// The upper-layer protocol machine of one association (PS3.8 §9.2): it holds the state, looks the action
/// up in <see cref="TransitionTable"/> and moves to the next state. The connection performs the action
/// (sending a PDU, closing the transport, starting ARTIM); the machine only decides.
/// </summary>
public sealed class UpperLayerStateMachine
{
    /// <summary>Creates a machine in Sta1 for the given role.</summary>
    public UpperLayerStateMachine(bool isRequestor) => IsRequestor = isRequestor;

    /// <summary>True on the association requestor (it matters for AR-8, release collision).</summary>
    public bool IsRequestor { get; }

    /// <summary>The current state.</summary>
    public UlState State { get; private set; } = UlState.Sta1;

    /// <summary>True in Sta6 (data transfer).</summary>
    public bool IsEstablished => State == UlState.Sta6;

    /// <summary>
    /// Applies <paramref name="event"/>: returns the action to perform and moves to its next state, or returns
    /// <see cref="UlAction.Invalid"/> and stays put when Table 9-10 defines nothing for it here.
    /// </summary>
    /// <param name="event">The event.</param>
    /// <param name="associateRequestAcceptable">For Evt6 in Sta2 (AE-6): whether the A-ASSOCIATE-RQ passed the provider's checks.</param>
    public UlAction Fire(UlEvent @event, bool associateRequestAcceptable = true)
    {
        // One transition at a time: an SCP sends C-FIND pendings from the handler's task while its read loop
        // receives (a C-CANCEL, or a peer's early A-RELEASE-RQ); without the lock a send could write back the
        // state it read before the receive moved it on. Uncontended, a lock costs no allocation.
        lock (_gate)
        {
            UlAction action = TransitionTable.GetAction(@event, State);
            if (action != UlAction.Invalid)
            {
                State = TransitionTable.GetNextState(action, IsRequestor, associateRequestAcceptable);
            }

            return action;
        }
    }

    private readonly object _gate = new();
}
