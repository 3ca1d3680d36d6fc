using Microsoft.AspNetCore.Builder;

namespace FourSite.ServiceDefaults.Access;

/// <summary>
/// Endpoint metadata: the call needs one of <see cref="Any"/>. It documents the call (its OpenAPI <c>security</c>) and is
/// what the API baseline scan holds the call to; each handler or filter still checks the credential itself.
/// </summary>
public sealed record RequiredCredentials(IReadOnlyList<Credential> Any);

public static class RequiredCredentialsExtensions
{
    public static TBuilder Requires<TBuilder>(this TBuilder builder, params Credential[] any) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredCredentials(any));
}
