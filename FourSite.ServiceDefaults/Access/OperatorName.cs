using FourSite.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http;

namespace FourSite.ServiceDefaults.Access;

/// <summary>Who made an operator call, for the records it leaves: the signed-in operator's login, or "operator key".</summary>
public static class OperatorName
{
    public static string Of(HttpContext context) =>
        context.User.FindFirst(AccountTokens.LoginClaim)?.Value is { Length: > 0 } login ? login : "operator key";
}
