using System.Net.Http.Json;

namespace FourSite.Viral.Tests;

/// <summary>A share as a visitor's browser sends it: the share, and the visitor's session in <c>X-Session-Id</c>.</summary>
public static class ShareRequests
{
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, Guid site, string platform, string session, string url = "https://4site.pro/s/kite-1234")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/share/track") { Content = JsonContent.Create(new { websiteId = site, platform, shareUrl = url }) };
        request.Headers.Add("X-Session-Id", session);
        return await client.SendAsync(request);
    }
}
