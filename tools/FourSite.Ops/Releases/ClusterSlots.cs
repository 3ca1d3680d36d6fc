using System.Text.Json;
using k8s;
using k8s.Models;

namespace FourSite.Ops.Releases;

/// <summary>
/// The slots' Deployments in one namespace of a Kubernetes cluster: their image, their size, their readiness, their
/// health (asked through the API server's service proxy) and, for Generation, whether KEDA may scale them.
/// </summary>
public sealed class ClusterSlots(IKubernetes kubernetes, string @namespace)
{
    /// <summary>KEDA's annotation that holds a ScaledObject (and its Deployment's size) still.</summary>
    public const string PausedAnnotation = "autoscaling.keda.sh/paused";

    /// <summary>Services scaled by a KEDA ScaledObject of the Deployment's name rather than a plain HorizontalPodAutoscaler.</summary>
    public static readonly IReadOnlySet<string> KedaScaled = new HashSet<string> { "generation" };

    /// <summary>Where the release commands keep the image a Deployment ran before its last release, for a rollback.</summary>
    public const string PreviousImageAnnotation = "foursite.pro/previous-image";

    public async Task<(string Image, int Replicas)> ReadAsync(string deployment, CancellationToken cancellationToken)
    {
        var current = await kubernetes.AppsV1.ReadNamespacedDeploymentAsync(deployment, @namespace, cancellationToken: cancellationToken);
        return (current.Spec.Template.Spec.Containers[0].Image, current.Spec.Replicas ?? 1);
    }

    /// <summary>The image the Deployment ran before its last release, if a release command changed it.</summary>
    public async Task<string?> PreviousImageAsync(string deployment, CancellationToken cancellationToken)
    {
        var current = await kubernetes.AppsV1.ReadNamespacedDeploymentAsync(deployment, @namespace, cancellationToken: cancellationToken);
        return current.Metadata.Annotations?.TryGetValue(PreviousImageAnnotation, out var previous) == true ? previous : null;
    }

    /// <summary>
    /// A rolling update of the Deployment to <paramref name="image"/> (its strategy keeps every replica serving), keeping
    /// the image it replaces in <see cref="PreviousImageAnnotation"/>.
    /// </summary>
    public async Task RollAsync(string deployment, string image, CancellationToken cancellationToken)
    {
        var current = await kubernetes.AppsV1.ReadNamespacedDeploymentAsync(deployment, @namespace, cancellationToken: cancellationToken);
        var annotations = new Dictionary<string, string>(current.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            [PreviousImageAnnotation] = current.Spec.Template.Spec.Containers[0].Image,
        };
        await PatchAsync(deployment, [new { op = "replace", path = "/spec/template/spec/containers/0/image", value = (object)image },
            new { op = "add", path = "/metadata/annotations", value = (object)annotations }], cancellationToken);
    }

    /// <summary>Sets the Deployment's image (its first container's) and its size in one change.</summary>
    public Task SetAsync(string deployment, string image, int replicas, CancellationToken cancellationToken) =>
        PatchAsync(deployment, [new { op = "replace", path = "/spec/template/spec/containers/0/image", value = (object)image }, Replicas(replicas)], cancellationToken);

    public Task ScaleAsync(string deployment, int replicas, CancellationToken cancellationToken) =>
        PatchAsync(deployment, [Replicas(replicas)], cancellationToken);

    /// <summary>Pauses or resumes the KEDA ScaledObject of a Deployment (an idle slot must not be scaled up by its queue).</summary>
    public async Task PauseAutoscalingAsync(string service, string deployment, bool paused, CancellationToken cancellationToken)
    {
        if (!KedaScaled.Contains(service))
        {
            // A HorizontalPodAutoscaler does nothing to a Deployment scaled to zero, and resumes once it is scaled up.
            return;
        }

        var annotations = new Dictionary<string, string?> { [PausedAnnotation] = paused ? "true" : null };
        await kubernetes.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(JsonSerializer.Serialize(new { metadata = new { annotations } }), V1Patch.PatchType.MergePatch),
            "keda.sh", "v1alpha1", @namespace, "scaledobjects", deployment, cancellationToken: cancellationToken);
    }

    /// <summary>Whether the Deployment's latest template runs on every replica, each ready.</summary>
    public async Task<bool> IsReadyAsync(string deployment, CancellationToken cancellationToken)
    {
        var current = await kubernetes.AppsV1.ReadNamespacedDeploymentAsync(deployment, @namespace, cancellationToken: cancellationToken);
        var wanted = current.Spec.Replicas ?? 1;
        var status = current.Status;
        return status is not null && status.ObservedGeneration >= current.Metadata.Generation
            && (status.UpdatedReplicas ?? 0) == wanted && (status.ReadyReplicas ?? 0) == wanted && (status.AvailableReplicas ?? 0) == wanted
            && (status.Replicas ?? 0) == wanted;
    }

    /// <summary>The slot's <c>/health</c>, through the API server's proxy to the slot's own Service.</summary>
    public async Task<bool> IsHealthyAsync(string deployment, CancellationToken cancellationToken)
    {
        try
        {
            await using var health = await kubernetes.CoreV1.ConnectGetNamespacedServiceProxyWithPathAsync($"{deployment}:http", @namespace, "health", cancellationToken: cancellationToken);
            return true;
        }
        catch (k8s.Autorest.HttpOperationException)
        {
            return false;
        }
    }

    // "add" sets spec.replicas whether or not the manifest named it (the base leaves it to the autoscalers).
    private static object Replicas(int replicas) => new { op = "add", path = "/spec/replicas", value = (object)replicas };

    /// <summary>A JSON Patch: precise where a merge patch would replace the whole container list.</summary>
    private Task PatchAsync(string deployment, object[] operations, CancellationToken cancellationToken) =>
        kubernetes.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(JsonSerializer.Serialize(operations), V1Patch.PatchType.JsonPatch), deployment, @namespace, cancellationToken: cancellationToken);
}
