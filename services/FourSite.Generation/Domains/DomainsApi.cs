using FourSite.Generation.Pro;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using Microsoft.Extensions.Options;

namespace FourSite.Generation.Domains;

/// <summary>
/// Custom domains of Pro sites: their owner adds one, proves it with a DNS TXT record, and removes it;
/// <c>GET /api/domains/allowed</c> tells Caddy (on-demand TLS) and the gateway which domains are served.
/// </summary>
public static partial class DomainsApi
{
    public static IEndpointRouteBuilder MapDomainsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sites/{siteId:guid}/domains").WithTags("Domains").RequireSiteOwner(UnknownSite.NotFound);
        api.MapPost("/", Add).WithName("AddCustomDomain").WithSummary("A Pro site's owner adds a custom domain; answers the TXT record that proves it is theirs.");
        api.MapGet("/", List).WithName("ListCustomDomains").WithSummary("The site's custom domains, pending or verified, with their TXT records.");
        api.MapPost("/{domain}/verify", Verify).WithName("VerifyCustomDomain").WithSummary("Looks the domain's TXT record up; found, the domain is verified and served as the site.");
        api.MapDelete("/{domain}", Remove).WithName("RemoveCustomDomain").WithSummary("Removes a custom domain; it is no longer served.");

        app.MapGet("/api/domains/allowed", Allowed)
            .WithTags("Domains")
            .WithName("IsDomainAllowed")
            .WithSummary("200 with the site for a verified domain of a site that is Pro now, else 404: Caddy's on-demand TLS 'ask' endpoint, and the gateway's lookup.");
        return app;
    }

    /// <summary>The body of <c>POST /api/sites/{siteId}/domains</c>.</summary>
    public sealed record DomainRequest(string? Domain);

    /// <summary>What the owner's domain calls work with.</summary>
    public sealed record DomainServices(ProStatus Pro, DomainStore Domains, DnsVerifier Dns, IOptions<DomainOptions> Options, ILoggerFactory Logs);

    public static async Task<IResult> Add(Guid siteId, DomainRequest request, [AsParameters] DomainServices services, CancellationToken cancellationToken)
    {
        var (domain, error) = DomainName.Normalize(request.Domain);
        if (domain is null)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["domain"] = [error!] });
        }

        if (!(await services.Pro.OfAsync(siteId, cancellationToken)).Active)
        {
            return Problems.Of(StatusCodes.Status402PaymentRequired, "pro_required", "Custom domains are a Pro feature: upgrade the site to Pro first.");
        }

        var (claim, added) = await services.Domains.AddAsync(siteId, domain, services.Options.Value.MaxPerSite, cancellationToken);
        return claim switch
        {
            DomainClaim.Added => TypedResults.Created($"/api/sites/{siteId}/domains/{domain}", added),
            DomainClaim.AlreadyAdded => TypedResults.Ok(added),
            DomainClaim.TakenByAnotherSite => Problems.Of(StatusCodes.Status409Conflict, "domain_taken", $"{domain} is already served as another site."),
            _ => Problems.Of(StatusCodes.Status409Conflict, "domain_limit_reached", $"A site has at most {services.Options.Value.MaxPerSite} custom domains."),
        };
    }

    public static async Task<IResult> List(Guid siteId, [AsParameters] DomainServices services, CancellationToken cancellationToken) =>
        TypedResults.Ok(await services.Domains.ListAsync(siteId, cancellationToken));

    public static async Task<IResult> Verify(Guid siteId, string domain, [AsParameters] DomainServices services, CancellationToken cancellationToken)
    {
        if (DomainName.Normalize(domain).Domain is not { } name || await services.Domains.FindAsync(siteId, name, cancellationToken) is not { } claimed)
        {
            return DomainNotFound();
        }

        if (claimed.VerifiedAt is not null)
        {
            return TypedResults.Ok(claimed);
        }

        var records = await services.Dns.ChallengeRecordsAsync(name, cancellationToken);
        if (!records.Contains(claimed.Verification.Value, StringComparer.Ordinal))
        {
            LogNotVerified(services.Logs.CreateLogger(typeof(DomainsApi)), name, records.Count);
            return Problems.Of(StatusCodes.Status422UnprocessableEntity, "verification_failed", "The domain's verification record was not found.",
                $"No TXT record {claimed.Verification.Name} with the value {claimed.Verification.Value} was found ({records.Count} TXT value(s) there). DNS changes can take a few minutes to spread.");
        }

        if (await services.Domains.MarkVerifiedAsync(siteId, name, cancellationToken) is not { } verified)
        {
            return Problems.Of(StatusCodes.Status409Conflict, "domain_taken", $"{name} was verified for another site first.");
        }

        LogVerified(services.Logs.CreateLogger(typeof(DomainsApi)), name, siteId);
        return TypedResults.Ok(verified);
    }

    public static async Task<IResult> Remove(Guid siteId, string domain, [AsParameters] DomainServices services, CancellationToken cancellationToken)
    {
        return DomainName.Normalize(domain).Domain is { } name && await services.Domains.RemoveAsync(siteId, name, cancellationToken)
            ? TypedResults.NoContent()
            : DomainNotFound();
    }

    public static async Task<IResult> Allowed(string? domain, DomainStore domains, CancellationToken cancellationToken)
    {
        if (DomainName.Normalize(domain).Domain is not { } name)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["domain"] = ["domain must be a host name, like docs.example.org."] });
        }

        return await domains.ServedAsync(name, cancellationToken) is { } served
            ? TypedResults.Ok(served)
            : Problems.Of(StatusCodes.Status404NotFound, "domain_not_served", "No Pro site is served under this domain.");
    }

    private static IResult DomainNotFound() => Problems.Of(StatusCodes.Status404NotFound, "domain_not_found", "This site has no such custom domain.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Custom domain {Domain} verified for site {SiteId}")]
    private static partial void LogVerified(ILogger logger, string domain, Guid siteId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Custom domain {Domain} not verified: {Found} TXT value(s), none the expected one")]
    private static partial void LogNotVerified(ILogger logger, string domain, int found);
}
