using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FourSite.Generation.Pipeline;

/// <summary>Generation's own instruments: stage spans, durations by model and outcome, counters, cache hits, queue depth.</summary>
public sealed class GenerationTelemetry : IDisposable
{
    public const string Name = "FourSite.Generation";
    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _cardRendering;
    private readonly Counter<long> _started;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _regenerated;
    private readonly Counter<long> _aiFailures;
    private readonly Counter<long> _repositoryCache;
    private readonly Counter<long> _contentCache;
    private readonly Counter<long> _sitesRemoved;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _moderation;
    private long _queueDepth;

    public GenerationTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _duration = _meter.CreateHistogram<double>("foursite.generation.duration", "s", "Time from an accepted request to a stored site (or a failure).");
        _cardRendering = _meter.CreateHistogram<double>("foursite.cards.render.duration", "ms", "Time to draw a social card (its logo fetched), by whether a logo was drawn.");
        _started = _meter.CreateCounter<long>("foursite.generation.started", description: "Generation jobs accepted.");
        _completed = _meter.CreateCounter<long>("foursite.generation.completed", description: "Generation jobs that produced a site.");
        _failed = _meter.CreateCounter<long>("foursite.generation.failed", description: "Generation jobs that ended without a site.");
        _aiFailures = _meter.CreateCounter<long>("foursite.generation.ai.failures", description: "AI writer failures (the built-in writer stood in).");
        _repositoryCache = _meter.CreateCounter<long>("foursite.generation.repository_cache", description: "Repository fetches by cache result (hit, revalidated, miss).");
        _contentCache = _meter.CreateCounter<long>("foursite.generation.content_cache", description: "AI-written content by cache result (hit, miss).");
        _sitesRemoved = _meter.CreateCounter<long>("foursite.generation.sites_removed", description: "Sites removed by their owners.");
        _refused = _meter.CreateCounter<long>("foursite.generation.refused", description: "Generations refused, by cause (blocked, quota).");
        _moderation = _meter.CreateCounter<long>("foursite.moderation.events", description: "Reports filed and operators' actions, by kind (report, suspend, restore, remove, block, unblock).");
        _regenerated = _meter.CreateCounter<long>("foursite.generation.regenerated", description: "Sites written again in place, by reason (release, owner).");
        _meter.CreateObservableGauge("foursite.generation.queue.depth", () => Interlocked.Read(ref _queueDepth), description: "Jobs accepted but not yet picked up.");
    }

    public void Started() => _started.Add(1);

    public void Completed(string model, TimeSpan duration)
    {
        _completed.Add(1, new KeyValuePair<string, object?>("model", model));
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("outcome", "completed"));
    }

    public void Failed(string code, TimeSpan duration)
    {
        _failed.Add(1, new KeyValuePair<string, object?>("code", code));
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("model", "none"), new KeyValuePair<string, object?>("outcome", code));
    }

    public void SiteRemoved() => _sitesRemoved.Add(1);

    public void CardRendered(double milliseconds, bool logo) => _cardRendering.Record(milliseconds, new KeyValuePair<string, object?>("logo", logo));

    public void Refused(string cause) => _refused.Add(1, new KeyValuePair<string, object?>("cause", cause));

    public void Moderation(string kind) => _moderation.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Regenerated(string reason, string model, TimeSpan duration)
    {
        _regenerated.Add(1, new KeyValuePair<string, object?>("reason", reason));
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("outcome", "regenerated"));
    }

    public void AiFailed(string model) => _aiFailures.Add(1, new KeyValuePair<string, object?>("model", model));

    public void RepositoryCache(string result) => _repositoryCache.Add(1, new KeyValuePair<string, object?>("result", result));

    public void ContentCache(string result) => _contentCache.Add(1, new KeyValuePair<string, object?>("result", result));

    public void QueueDepth(long depth) => Interlocked.Exchange(ref _queueDepth, depth);

    public void Dispose() => _meter.Dispose();
}
