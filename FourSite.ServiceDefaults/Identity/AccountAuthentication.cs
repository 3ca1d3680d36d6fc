using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FourSite.ServiceDefaults.Identity;

/// <summary>
/// A service learns the calling account only from the gateway's signed token (<see cref="AccountTokens.Header"/>), never
/// from a cookie or from <c>Authorization</c> (which carries owner tokens). A missing, forged, expired or misaddressed
/// token leaves the request without an account; it is never an error on its own.
/// </summary>
public static class AccountAuthentication
{
    /// <summary>This service's audience: its name, e.g. <c>generation</c> for FourSite.Generation.</summary>
    public static string AudienceOf(IHostEnvironment environment) =>
        environment.ApplicationName.Replace("FourSite.", "", StringComparison.OrdinalIgnoreCase).ToLowerInvariant();

    public static IHostApplicationBuilder AddAccountAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section);
        var options = builder.Configuration.GetSection(IdentityOptions.Section).Get<IdentityOptions>() ?? new IdentityOptions();
        if (!options.IsConfigured)
        {
            builder.Services.AddAuthentication();
            return builder;
        }

        var audience = AudienceOf(builder.Environment);
        builder.Services.AddAuthentication(AccountTokens.Scheme).AddJwtBearer(AccountTokens.Scheme, jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = AccountTokens.ValidationFor(options, audience);
            jwt.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    if (context.Request.Headers[AccountTokens.Header].ToString() is { Length: > 0 } token)
                    {
                        context.Token = token;
                    }
                    else
                    {
                        context.NoResult();
                    }

                    return Task.CompletedTask;
                },
            };
        });
        return builder;
    }

    /// <summary>The signed-in account calling, as the gateway vouched for it; null for anonymous calls.</summary>
    public static Guid? AccountId(this HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && Guid.TryParse(context.User.FindFirstValue(AccountTokens.AccountIdClaim), out var id) ? id : null;
}
