using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Identity;
using Microsoft.Extensions.Options;

namespace FourSite.Gateway.Identity;

/// <summary>
/// The gateway's own operator calls (slot routing): a signed-in operator (a GitHub login listed in
/// <c>FourSite:Operator:GitHubLogins</c>) is let through as proxied calls let them through, anyone else needs the
/// operator key (401 without one, 403 with a wrong one).
/// </summary>
public sealed class OperatorFilter(IOptionsMonitor<OperatorOptions> operators) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var options = operators.CurrentValue;
        var login = context.HttpContext.User.FindFirst(AccountTokens.LoginClaim)?.Value;
        return options.IsOperatorLogin(login) ? await next(context) : OperatorKeyFilter.Check(context.HttpContext, options) ?? await next(context);
    }
}
