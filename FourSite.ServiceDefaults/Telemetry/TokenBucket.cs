namespace FourSite.ServiceDefaults.Telemetry;

/// <summary>
/// A token bucket: <see cref="TryTake"/> succeeds at most <c>perSecond</c> times a second on average, after a burst of
/// up to 10 (or a second's worth, when more).
/// </summary>
public sealed class TokenBucket
{
    private readonly double _perSecond;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private double _tokens;
    private long _filledAt;

    public TokenBucket(double perSecond, TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        _perSecond = perSecond;
        _clock = clock;
        _tokens = Capacity;
        _filledAt = clock.GetTimestamp();
    }

    private double Capacity => Math.Max(10, _perSecond);

    public bool TryTake()
    {
        lock (_gate)
        {
            var now = _clock.GetTimestamp();
            _tokens = Math.Min(Capacity, _tokens + _clock.GetElapsedTime(_filledAt, now).TotalSeconds * _perSecond);
            _filledAt = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}
