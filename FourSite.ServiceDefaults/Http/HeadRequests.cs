using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FourSite.ServiceDefaults.Http;

/// <summary>
/// Pages and health answer <c>HEAD</c> as they answer <c>GET</c> (uptime monitors and <c>curl -I</c> use it); the
/// server sends the status and headers and leaves out the body.
/// </summary>
public static class HeadRequests
{
    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static RouteHandlerBuilder MapGetAndHead(this IEndpointRouteBuilder app, string pattern, Delegate handler) =>
        app.MapMethods(pattern, GetAndHead, handler);
}
