namespace FourSite.Ops.Releases;

/// <summary>Checks a deployment through the gateway: pinned to one slot of every service, or (null) as users reach it.</summary>
public delegate Task<bool> SmokeCheck(string? slot, CancellationToken cancellationToken);

/// <summary>
/// The release procedure on Kubernetes, for every service at once, failing safe at each step:
/// <list type="number">
/// <item>the idle slot gets the new image and as many replicas as the live one; every pod must be ready and each idle
/// slot answer <c>/health</c>;</item>
/// <item>the smoke checks run against the idle slot through the gateway (pinned to it), before any user reaches it;</item>
/// <item>traffic switches; the gateway itself gets the new image by a rolling update (it serves the pages and
/// <c>rum.js</c>; it has no slots, since it is the switch, and its strategy never takes a serving replica away), and the
/// smoke checks run again as users reach it;</item>
/// <item>Metrics' deployment health is read every <see cref="ReleaseSettings.WatchInterval"/> through the window: a
/// <c>rollback</c> decision, or any error reading it, rolls back at once (traffic to the old slot, the gateway to its
/// previous image);</item>
/// <item>healthy through the window, the old slot is scaled down after a delay.</item>
/// </list>
/// Every outcome is recorded and announced. Nothing is switched unless the new slot is ready, healthy and checked.
/// </summary>
public sealed class BlueGreenRelease(ClusterSlots cluster, PlatformSlots platform, SmokeCheck smoke, ReleaseSettings settings, ReleaseRecorder recorder,
    TextWriter log, string by)
{
    /// <summary>The gateway's Deployment, released by a rolling update.</summary>
    public const string Gateway = "gateway";

    public async Task<bool> DeployAsync(string imageTag, CancellationToken cancellationToken)
    {
        var journal = new Journal(DateTimeOffset.UtcNow);
        var plan = await PlanAsync(cancellationToken);
        if (plan is null)
        {
            return await FinishAsync(journal, "release", "aborted", null, imageTag, "services are live on different slots: switch or roll them back to one first", cancellationToken);
        }

        var (from, to) = (plan[0].From, plan[0].To);
        var fromTag = TagOf((await cluster.ReadAsync(plan[0].FromDeployment, cancellationToken)).Image);
        journal.Slots = (from, to);
        foreach (var move in plan)
        {
            var (_, replicas) = await cluster.ReadAsync(move.FromDeployment, cancellationToken);
            var (image, _) = await cluster.ReadAsync(move.ToDeployment, cancellationToken);
            var released = WithTag(image, imageTag);
            await cluster.SetAsync(move.ToDeployment, released, Math.Max(replicas, 1), cancellationToken);
            await cluster.PauseAutoscalingAsync(move.Service, move.ToDeployment, paused: false, cancellationToken);
            log.WriteLine($"{move.Service}: {move.To} ← {released}, {Math.Max(replicas, 1)} replicas (live: {move.From})");
        }

        if (!await WaitReadyAsync(plan.Select(move => move.ToDeployment), cancellationToken))
        {
            return await AbortAsync(plan, journal, fromTag, imageTag, $"the {to} slot was not ready in time: traffic stayed on {from}", cancellationToken);
        }

        foreach (var move in plan)
        {
            if (!await cluster.IsHealthyAsync(move.ToDeployment, cancellationToken))
            {
                return await AbortAsync(plan, journal, fromTag, imageTag, $"{move.ToDeployment} does not answer /health: traffic stayed on {from}", cancellationToken);
            }
        }

        log.WriteLine($"smoke checks on the idle {to} slot, through the gateway");
        if (!await smoke(to, cancellationToken))
        {
            return await AbortAsync(plan, journal, fromTag, imageTag, $"the smoke checks failed on the idle {to} slot: traffic never reached it", cancellationToken);
        }

        await SwitchAsync(plan, cancellationToken);
        string? failure;
        try
        {
            failure = await ReleaseGatewayAsync(imageTag, journal, cancellationToken)
                ?? (await smoke(null, cancellationToken) ? null : "the smoke checks failed after the switch")
                ?? await WatchAsync(to, journal, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or k8s.Autorest.HttpOperationException or InvalidOperationException)
        {
            failure = $"the release failed after the switch ({exception.Message})";
        }

        if (failure is not null)
        {
            log.WriteLine($"FAIL {failure}: rolling back");
            await RevertAsync(plan, journal, cancellationToken);
            return await FinishAsync(journal, "release", "rolled_back", fromTag, imageTag, failure, cancellationToken);
        }

        await FinishAsync(journal, "release", "released", fromTag, imageTag, $"healthy for {settings.WatchWindow.TotalMinutes:0.#} min", cancellationToken);
        log.WriteLine($"the old slots scale down in {settings.ScaleDownDelay.TotalMinutes:0.#} min");
        await Task.Delay(settings.ScaleDownDelay, cancellationToken);
        foreach (var move in plan)
        {
            await cluster.PauseAutoscalingAsync(move.Service, move.FromDeployment, paused: true, cancellationToken);
            await cluster.ScaleAsync(move.FromDeployment, 0, cancellationToken);
            log.WriteLine($"{move.Service}: {move.From} scaled down");
        }

        return true;
    }

    /// <summary>
    /// Traffic back to each service's other slot, scaled up again first (and ready) if it had been scaled down, and the
    /// gateway back to the image it ran before its last release.
    /// </summary>
    public async Task<bool> RollbackAsync(string reason, CancellationToken cancellationToken)
    {
        var journal = new Journal(DateTimeOffset.UtcNow);
        var plan = (await platform.LiveAsync(cancellationToken)).Where(entry => Slots.Services.Contains(entry.Key))
            .Select(entry => new Move(entry.Key, From: entry.Value, To: Slots.Other(entry.Value))).ToList();
        journal.Slots = plan.Count > 0 ? (plan[0].From, plan[0].To) : null;
        var fromTag = plan.Count > 0 ? TagOf((await cluster.ReadAsync(plan[0].FromDeployment, cancellationToken)).Image) : null;
        var toTag = plan.Count > 0 ? TagOf((await cluster.ReadAsync(plan[0].ToDeployment, cancellationToken)).Image) : null;
        foreach (var move in plan)
        {
            var (_, previous) = await cluster.ReadAsync(move.ToDeployment, cancellationToken);
            if (previous == 0)
            {
                var (_, live) = await cluster.ReadAsync(move.FromDeployment, cancellationToken);
                await cluster.ScaleAsync(move.ToDeployment, Math.Max(live, 1), cancellationToken);
                await cluster.PauseAutoscalingAsync(move.Service, move.ToDeployment, paused: false, cancellationToken);
                log.WriteLine($"{move.Service}: {move.To} scaled up to {Math.Max(live, 1)} replicas");
            }
        }

        if (!await WaitReadyAsync(plan.Select(move => move.ToDeployment), cancellationToken))
        {
            return await FinishAsync(journal, "rollback", "failed", fromTag, toTag, "the previous slots were not ready in time: traffic stayed where it was", cancellationToken);
        }

        await SwitchAsync(plan, cancellationToken);
        if (await cluster.PreviousImageAsync(Gateway, cancellationToken) is { } previousGateway)
        {
            await RollGatewayAsync(previousGateway, cancellationToken);
        }

        return await FinishAsync(journal, "rollback", "rolled_back", fromTag, toTag, reason, cancellationToken);
    }

    /// <summary>The image with its tag replaced (a registry's port is not a tag).</summary>
    public static string WithTag(string image, string tag) => $"{Split(image).Repository}:{tag}";

    /// <summary>The tag of an image reference (empty when it has none).</summary>
    public static string TagOf(string image) => Split(image).Tag;

    /// <summary>An image reference without its digest, as repository and tag (a colon before the last slash is a registry's port).</summary>
    private static (string Repository, string Tag) Split(string image)
    {
        var name = image.Split('@')[0];
        var tagAt = name.LastIndexOf(':');
        return tagAt > name.LastIndexOf('/') ? (name[..tagAt], name[(tagAt + 1)..]) : (name, "");
    }

    /// <summary>Each service's move from its live slot to the other; null when they are not all live on the same slot.</summary>
    private async Task<List<Move>?> PlanAsync(CancellationToken cancellationToken)
    {
        var plan = (await platform.LiveAsync(cancellationToken)).Where(entry => Slots.Services.Contains(entry.Key))
            .Select(entry => new Move(entry.Key, From: entry.Value, To: Slots.Other(entry.Value))).ToList();
        return plan.Count > 0 && plan.Select(move => move.From).Distinct().Count() == 1 ? plan : null;
    }

    /// <summary>The gateway rolled to the release's tag and ready; the failure, or null.</summary>
    private async Task<string?> ReleaseGatewayAsync(string imageTag, Journal journal, CancellationToken cancellationToken)
    {
        var (image, _) = await cluster.ReadAsync(Gateway, cancellationToken);
        journal.GatewayReleased = true;
        return await RollGatewayAsync(WithTag(image, imageTag), cancellationToken) ? null : "the gateway's new pods were not ready or healthy in time";
    }

    private async Task<bool> RollGatewayAsync(string image, CancellationToken cancellationToken)
    {
        await cluster.RollAsync(Gateway, image, cancellationToken);
        log.WriteLine($"gateway: rolling to {image}");
        return await WaitReadyAsync([Gateway], cancellationToken) && await cluster.IsHealthyAsync(Gateway, cancellationToken);
    }

    /// <summary>
    /// A release that never switched: the new slot is scaled back down and its queue-driven scaling paused, since a
    /// Generation slot that runs takes jobs from the shared queue whether or not traffic reaches it.
    /// </summary>
    private async Task<bool> AbortAsync(IReadOnlyList<Move> plan, Journal journal, string fromTag, string imageTag, string reason, CancellationToken cancellationToken)
    {
        foreach (var move in plan)
        {
            await cluster.PauseAutoscalingAsync(move.Service, move.ToDeployment, paused: true, cancellationToken);
            await cluster.ScaleAsync(move.ToDeployment, 0, cancellationToken);
            log.WriteLine($"{move.Service}: {move.To} scaled back down");
        }

        return await FinishAsync(journal, "release", "aborted", fromTag, imageTag, reason, cancellationToken);
    }

    /// <summary>Traffic back to the old slots and the gateway to its previous image; each step tried even if another fails.</summary>
    private async Task RevertAsync(IReadOnlyList<Move> plan, Journal journal, CancellationToken cancellationToken)
    {
        await SwitchAsync(plan.Select(move => move.Reversed).ToList(), cancellationToken);
        if (journal.GatewayReleased && await cluster.PreviousImageAsync(Gateway, cancellationToken) is { } previous)
        {
            await RollGatewayAsync(previous, cancellationToken);
        }
    }

    private async Task<bool> FinishAsync(Journal journal, string kind, string outcome, string? fromTag, string? toTag, string reason, CancellationToken cancellationToken)
    {
        var succeeded = outcome == "released" || (kind == "rollback" && outcome == "rolled_back");
        log.WriteLine($"{(succeeded ? "" : "FAIL ")}{kind} {outcome}: {reason}");
        var record = new ReleaseRecord(Guid.CreateVersion7(), kind, outcome, journal.Slots?.From, journal.Slots?.To, fromTag, toTag, reason,
            journal.Decisions.TakeLast(100).ToList(), journal.StartedAt, DateTimeOffset.UtcNow, by);
        // The record is kept even when the command itself is being cancelled: it says what state traffic was left in.
        await recorder.RecordAsync(record, CancellationToken.None);
        return succeeded;
    }

    private async Task SwitchAsync(IReadOnlyList<Move> plan, CancellationToken cancellationToken)
    {
        foreach (var move in plan)
        {
            await platform.SwitchAsync(move.Service, move.To, cancellationToken);
            log.WriteLine($"{move.Service}: traffic → {move.To}");
        }
    }

    private async Task<bool> WaitReadyAsync(IEnumerable<string> deployments, CancellationToken cancellationToken)
    {
        var waiting = deployments.ToHashSet();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ReadyTimeout);
        try
        {
            while (waiting.Count > 0)
            {
                foreach (var deployment in waiting.ToList())
                {
                    if (await cluster.IsReadyAsync(deployment, timeout.Token))
                    {
                        waiting.Remove(deployment);
                        log.WriteLine($"{deployment}: ready");
                    }
                }

                if (waiting.Count > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token);
                }
            }

            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            log.WriteLine($"not ready after {settings.ReadyTimeout.TotalMinutes:0.#} min: {string.Join(", ", waiting)}");
            return false;
        }
    }

    /// <summary>
    /// Metrics' decision on <paramref name="slot"/> through the window; why it must roll back, or null when it stayed
    /// healthy. A decision that cannot be read counts as unhealthy: the release cannot be judged, so it is not kept.
    /// </summary>
    private async Task<string?> WatchAsync(string slot, Journal journal, CancellationToken cancellationToken)
    {
        var until = DateTimeOffset.UtcNow + settings.WatchWindow;
        while (true)
        {
            try
            {
                var (decision, detail) = await platform.DecisionAsync(slot, cancellationToken);
                journal.Decisions.Add(new ReleaseDecision(DateTimeOffset.UtcNow, slot, decision, detail.Length > 0 ? detail : null));
                log.WriteLine($"deployment health of {slot}: {decision}{(detail.Length > 0 ? $" ({detail})" : "")}");
                if (decision == "rollback")
                {
                    return $"deployment health of {slot} decided rollback{(detail.Length > 0 ? $": {detail}" : "")}";
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or KeyNotFoundException
                or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                journal.Decisions.Add(new ReleaseDecision(DateTimeOffset.UtcNow, slot, "unreadable", exception.Message));
                return $"deployment health of {slot} could not be read ({exception.Message})";
            }

            if (DateTimeOffset.UtcNow >= until)
            {
                return null;
            }

            await Task.Delay(settings.WatchInterval, cancellationToken);
        }
    }

    /// <summary>What a command saw, for its record.</summary>
    private sealed class Journal(DateTimeOffset startedAt)
    {
        public DateTimeOffset StartedAt => startedAt;

        public (string From, string To)? Slots { get; set; }

        public bool GatewayReleased { get; set; }

        public List<ReleaseDecision> Decisions { get; } = [];
    }

    private sealed record Move(string Service, string From, string To)
    {
        public string FromDeployment => Slots.Deployment(Service, From);

        public string ToDeployment => Slots.Deployment(Service, To);

        public Move Reversed => new(Service, To, From);
    }
}
