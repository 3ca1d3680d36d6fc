using FourSite.AppHost.Infrastructure.Local;

namespace FourSite.AppHost.Infrastructure;

/// <summary>
/// smtp4dev, the mail catcher of a local run when no SMTP relay is configured: every email the services send lands in
/// its web inbox (the resource's link on the dashboard), none reaches anyone. Its container image where a container
/// engine answers; otherwise its dotnet tool, installed on first use into a tool folder kept between runs.
/// </summary>
public static class MailCatcher
{
    public const string Version = "3.15.0";
    private const string SmtpEndpointName = "smtp";
    private const string ImapEndpointName = "imap";

    /// <returns>The catcher's SMTP address (<c>smtp://host:port</c>, for <c>FourSite__Email__Endpoint</c>) and its IMAP mailbox (for <c>FourSite__Email__UnsubscribeMailbox</c>).</returns>
    public static MailCatcherAddresses AddMailCatcher(this IDistributedApplicationBuilder builder)
    {
        IResourceBuilder<IResourceWithEndpoints> catcher = InfrastructureModeSelector.Select(builder) == InfrastructureMode.Containers
            ? builder.AddContainer(ResourceNames.Mail, "rnwood/smtp4dev", $"v{Version}")
                .WithHttpEndpoint(targetPort: 80, name: "http")
                .WithEndpoint(targetPort: 25, name: SmtpEndpointName, scheme: "tcp")
                .WithEndpoint(targetPort: 143, name: ImapEndpointName, scheme: "tcp")
            : builder.AddExecutable(ResourceNames.Mail, "/bin/sh", builder.AppHostDirectory, Path.Combine(builder.AppHostDirectory, "LocalServers", "smtp4dev.sh"))
                .WithHttpEndpoint(name: "http", env: "SMTP4DEV_HTTP_PORT")
                // SMTP straight to the catcher, not through an endpoint proxy: a broadcast is thousands of connections' worth of traffic.
                .WithEndpoint(name: SmtpEndpointName, scheme: "tcp", env: "SMTP4DEV_SMTP_PORT", port: FreePort.Next(), isProxied: false)
                .WithEndpoint(name: ImapEndpointName, scheme: "tcp", env: "SMTP4DEV_IMAP_PORT")
                .WithEnvironment("SMTP4DEV_VERSION", Version)
                // As every .NET process of a local run (PlatformSettings.PassRuntime): no profile-guided recompilation, no spinning workers.
                .WithEnvironment(PlatformSettings.TieredPgo, "0")
                .WithEnvironment(PlatformSettings.ThreadPoolSpinLimit, "0")
                .WithEnvironment("FOURSITE_TOOLS", LocalDataFolder.Tools());
        catcher.WithUrlForEndpoint("http", url => url.DisplayText = "Inbox");
        ((IResourceBuilder<IResourceWithEndpoints>)catcher).WithHttpHealthCheck("/api/messages?pageSize=1", endpointName: "http");
        var smtp = catcher.GetEndpoint(SmtpEndpointName);
        var imap = catcher.GetEndpoint(ImapEndpointName);
        return new MailCatcherAddresses(
            ReferenceExpression.Create($"smtp://{smtp.Property(EndpointProperty.Host)}:{smtp.Property(EndpointProperty.Port)}"),
            ReferenceExpression.Create($"imap://{imap.Property(EndpointProperty.Host)}:{imap.Property(EndpointProperty.Port)}"));
    }
}

/// <summary>Where services send mail to the catcher, and the IMAP mailbox where mail sent to them (unsubscribe requests) can be read.</summary>
public sealed record MailCatcherAddresses(ReferenceExpression Smtp, ReferenceExpression Imap);
