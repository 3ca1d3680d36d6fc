using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>
/// What a local run (<c>dotnet run --project FourSite.AppHost</c>) hands every process besides Aspire's wiring: defaults
/// that keep two shared cores for the work (metrics every 5 s, at most 2 traces a second, no profile-guided
/// recompilation, no spinning thread-pool workers), each replaced by what the operator configures.
/// </summary>
public sealed class LocalRunDefaultsTests
{
    private static readonly string[] Processes = ["gateway", "generation", "leads", "viral", "metrics"];

    [Fact]
    public async Task Every_process_gets_the_local_run_defaults()
    {
        var environments = await ProjectEnvironmentsAsync([]);

        Assert.Equal(Processes.Order(), environments.Keys.Order());
        foreach (var environment in environments.Values)
        {
            Assert.Equal("0", environment["DOTNET_TieredPGO"]);
            Assert.Equal("0", environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"]);
            Assert.Equal("5000", environment["OTEL_METRIC_EXPORT_INTERVAL"]);
            Assert.Equal("2", environment["FourSite__Telemetry__MaxTracesPerSecond"]);
        }
    }

    [Fact]
    public async Task What_the_operator_configures_replaces_each_default()
    {
        var environments = await ProjectEnvironmentsAsync(["DOTNET_TieredPGO=1", "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=70", "OTEL_METRIC_EXPORT_INTERVAL=1000", "FourSite:Telemetry:MaxTracesPerSecond=0"]);

        Assert.Equal(Processes.Order(), environments.Keys.Order());
        Assert.All(environments.Values, environment =>
        {
            Assert.Equal("1", environment["DOTNET_TieredPGO"]);
            Assert.Equal("70", environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"]);
            Assert.Equal("1000", environment["OTEL_METRIC_EXPORT_INTERVAL"]);
            Assert.Equal("0", environment["FourSite__Telemetry__MaxTracesPerSecond"]);
        });
    }

    [Fact]
    public async Task Without_an_smtp_relay_a_local_run_catches_mail_in_smtp4dev_and_with_one_it_uses_the_relay()
    {
        await using (var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FourSite_AppHost>([]))
        {
            var mail = Assert.Single(builder.Resources, resource => resource.Name == "mail");
            Assert.Contains(mail.Annotations.OfType<EndpointAnnotation>(), endpoint => endpoint.Name == "smtp");
            Assert.Contains(mail.Annotations.OfType<EndpointAnnotation>(), endpoint => endpoint.Name == "http");
        }

        var leads = (await ProjectEnvironmentsAsync([]))["leads"];
        Assert.IsType<ReferenceExpression>(leads["FourSite__Email__Endpoint"]);
        Assert.IsType<ReferenceExpression>(leads["FourSite__Email__UnsubscribeMailbox"]);
        Assert.Equal("false", leads["FourSite__Email__Pipelining"]);
        Assert.StartsWith("http://localhost:", leads["FourSite__Email__PublicUrl"].ToString());

        await using (var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FourSite_AppHost>(["FourSite:Email:Endpoint=smtps://relay.example:465"]))
        {
            Assert.DoesNotContain(builder.Resources, resource => resource.Name == "mail");
        }

        var relayed = (await ProjectEnvironmentsAsync(["FourSite:Email:Endpoint=smtps://relay.example:465", "FourSite:Email:From=Team <team@example.org>"]))["leads"];
        Assert.Equal("smtps://relay.example:465", relayed["FourSite__Email__Endpoint"]);
        Assert.Equal("Team <team@example.org>", relayed["FourSite__Email__From"]);
    }

    /// <summary>The AppHost's model for a local run, not started: each project's environment as its callbacks set it.</summary>
    private static async Task<Dictionary<string, Dictionary<string, object>>> ProjectEnvironmentsAsync(string[] settings)
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FourSite_AppHost>(settings);
        var environments = new Dictionary<string, Dictionary<string, object>>();
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            var context = new EnvironmentCallbackContext(builder.ExecutionContext, project, []);
            foreach (var annotation in project.Annotations.OfType<EnvironmentCallbackAnnotation>())
            {
                await annotation.Callback(context);
            }

            environments[project.Name] = context.EnvironmentVariables;
        }

        return environments;
    }
}
