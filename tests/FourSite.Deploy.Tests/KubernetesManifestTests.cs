using System.Text.Json;
using System.Text.Json.Nodes;
using FourSite.Generation.Pipeline;
using FourSite.Ops.Releases;
using FourSite.Testing;
using Xunit;

namespace FourSite.Deploy.Tests;

/// <summary>
/// Every overlay of <c>deploy/kubernetes</c>, rendered by <c>kubectl kustomize</c>, holds to the platform's rules and
/// stays true to the AppHost: what it hands each service, the gateway's routes to both slots, the queue Generation
/// scales on, the longest request a pod must finish before it stops.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly Lazy<Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, bool>>>> AppHost = new(AppHostSettings.ReadAsync);

    public static TheoryData<string> Overlays => new() { "staging", "production" };

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_Deployment_is_probed_limited_non_root_read_only_and_pinned(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var longestRequest = GatewayClusters().Max(cluster => TimeSpan.Parse(cluster.Value!["HttpRequest"]!["ActivityTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(9, rendered.OfKind("Deployment").Count());
        foreach (var deployment in rendered.OfKind("Deployment"))
        {
            var name = RenderedOverlay.NameOf(deployment);
            var pod = deployment["spec"]!["template"]!["spec"]!;
            Assert.True(pod["securityContext"]?["runAsNonRoot"]?.GetValue<string>() == "true", $"{name} may run as root");
            Assert.True(int.Parse(pod["terminationGracePeriodSeconds"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > longestRequest.TotalSeconds + 5,
                $"{name} may be killed before its longest request ({longestRequest.TotalSeconds} s) ends");
            Assert.Null(deployment["spec"]!["replicas"]);
            foreach (var container in pod["containers"]!.AsArray())
            {
                var security = container!["securityContext"]!;
                Assert.Equal("true", security["readOnlyRootFilesystem"]?.GetValue<string>());
                Assert.Equal("false", security["allowPrivilegeEscalation"]?.GetValue<string>());
                Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(item => item!.GetValue<string>()));
                foreach (var bound in new[] { "requests", "limits" })
                {
                    Assert.NotNull(container["resources"]?[bound]?["cpu"]);
                    Assert.NotNull(container["resources"]?[bound]?["memory"]);
                }

                Assert.Equal("/alive", container["startupProbe"]?["httpGet"]?["path"]?.GetValue<string>());
                Assert.Equal("/health", container["readinessProbe"]?["httpGet"]?["path"]?.GetValue<string>());
                Assert.Equal("/alive", container["livenessProbe"]?["httpGet"]?["path"]?.GetValue<string>());
                var image = container["image"]!.GetValue<string>();
                var service = deployment["spec"]!["template"]!["metadata"]!["labels"]!["app.kubernetes.io/name"]!.GetValue<string>();
                Assert.Matches($@"/{ContainerRepositoryOf(service)}:[\w.-]+$", image);
                Assert.False(image.EndsWith(":latest", StringComparison.Ordinal), $"{name} runs {image}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_Deployment_has_a_disruption_budget_and_an_autoscaler(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);

        foreach (var deployment in rendered.OfKind("Deployment"))
        {
            var name = RenderedOverlay.NameOf(deployment);
            var labels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
            var budgets = rendered.OfKind("PodDisruptionBudget").Count(budget => budget["spec"]!["selector"]!["matchLabels"]!.AsObject()
                .All(label => labels[label.Key]?.GetValue<string>() == label.Value!.GetValue<string>()));
            Assert.True(budgets == 1, $"{name} is covered by {budgets} disruption budgets");
            var scalers = rendered.OfKind("HorizontalPodAutoscaler").Concat(rendered.OfKind("ScaledObject"))
                .Where(scaler => scaler["spec"]!["scaleTargetRef"]!["name"]!.GetValue<string>() == name).ToList();
            Assert.True(scalers.Count == 1, $"{name} has {scalers.Count} autoscalers");
        }

        foreach (var slot in new[] { Slots.Blue, Slots.Green })
        {
            var generation = rendered.Named("ScaledObject", $"generation-{slot}")["spec"]!;
            var queue = generation["triggers"]!.AsArray().Single(trigger => trigger!["type"]!.GetValue<string>() == "rabbitmq")!;
            Assert.Equal(GenerationQueues.GenerateSite, queue["metadata"]!["queueName"]!.GetValue<string>());
            Assert.Equal("rabbitmq", queue["authenticationRef"]!["name"]!.GetValue<string>());
            Assert.True(int.Parse(generation["minReplicaCount"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
            Assert.True(int.Parse(generation["maxReplicaCount"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= 4);
        }

        Assert.Single(rendered.OfKind("TriggerAuthentication"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_setting_and_secret_the_AppHost_hands_a_service_is_in_its_Deployments_and_secrets_only_by_reference(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var handed = await AppHost.Value;

        Assert.Equal(Slots.Services.Append("gateway").Order(StringComparer.Ordinal), handed.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(rendered.OfKind("Secret"));
        foreach (var (process, settings) in handed)
        {
            var deployments = process == "gateway" ? ["gateway"] : Slots.Services.Contains(process) ? new[] { $"{process}-blue", $"{process}-green" } : throw new InvalidOperationException($"Unknown process {process}.");
            foreach (var deploymentName in deployments)
            {
                var env = rendered.Named("Deployment", deploymentName)["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray()
                    .ToDictionary(variable => variable!["name"]!.GetValue<string>(), variable => variable!);
                foreach (var (setting, secret) in settings)
                {
                    Assert.True(env.ContainsKey(setting), $"{deploymentName} ({overlay}) lacks {setting}, which the AppHost hands {process}");
                    var source = env[setting]["valueFrom"];
                    if (secret)
                    {
                        Assert.True(source?["secretKeyRef"] is not null && env[setting]["value"] is null, $"{deploymentName}: {setting} is a secret and must come from a Secret");
                    }
                    else
                    {
                        Assert.True(source?["secretKeyRef"] is null, $"{deploymentName}: {setting} is not a secret");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_gateway_routes_each_service_to_both_of_its_slots(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var gatewayEnv = rendered.Named("Deployment", "gateway")["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();

        Assert.Equal(Slots.Services.Order(StringComparer.Ordinal), GatewayClusters().Select(cluster => cluster.Key).Order(StringComparer.Ordinal));
        foreach (var service in Slots.Services)
        {
            foreach (var slot in new[] { Slots.Blue, Slots.Green })
            {
                var address = gatewayEnv.Single(variable => variable!["name"]!.GetValue<string>() == $"ReverseProxy__Clusters__{service}__Destinations__{slot}__Address");
                Assert.Equal($"http://{service}-{slot}", address!["value"]!.GetValue<string>());
                var selector = rendered.Named("Service", $"{service}-{slot}")["spec"]!["selector"]!.AsObject();
                Assert.Equal(service, selector["app.kubernetes.io/name"]!.GetValue<string>());
                Assert.Equal(slot, selector["foursite.pro/slot"]!.GetValue<string>());
                var labels = rendered.Named("Deployment", $"{service}-{slot}")["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
                Assert.All(selector, label => Assert.Equal(label.Value!.GetValue<string>(), labels[label.Key]?.GetValue<string>()));
            }

            Assert.Equal(service, rendered.Named("Service", service)["spec"]!["selector"]!["app.kubernetes.io/name"]!.GetValue<string>());
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Only_the_gateway_reaches_the_services_and_only_the_platform_reaches_the_data_stores(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);

        var deny = rendered.Named("NetworkPolicy", "default-deny")["spec"]!;
        Assert.Empty(deny["podSelector"]!.AsObject());
        Assert.Equal(["Ingress", "Egress"], deny["policyTypes"]!.AsArray().Select(type => type!.GetValue<string>()));
        var servicesIngress = rendered.Named("NetworkPolicy", "services-ingress")["spec"]!;
        Assert.Equal(["gateway", "metrics"], servicesIngress["ingress"]![0]!["from"]!.AsArray().Select(peer => peer!["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"]!.GetValue<string>()));
        var dataStores = rendered.Named("NetworkPolicy", "data-stores-egress")["spec"]!;
        Assert.Equal(Slots.Services, dataStores["podSelector"]!["matchExpressions"]![0]!["values"]!.AsArray().Select(value => value!.GetValue<string>()));
        Assert.Equal(["5432", "5672", "6379"], dataStores["egress"]![0]!["ports"]!.AsArray().Select(port => port!["port"]!.GetValue<string>()));
        Assert.Equal(["6379"], rendered.Named("NetworkPolicy", "gateway-cache-egress")["spec"]!["egress"]![0]!["ports"]!.AsArray().Select(port => port!["port"]!.GetValue<string>()));
        var internet = rendered.Named("NetworkPolicy", "internet-egress")["spec"]!["egress"]![0]!["to"]![0]!["ipBlock"]!;
        Assert.Contains("10.0.0.0/8", internet["except"]!.AsArray().Select(range => range!.GetValue<string>()));
        var backend = rendered.Named("Ingress", "gateway")["spec"]!["rules"]![0]!["http"]!["paths"]![0]!["backend"]!["service"]!;
        Assert.Equal("gateway", backend["name"]!.GetValue<string>());
    }

    /// <summary>The image name a project publishes (its ContainerRepository), the same the manifests run.</summary>
    private static string ContainerRepositoryOf(string service)
    {
        var project = service == "gateway"
            ? Path.Combine(Repository.Root, "gateway", "FourSite.Gateway", "FourSite.Gateway.csproj")
            : Path.Combine(Repository.Root, "services", $"FourSite.{char.ToUpperInvariant(service[0])}{service[1..]}", $"FourSite.{char.ToUpperInvariant(service[0])}{service[1..]}.csproj");
        return System.Xml.Linq.XDocument.Load(project).Descendants("ContainerRepository").Single().Value;
    }

    /// <summary>The gateway's YARP clusters, one per service, from its appsettings.json.</summary>
    private static IEnumerable<KeyValuePair<string, JsonNode?>> GatewayClusters()
    {
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "gateway", "FourSite.Gateway", "appsettings.json")), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        return settings["ReverseProxy"]!["Clusters"]!.AsObject();
    }
}
