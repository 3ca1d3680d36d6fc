using FourSite.Gateway.Domains;
using Xunit;

namespace FourSite.Gateway.Tests;

/// <summary>Which hosts are the platform's own, and which are looked up as custom domains.</summary>
public sealed class PlatformHostTests
{
    [Theory]
    [InlineData("localhost", true)]
    [InlineData("app.localhost", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::1]", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("gateway", true)]
    [InlineData("4site.pro", true)]
    [InlineData("docs.example.org", false)]
    [InlineData("4site.pro.evil.example", false)]
    public void Loopback_addresses_single_labels_and_configured_hosts_are_the_platforms(string host, bool platform) =>
        Assert.Equal(platform, CustomDomainRouting.IsPlatformHost(host, ["4site.pro"]));
}
