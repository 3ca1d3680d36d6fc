using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace FourSite.Client;

/// <summary>Makes <see cref="IFourSiteApi"/> clients: standalone for tools, or registered with an HttpClient factory.</summary>
public static class FourSiteClient
{
    public static readonly RefitSettings Settings = new(new SystemTextJsonContentSerializer(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    }));

    /// <summary>A client of the platform at <paramref name="baseAddress"/> (its gateway).</summary>
    public static IFourSiteApi Create(Uri baseAddress, HttpMessageHandler? handler = null, TimeSpan? timeout = null) =>
        RestService.For<IFourSiteApi>(new HttpClient(handler ?? new SocketsHttpHandler()) { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(60) }, Settings);

    /// <summary>A client of an existing HttpClient (its base address the gateway), e.g. one made by Aspire.Hosting.Testing.</summary>
    public static IFourSiteApi For(HttpClient client) => RestService.For<IFourSiteApi>(client, Settings);

    /// <summary>Registers <see cref="IFourSiteApi"/> with the HttpClient factory, for .NET apps that call the platform.</summary>
    public static IHttpClientBuilder AddFourSiteClient(this IServiceCollection services, Uri baseAddress) =>
        services.AddHttpClient(nameof(IFourSiteApi), client => client.BaseAddress = baseAddress).AddTypedClient(For);
}
