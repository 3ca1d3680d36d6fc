using FourSite.ServiceDefaults.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FourSite.ServiceDefaults.Access;

/// <summary>
/// Lets a call through only with the operator key in <c>X-Api-Key</c>: 401 without one, 403 with a wrong one. It runs before
/// the handler, so an unauthorised caller learns nothing about the data the call would touch.
/// </summary>
public sealed class OperatorKeyFilter(IOptionsMonitor<OperatorOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Check(context.HttpContext, options.CurrentValue) ?? await next(context);

    /// <summary>Null when the request carries the operator key; otherwise the problem to answer.</summary>
    public static IResult? Check(HttpContext context, OperatorOptions options)
    {
        var presented = context.Request.Headers[Credentials.ApiKeyHeader].ToString();
        if (string.IsNullOrEmpty(presented))
        {
            return Problems.Of(StatusCodes.Status401Unauthorized, "operator_key_required", "This call needs the operator key in X-Api-Key.");
        }

        return Credentials.SecretEquals(presented, options.ApiKey)
            ? null
            : Problems.Of(StatusCodes.Status403Forbidden, "operator_key_invalid", "The operator key is not valid.");
    }
}

/// <summary>Marks endpoints as operator-only.</summary>
public static class OperatorKeyExtensions
{
    public static TBuilder RequireOperatorKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter<TBuilder, OperatorKeyFilter>();
        return builder.Requires(Credential.OperatorKey);
    }

    public static IServiceCollection AddOperatorAccess(this IServiceCollection services)
    {
        services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.Section);
        return services;
    }
}
