using FourSite.AppHost;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>The API baseline scan's AppHost: rate limits off, so that every input reaches the services rather than a 429.</summary>
public sealed class ScanPlatformApp : PlatformApp
{
    protected override IEnumerable<string> Settings => [$"{PlatformSettings.RateLimitingEnabled}=false"];
}

[CollectionDefinition(Name)]
public sealed class ScanPlatformCollection : ICollectionFixture<ScanPlatformApp>
{
    public const string Name = "scanned platform";
}
