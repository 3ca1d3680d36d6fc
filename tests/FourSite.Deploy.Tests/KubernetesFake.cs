using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FourSite.Ops.Releases;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FourSite.Deploy.Tests;

/// <summary>
/// A cluster running FourSite, on loopback: the Kubernetes API for the slots' Deployments, KEDA's ScaledObjects and the
/// service proxy (as the served KubernetesClient calls it), and the gateway's slot routing and Metrics' deployment
/// health and release history (as the release commands call them). A Deployment is ready as soon as it is changed,
/// unless told otherwise. Server-side applies (as the apply command sends them) merge into a Deployment and are kept.
/// </summary>
public sealed class KubernetesFake : IAsyncDisposable
{
    public const string Namespace = "foursite";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _deployments = new();
    private readonly ConcurrentDictionary<string, string?> _paused = new();
    private readonly ConcurrentDictionary<string, string> _live = new();
    private readonly ConcurrentQueue<string> _switches = new();
    private readonly ConcurrentQueue<JsonObject> _records = new();
    private readonly ConcurrentDictionary<string, JsonObject> _applied = new();

    private KubernetesFake(WebApplication app) => _app = app;

    public Uri Url => new(_app.Urls.Single());

    /// <summary>Deployments that never become ready.</summary>
    public HashSet<string> NeverReady { get; } = [];

    /// <summary>Deployments whose Service answers <c>/health</c> with 503.</summary>
    public HashSet<string> Unhealthy { get; } = [];

    /// <summary>Metrics' decision for each slot (healthy when not named); <c>error</c> answers 503, as Metrics does while Redis is away.</summary>
    public ConcurrentDictionary<string, string> Decisions { get; } = new();

    /// <summary>Decisions to answer first, in order, whatever the slot; then <see cref="Decisions"/>.</summary>
    public ConcurrentQueue<string> UpcomingDecisions { get; } = new();

    /// <summary>The releases, rollbacks and switches recorded in the platform's history, in order.</summary>
    public IReadOnlyList<JsonObject> Records => [.. _records];

    /// <summary>Objects server-side applied, by "kind/name".</summary>
    public IReadOnlyDictionary<string, JsonObject> Applied => _applied;

    /// <summary>Every switch the gateway was asked for, as "service→slot", in order.</summary>
    public IReadOnlyList<string> Switches => [.. _switches];

    public string LiveSlotOf(string service) => _live[service];

    public string ImageOf(string deployment) => _deployments[deployment]["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

    public int ReplicasOf(string deployment) => _deployments[deployment]["spec"]!["replicas"]!.GetValue<int>();

    /// <summary>KEDA's paused annotation on a ScaledObject: "true", or null when it scales.</summary>
    public string? PausedOf(string scaledObject) => _paused.GetValueOrDefault(scaledObject);

    /// <summary>Every service live in blue at <paramref name="tag"/> with <paramref name="replicas"/> replicas; green scaled down, and paused where KEDA scales it.</summary>
    public static async Task<KubernetesFake> StartAsync(string tag = "1.0.0", int replicas = 3)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new KubernetesFake(builder.Build());
        foreach (var service in Slots.Services)
        {
            fake._live[service] = Slots.Blue;
            fake._deployments[Slots.Deployment(service, Slots.Blue)] = Deployment(service, Slots.Blue, tag, replicas);
            fake._deployments[Slots.Deployment(service, Slots.Green)] = Deployment(service, Slots.Green, tag, 0);
            fake._paused[Slots.Deployment(service, Slots.Green)] = "true";
        }

        fake._deployments[BlueGreenRelease.Gateway] = Deployment(BlueGreenRelease.Gateway, null, tag, 2);

        fake.Map();
        await fake._app.StartAsync();
        return fake;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private void Map()
    {
        const string deployments = "/apis/apps/v1/namespaces/{ns}/deployments/{name}";
        _app.MapGet(deployments, (string name) => _deployments.TryGetValue(name, out var deployment) ? Results.Json(WithStatus(name, deployment)) : Results.NotFound());
        _app.MapPatch(deployments, async (string name, HttpRequest request) =>
        {
            if (!_deployments.TryGetValue(name, out var deployment))
            {
                return Results.NotFound();
            }

            if (IsServerSideApply(request))
            {
                var applied = (await JsonNode.ParseAsync(request.Body))!.AsObject();
                _applied[$"Deployment/{name}"] = applied;
                Merge(deployment, applied);
            }
            else if (request.ContentType?.StartsWith("application/json-patch+json", StringComparison.Ordinal) == true)
            {
                foreach (var operation in (await JsonNode.ParseAsync(request.Body))!.AsArray())
                {
                    Apply(deployment, operation!["op"]!.GetValue<string>(), operation["path"]!.GetValue<string>(), operation["value"]?.DeepClone());
                }
            }
            else
            {
                return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
            }

            deployment["metadata"]!["generation"] = deployment["metadata"]!["generation"]!.GetValue<int>() + 1;
            return Results.Json(WithStatus(name, deployment));
        });
        _app.MapPatch("/apis/keda.sh/v1alpha1/namespaces/{ns}/scaledobjects/{name}", async (string name, HttpRequest request) =>
        {
            var patch = await JsonNode.ParseAsync(request.Body);
            if (IsServerSideApply(request))
            {
                _applied[$"ScaledObject/{name}"] = patch!.AsObject();
            }
            else
            {
                _paused[name] = patch?["metadata"]?["annotations"]?[ClusterSlots.PausedAnnotation]?.GetValue<string>();
            }

            return Results.Json(new JsonObject { ["apiVersion"] = "keda.sh/v1alpha1", ["kind"] = "ScaledObject", ["metadata"] = new JsonObject { ["name"] = name } });
        });
        _app.MapPatch("/apis/{group}/{version}/namespaces/{ns}/{plural}/{name}", ApplyOther);
        _app.MapPatch("/api/v1/namespaces/{ns}/{plural}/{name}", ApplyOther);
        _app.MapGet("/api/v1/namespaces/{ns}/services/{name}/proxy/health", (string name) =>
            Unhealthy.Contains(name.Split(':')[0]) ? Results.Text("Unhealthy", statusCode: 503) : Results.Text("Healthy"));

        _app.MapGet("/admin/slots", () => Results.Json(_live.ToDictionary(entry => entry.Key, entry => new { routing = new { active = entry.Value, canary = (string?)null, canaryPercent = 0 } })));
        _app.MapPost("/admin/slots/{service}", async (string service, HttpRequest request) =>
        {
            var slot = (await JsonNode.ParseAsync(request.Body))!["slot"]!.GetValue<string>();
            _live[service] = slot;
            _switches.Enqueue($"{service}→{slot}");
            return Results.Ok();
        });
        _app.MapGet("/api/operations/deployment-health", (string slot) =>
        {
            var decision = UpcomingDecisions.TryDequeue(out var next) ? next : Decisions.GetValueOrDefault(slot, "healthy");
            var reasons = decision == "rollback" ? new[] { "error rate 9.0 % is above 5 %" } : [];
            return decision == "error"
                ? Results.Problem(statusCode: 503, title: "Signals unavailable")
                : Results.Json(new { success = true, data = new { decision, slots = new[] { new { decision, reasons } } } });
        });
        _app.MapPost("/api/operations/releases", async (HttpRequest request) =>
        {
            _records.Enqueue((await JsonNode.ParseAsync(request.Body))!.AsObject());
            return Results.StatusCode(StatusCodes.Status201Created);
        });
    }

    private async Task<IResult> ApplyOther(string plural, string name, HttpRequest request)
    {
        if (!IsServerSideApply(request))
        {
            return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }

        var applied = (await JsonNode.ParseAsync(request.Body))!.AsObject();
        _applied[$"{applied["kind"]!.GetValue<string>()}/{name}"] = applied;
        return Results.Json(applied);
    }

    private static bool IsServerSideApply(HttpRequest request) =>
        request.ContentType?.StartsWith("application/apply-patch+yaml", StringComparison.Ordinal) == true
        && request.Query["fieldManager"] == OverlayApply.FieldManager && request.Query["force"] == "true";

    /// <summary>A server-side apply as it lands on fields the applier sets: objects merged, everything else replaced.</summary>
    private static void Merge(JsonObject target, JsonObject applied)
    {
        foreach (var (key, value) in applied)
        {
            if (value is JsonObject inner && target[key] is JsonObject existing)
            {
                Merge(existing, inner);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private JsonObject WithStatus(string name, JsonObject deployment)
    {
        var copy = (JsonObject)deployment.DeepClone();
        var replicas = copy["spec"]!["replicas"]!.GetValue<int>();
        var ready = NeverReady.Contains(name) ? 0 : replicas;
        copy["status"] = new JsonObject
        {
            ["observedGeneration"] = copy["metadata"]!["generation"]!.GetValue<int>(),
            ["replicas"] = replicas,
            ["updatedReplicas"] = replicas,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
        };
        return copy;
    }

    /// <summary>JSON Patch's add and replace, on the paths the release commands change.</summary>
    private static void Apply(JsonObject document, string operation, string path, JsonNode? value)
    {
        if (operation is not ("add" or "replace"))
        {
            throw new InvalidOperationException($"The fake applies add and replace only, not {operation}.");
        }

        var segments = path.TrimStart('/').Split('/');
        JsonNode parent = document;
        foreach (var segment in segments[..^1])
        {
            parent = parent is JsonArray array ? array[int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture)]! : parent[segment]!;
        }

        if (parent is JsonArray list)
        {
            list[int.Parse(segments[^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
        else
        {
            parent[segments[^1]] = value;
        }
    }

    /// <summary>A service's Deployment in a slot, or (slot null) the gateway's.</summary>
    private static JsonObject Deployment(string service, string? slot, string tag, int replicas) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = slot is null ? service : Slots.Deployment(service, slot), ["namespace"] = Namespace, ["generation"] = 1 },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app.kubernetes.io/name"] = service, ["foursite.pro/slot"] = slot ?? "none" } },
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = service, ["image"] = $"registry.4site.pro:5000/foursite/{service}:{tag}" }),
                },
            },
        },
    };
}
