using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Identity;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace FourSite.Gateway.Identity;

/// <summary>
/// Every proxied request loses whatever a client put in <see cref="AccountTokens.Header"/>, and, when someone is signed
/// in, carries a fresh token for the service it goes to (the cluster's name is the token's audience). A signed-in
/// operator (a GitHub login listed in <c>FourSite:Operator:GitHubLogins</c>) calls with the operator key, which never
/// reaches their browser.
/// </summary>
public sealed class AccountForwarding(AccountTokenIssuer tokens, IOptionsMonitor<OperatorOptions> operators) : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        var audience = context.Cluster?.ClusterId;
        context.AddRequestTransform(transform =>
        {
            transform.ProxyRequest.Headers.Remove(AccountTokens.Header);
            var user = transform.HttpContext.User;
            if (audience is not null && tokens.ForAccount(user, audience) is { } token)
            {
                transform.ProxyRequest.Headers.Add(AccountTokens.Header, token);
                var current = operators.CurrentValue;
                if (current.ApiKey is { Length: > 0 } key && current.IsOperatorLogin(user.FindFirst(AccountTokens.LoginClaim)?.Value)
                    && !transform.ProxyRequest.Headers.Contains(Credentials.ApiKeyHeader))
                {
                    transform.ProxyRequest.Headers.Add(Credentials.ApiKeyHeader, key);
                }
            }

            return ValueTask.CompletedTask;
        });
    }
}
