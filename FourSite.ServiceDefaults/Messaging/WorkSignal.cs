namespace FourSite.ServiceDefaults.Messaging;

/// <summary>Wakes a background worker when a transaction that gives it work commits, so it need not wait for its next poll.</summary>
public abstract class WorkSignal
{
    /// <summary>
    /// The longest a worker with nothing to do waits between polls: its poll interval after work, doubling with each
    /// empty poll up to this. The poll only finds what no signal told of (another replica's leftovers, a retry falling
    /// due), so an idle service need not ask its database every second.
    /// </summary>
    public static readonly TimeSpan IdlePollCeiling = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Notify()
    {
        if (_pending.CurrentCount > 0)
        {
            return;
        }

        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up handles everything that is waiting.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);
}
