namespace FourSite.Ops.Releases;

/// <summary>
/// How a release waits: for the new slot's pods to be ready, then watching its health after the switch (the seed's five
/// minutes), polling every <see cref="WatchInterval"/>, and for <see cref="ScaleDownDelay"/> more before the old slot is
/// scaled down (it stays up meanwhile, for an instant rollback).
/// </summary>
public sealed record ReleaseSettings(TimeSpan ReadyTimeout, TimeSpan WatchWindow, TimeSpan WatchInterval, TimeSpan ScaleDownDelay)
{
    public static readonly ReleaseSettings Default = new(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10));
}
