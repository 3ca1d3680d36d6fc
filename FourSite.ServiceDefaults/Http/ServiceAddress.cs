namespace FourSite.ServiceDefaults.Http;

/// <summary>
/// Where one FourSite service calls another: the service's name, resolved by service discovery to its endpoints on the
/// platform's own network (TLS from visitors ends in front of the gateway).
/// </summary>
public static class ServiceAddress
{
    public static Uri Of(string service, string pathAndQuery = "") =>
#pragma warning disable S5332 // Calls between services stay on the platform's private network, addressed by service discovery.
        new($"http://{service}{pathAndQuery}");
#pragma warning restore S5332
}
