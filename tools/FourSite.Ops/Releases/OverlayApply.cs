using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace FourSite.Ops.Releases;

/// <summary>
/// Applies a rendered overlay (server-side apply) without undoing a release: a Deployment that already runs keeps the
/// images its containers run now (the release commands own them; the overlay's tags only start a new Deployment), and
/// replicas are never in the manifests, so settings, probes, policies and the rest change and live slots do not.
/// <c>kubectl apply -k</c> would set every image back to the overlay's tag.
/// </summary>
public sealed class OverlayApply(IKubernetes kubernetes, TextWriter log)
{
    public const string FieldManager = "foursite-apply";

    public async Task ApplyAsync(IReadOnlyList<JsonObject> objects, string defaultNamespace, CancellationToken cancellationToken)
    {
        foreach (var item in objects)
        {
            var kind = item["kind"]!.GetValue<string>();
            var name = item["metadata"]!["name"]!.GetValue<string>();
            var @namespace = item["metadata"]!["namespace"]?.GetValue<string>() ?? defaultNamespace;
            if (kind == "Deployment" && await LiveImagesAsync(name, @namespace, cancellationToken) is { } live)
            {
                KeepImages(item, live);
            }

            await ApplyAsync(item, kind, name, @namespace, cancellationToken);
            log.WriteLine($"applied {kind} {@namespace}/{name}");
        }
    }

    /// <summary>Sets each container's image to the one it runs now, where it runs.</summary>
    public static void KeepImages(JsonObject deployment, IReadOnlyDictionary<string, string> liveImages)
    {
        foreach (var container in deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray().OfType<JsonObject>())
        {
            if (liveImages.TryGetValue(container["name"]!.GetValue<string>(), out var image))
            {
                container["image"] = image;
            }
        }
    }

    private async Task<IReadOnlyDictionary<string, string>?> LiveImagesAsync(string name, string @namespace, CancellationToken cancellationToken)
    {
        try
        {
            var live = await kubernetes.AppsV1.ReadNamespacedDeploymentAsync(name, @namespace, cancellationToken: cancellationToken);
            return live.Spec.Template.Spec.Containers.ToDictionary(container => container.Name, container => container.Image);
        }
        catch (k8s.Autorest.HttpOperationException notFound) when (notFound.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task ApplyAsync(JsonObject item, string kind, string name, string @namespace, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(item.ToJsonString(), V1Patch.PatchType.ApplyPatch);
        var apiVersion = item["apiVersion"]!.GetValue<string>();
        if (!apiVersion.Contains('/', StringComparison.Ordinal))
        {
            _ = kind switch
            {
                "ConfigMap" => await kubernetes.CoreV1.PatchNamespacedConfigMapAsync(patch, name, @namespace, fieldManager: FieldManager, force: true, cancellationToken: cancellationToken),
                "Service" => (object)await kubernetes.CoreV1.PatchNamespacedServiceAsync(patch, name, @namespace, fieldManager: FieldManager, force: true, cancellationToken: cancellationToken),
                _ => throw new InvalidOperationException($"The overlay's {kind} {name} is of a core kind this command does not apply."),
            };
            return;
        }

        var (group, version) = (apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)], apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..]);
        await kubernetes.CustomObjects.PatchNamespacedCustomObjectAsync(patch, group, version, @namespace, Plural(kind), name,
            fieldManager: FieldManager, force: true, cancellationToken: cancellationToken);
    }

    /// <summary>The resource name of a kind, as the API server lists it (NetworkPolicy → networkpolicies, Ingress → ingresses).</summary>
    public static string Plural(string kind)
    {
        var lower = kind.ToLowerInvariant();
        return lower.EndsWith('y') ? lower[..^1] + "ies" : lower.EndsWith('s') ? lower + "es" : lower + "s";
    }
}
