using FourSite.ServiceDefaults.Identity;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FourSite.ServiceDefaults.Access;

/// <summary>Writes each call's <see cref="RequiredCredentials"/> into the OpenAPI document as security schemes and requirements.</summary>
public sealed class CredentialsInOpenApi : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    private static readonly Dictionary<Credential, (string Id, OpenApiSecurityScheme Scheme)[]> Schemes = new()
    {
        [Credential.OperatorKey] = [("operatorKey", new() { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = Credentials.ApiKeyHeader, Description = "The operator key." })],
        [Credential.SiteOwner] =
        [
            ("ownerToken", new() { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "The site's owner token, answered by POST /api/generate." }),
            ("account", AccountScheme()),
        ],
        [Credential.Account] = [("account", AccountScheme())],
        [Credential.Signature] = [("signature", new() { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Hub-Signature-256", Description = "The sender's HMAC signature of the body (GitHub's X-Hub-Signature-256, Stripe's Stripe-Signature)." })],
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        foreach (var (id, scheme) in Schemes.Values.SelectMany(schemes => schemes))
        {
            document.Components.SecuritySchemes[id] = scheme;
        }

        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiredCredentials>().LastOrDefault() is { } required)
        {
            // Alternatives: one requirement per credential that will do.
            operation.Security = [.. required.Any.SelectMany(credential => Schemes[credential]).DistinctBy(scheme => scheme.Id)
                .Select(scheme => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme.Id, context.Document)] = [] })];
        }

        return Task.CompletedTask;
    }

    /// <summary>The gateway's session cookie; behind the gateway, services see its signed token in <see cref="AccountTokens.Header"/>.</summary>
    private static OpenApiSecurityScheme AccountScheme() =>
        new() { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = AccountTokens.Header, Description = "A signed-in account: the gateway's session (sign in with GitHub at /auth/github/login)." };
}
