using System.Diagnostics;
using System.Runtime.CompilerServices;
using OpenTelemetry;

namespace FourSite.ServiceDefaults.Telemetry;

/// <summary>
/// Exports, whatever the trace cap decided at their start, the traces that end in a failure: the sampler records the
/// spans of a trace over the cap without exporting them (<c>RecordOnly</c>), this processor holds them until their local
/// root ends, and then exports them all if anything in it failed (a 5xx, an exception, a span in error) or, within
/// their own budget, if the root answered a 4xx. Everything else over the cap is let go. Sampled spans pass straight
/// through to the exporter it wraps.
/// </summary>
public sealed class KeepFailedTracesProcessor(BaseProcessor<Activity> export, TokenBucket clientErrors)
    : CompositeProcessor<Activity>([export])
{
    /// <summary>How many spans of one local root are held at most (a root that fans out further keeps its first ones).</summary>
    public const int MaxSpansPerRoot = 512;

    /// <summary>How many spans are held at most in all, so a flood of slow requests cannot grow the process.</summary>
    public const int MaxSpansHeld = 50_000;

    // Keyed by the root itself: a root that never ends is collected with its spans.
    private readonly ConditionalWeakTable<Activity, HeldTrace> _held = new();
    private int _spansHeld;

    private sealed class HeldTrace
    {
        public readonly List<Activity> Spans = [];
        public bool Failed;
        public bool? Kept;
    }

    public override void OnEnd(Activity data)
    {
        if (data.Recorded)
        {
            base.OnEnd(data);
            return;
        }

        var root = data;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        if (!root.IsAllDataRequested)
        {
            return;
        }

        var trace = _held.GetValue(root, _ => new HeldTrace());
        List<Activity>? kept = null;
        lock (trace)
        {
            trace.Failed |= IsFailure(data);
            if (trace.Kept is { } decided)
            {
                // A span that ends after its root (work the request left running) follows the root's decision.
                kept = decided ? [data] : null;
            }
            else if (!ReferenceEquals(data, root))
            {
                if (trace.Spans.Count < MaxSpansPerRoot)
                {
                    if (Interlocked.Increment(ref _spansHeld) <= MaxSpansHeld)
                    {
                        trace.Spans.Add(data);
                    }
                    else
                    {
                        Interlocked.Decrement(ref _spansHeld);
                    }
                }
            }
            else
            {
                trace.Kept = trace.Failed || (IsClientError(root) && clientErrors.TryTake());
                Interlocked.Add(ref _spansHeld, -trace.Spans.Count);
                kept = trace.Kept == true ? [.. trace.Spans, root] : null;
                trace.Spans.Clear();
            }
        }

        foreach (var span in kept ?? [])
        {
            span.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
            base.OnEnd(span);
        }
    }

    /// <summary>
    /// An exception, a 5xx answered, or a span in error. A call out that got a 4xx is the caller's business: its own
    /// answer says whether that failed it.
    /// </summary>
    private static bool IsFailure(Activity span)
    {
        foreach (ref readonly var activityEvent in span.EnumerateEvents())
        {
            if (activityEvent.Name == "exception")
            {
                return true;
            }
        }

        return StatusCode(span) is >= 500
            || (span.Status == ActivityStatusCode.Error && !(span.Kind == ActivityKind.Client && StatusCode(span) is < 500));
    }

    private static bool IsClientError(Activity root) => StatusCode(root) is >= 400 and < 500;

    private static int? StatusCode(Activity span) => span.GetTagItem("http.response.status_code") switch
    {
        int code => code,
        string text when int.TryParse(text, out var code) => code,
        _ => null,
    };
}
