using FourSite.ServiceDefaults;
using FourSite.Viral;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapApplicationEndpoints();

app.Run();

/// <summary>The Viral service's entry point, named so tests can host it.</summary>
public partial class Program;
