namespace FourSite.Ops.Releases;

/// <summary>
/// How a release waits: for the new slot's pods to be ready, then watching its health after the switch (the launch
/// plan's 30 minutes, every 30 s), and for <see cref="ScaleDownDelay"/> more before the old slot is scaled down (it stays
/// up meanwhile, for an instant rollback).
/// </summary>
public sealed record ReleaseSettings(TimeSpan ReadyTimeout, TimeSpan WatchWindow, TimeSpan WatchInterval, TimeSpan ScaleDownDelay)
{
    public static readonly ReleaseSettings Default = new(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10));
}
