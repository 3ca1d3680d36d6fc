using FourSite.ServiceDefaults.Identity;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace FourSite.Gateway.Identity;

/// <summary>
/// Every proxied request loses whatever a client put in <see cref="AccountTokens.Header"/>, and, when someone is signed
/// in, carries a fresh token for the service it goes to (the cluster's name is the token's audience).
/// </summary>
public sealed class AccountForwarding(AccountTokenIssuer tokens) : ITransformProvider
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
            if (audience is not null && tokens.ForAccount(transform.HttpContext.User, audience) is { } token)
            {
                transform.ProxyRequest.Headers.Add(AccountTokens.Header, token);
            }

            return ValueTask.CompletedTask;
        });
    }
}
