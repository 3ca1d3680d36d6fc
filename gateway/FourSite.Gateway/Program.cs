using FourSite.Gateway;
using FourSite.Gateway.Health;
using FourSite.Gateway.Identity;
using FourSite.Gateway.Pages;
using FourSite.Gateway.Proxy;
using FourSite.Gateway.Slots;
using FourSite.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();

app.UseGatewayEdge();
app.MapHealthApi();
app.MapSignInApi();
app.MapMaintainerVerification();
app.MapSlotsApi();
app.MapPlatformPages();
app.MapShowcasePage();
app.MapLegalPages();
app.MapReverseProxy(proxy => proxy.UseGatewayProxyPipeline());

app.Run();

/// <summary>The gateway's entry point, named so tests can host it.</summary>
public partial class Program;
