namespace FourSite.Ops.Releases;

/// <summary>
/// The seed's release procedure on Kubernetes, for every service at once: the idle slot gets the new image and as many
/// replicas as the live one; once every pod is ready and each idle slot answers <c>/health</c>, the gateway switches
/// traffic to it; the smoke checks run; Metrics' deployment health is watched for the window, and a <c>rollback</c>
/// decision (or failed smoke checks) switches traffic straight back; after the delay the old slot is scaled down.
/// Nothing is switched unless the new slot is ready and healthy.
/// </summary>
public sealed class BlueGreenRelease(ClusterSlots cluster, PlatformSlots platform, Func<CancellationToken, Task<bool>> smoke, ReleaseSettings settings, TextWriter log)
{
    public async Task<bool> DeployAsync(string imageTag, CancellationToken cancellationToken)
    {
        var plan = (await platform.LiveAsync(cancellationToken)).Where(entry => Slots.Services.Contains(entry.Key))
            .Select(entry => new Move(entry.Key, From: entry.Value, To: Slots.Other(entry.Value))).ToList();
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
            log.WriteLine("FAIL the new slots were not ready in time: traffic stays where it is");
            return false;
        }

        foreach (var move in plan)
        {
            if (!await cluster.IsHealthyAsync(move.ToDeployment, cancellationToken))
            {
                log.WriteLine($"FAIL {move.ToDeployment} does not answer /health: traffic stays where it is");
                return false;
            }
        }

        await SwitchAsync(plan, cancellationToken);
        if (!await smoke(cancellationToken))
        {
            log.WriteLine("FAIL the smoke checks failed after the switch: rolling back");
            await SwitchAsync(plan.Select(move => move.Reversed).ToList(), cancellationToken);
            return false;
        }

        if (await WatchAsync(plan.Select(move => move.To).Distinct().ToList(), cancellationToken) is { } failing)
        {
            log.WriteLine($"FAIL deployment health of {failing} decided rollback: rolling back");
            await SwitchAsync(plan.Select(move => move.Reversed).ToList(), cancellationToken);
            return false;
        }

        log.WriteLine($"healthy for {settings.WatchWindow.TotalMinutes:0.#} min; the old slots scale down in {settings.ScaleDownDelay.TotalMinutes:0.#} min");
        await Task.Delay(settings.ScaleDownDelay, cancellationToken);
        foreach (var move in plan)
        {
            await cluster.PauseAutoscalingAsync(move.Service, move.FromDeployment, paused: true, cancellationToken);
            await cluster.ScaleAsync(move.FromDeployment, 0, cancellationToken);
            log.WriteLine($"{move.Service}: {move.From} scaled down");
        }

        return true;
    }

    /// <summary>Traffic back to each service's other slot, scaled up again first (and ready) if it had been scaled down.</summary>
    public async Task<bool> RollbackAsync(CancellationToken cancellationToken)
    {
        var plan = (await platform.LiveAsync(cancellationToken)).Where(entry => Slots.Services.Contains(entry.Key))
            .Select(entry => new Move(entry.Key, From: entry.Value, To: Slots.Other(entry.Value))).ToList();
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
            log.WriteLine("FAIL the previous slots were not ready in time: traffic stays where it is");
            return false;
        }

        await SwitchAsync(plan, cancellationToken);
        return true;
    }

    /// <summary>The image with its tag replaced (a registry's port is not a tag).</summary>
    public static string WithTag(string image, string tag)
    {
        var name = image.Split('@')[0];
        var tagAt = name.LastIndexOf(':');
        return $"{(tagAt > name.LastIndexOf('/') ? name[..tagAt] : name)}:{tag}";
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

    /// <summary>The first slot Metrics decides to roll back within the window, or null when none is.</summary>
    private async Task<string?> WatchAsync(IReadOnlyList<string> slots, CancellationToken cancellationToken)
    {
        var until = DateTimeOffset.UtcNow + settings.WatchWindow;
        while (true)
        {
            foreach (var slot in slots)
            {
                var decision = await platform.DecisionAsync(slot, cancellationToken);
                log.WriteLine($"deployment health of {slot}: {decision}");
                if (decision == "rollback")
                {
                    return slot;
                }
            }

            if (DateTimeOffset.UtcNow >= until)
            {
                return null;
            }

            await Task.Delay(settings.WatchInterval, cancellationToken);
        }
    }

    private sealed record Move(string Service, string From, string To)
    {
        public string FromDeployment => Slots.Deployment(Service, From);

        public string ToDeployment => Slots.Deployment(Service, To);

        public Move Reversed => new(Service, To, From);
    }
}
