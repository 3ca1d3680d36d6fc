using FourSite.Metrics;
using FourSite.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapApplicationEndpoints();

app.Run();

/// <summary>The Metrics service's entry point, named so tests can host it.</summary>
public partial class Program;
