using FourSite.Gateway;
using FourSite.Gateway.Health;
using FourSite.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapHealthApi();
app.MapReverseProxy();

app.Run();

/// <summary>The gateway's entry point, named so tests can host it.</summary>
public partial class Program;
