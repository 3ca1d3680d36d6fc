using FourSite.ServiceDefaults.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FourSite.ServiceDefaults.Access;

/// <summary>
/// Lets a call on <c>…/{siteId}/…</c> through only for the site's owner (<see cref="SiteOwnerCheck"/>); a site id that is
/// not a GUID is a 400 once a credential is there.
/// </summary>
public sealed class SiteOwnerFilter(UnknownSite unknown) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!SiteAccess.HasCredentials(http))
        {
            return OwnerAccess.TokenRequired();
        }

        if (!Guid.TryParse(http.GetRouteValue("siteId")?.ToString(), out var siteId))
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid_id", "siteId must be a UUID.");
        }

        var owners = http.RequestServices.GetRequiredService<ISiteOwners>();
        var (_, refusal) = await SiteOwnerCheck.RequireAsync(http, siteId, owners.FindOwnerAsync, unknown, http.RequestAborted);
        return refusal ?? await next(context);
    }
}

public static class SiteOwnerFilterExtensions
{
    /// <summary>Only the owner of the route's <c>{siteId}</c> may call these endpoints.</summary>
    public static TBuilder RequireSiteOwner<TBuilder>(this TBuilder builder, UnknownSite unknown) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(new SiteOwnerFilter(unknown));
        return builder.Requires(Credential.SiteOwner);
    }
}
