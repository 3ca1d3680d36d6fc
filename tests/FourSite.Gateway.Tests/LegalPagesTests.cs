using System.Net;
using Xunit;

namespace FourSite.Gateway.Tests;

/// <summary>The privacy notice and the imprint: the operator's files, shown as encoded paragraphs; the built-in text without them.</summary>
public sealed class LegalPagesTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Without_files_the_built_in_notice_and_a_plain_imprint_are_shown()
    {
        await using var gateway = new GatewayFactory([], redis.Server.ConnectionString);
        using var client = gateway.CreateClient();

        var notice = await client.GetStringAsync("/privacy-notice");
        Assert.Contains("<h1>Privacy notice</h1>", notice, StringComparison.Ordinal);
        Assert.Contains("/your-data", notice, StringComparison.Ordinal);
        var imprint = await client.GetStringAsync("/imprint");
        Assert.Contains("has not published an imprint", imprint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_operators_files_are_shown_paragraph_by_paragraph_and_encoded_and_an_edit_shows_at_once()
    {
        var directory = Directory.CreateTempSubdirectory("foursite-legal");
        var noticeFile = Path.Combine(directory.FullName, "privacy.txt");
        var imprintFile = Path.Combine(directory.FullName, "imprint.txt");
        await File.WriteAllTextAsync(noticeFile, "We are Example Ltd.\n\nWrite to <privacy@example.org>.");
        await File.WriteAllTextAsync(imprintFile, "Example Ltd, 1 Main Street");
        try
        {
            await using var gateway = new GatewayFactory([], redis.Server.ConnectionString, new Dictionary<string, string?>
            {
                ["FourSite:Gateway:PrivacyNoticeFile"] = noticeFile,
                ["FourSite:Gateway:ImprintFile"] = imprintFile,
            });
            using var client = gateway.CreateClient();

            using var response = await client.GetAsync("/privacy-notice");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var notice = await response.Content.ReadAsStringAsync();
            Assert.Contains("<p>We are Example Ltd.</p>", notice, StringComparison.Ordinal);
            Assert.Contains("<p>Write to &lt;privacy@example.org&gt;.</p>", notice, StringComparison.Ordinal);
            Assert.DoesNotContain("<privacy@example.org>", notice, StringComparison.Ordinal);
            Assert.Contains("<p>Example Ltd, 1 Main Street</p>", await client.GetStringAsync("/imprint"), StringComparison.Ordinal);

            await File.WriteAllTextAsync(imprintFile, "Example Ltd, 2 Main Street");
            Assert.Contains("2 Main Street", await client.GetStringAsync("/imprint"), StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
