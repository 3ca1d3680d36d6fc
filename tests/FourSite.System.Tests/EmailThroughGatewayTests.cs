using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using FourSite.Testing;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>
/// Email as a developer's local run sends it: no relay configured, so the AppHost's smtp4dev catches it. A visitor's
/// opt-in is confirmed from the emailed link; the verified maintainer's announcement arrives with both unsubscribe
/// headers; one-click unsubscribe stops the next one.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EmailThroughGatewayTests(PlatformApp platform)
{
    [Fact]
    public async Task A_visitor_confirms_and_gets_the_maintainers_news_until_one_click_unsubscribe()
    {
        platform.GitHub.AddRepository("mail-org", "newsy-lib", description: "Sends news");
        platform.GitHub.Grant("newsy-nora", "mail-org", "newsy-lib", "admin");
        using var maintainer = new Browser(platform);
        await maintainer.SignInAsync("newsy-nora");
        using var generated = await maintainer.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/mail-org/newsy-lib" });
        var siteId = (await generated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("siteId").GetGuid();
        (await maintainer.Client.PostAsync($"/api/sites/{siteId}/verify", null)).EnsureSuccessStatusCode();

        using var visitor = platform.CreateGatewayClient();
        var capture = await Eventually.ReturnsAsync(() => visitor.PostAsJsonAsync("/api/leads/capture", new { email = "newsy.reader@example.org", siteId, newsletterOptIn = true }),
            response => response.StatusCode == HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Created, capture.StatusCode);
        // A second reader, whose mail client will unsubscribe by mail (the mailto of List-Unsubscribe).
        (await visitor.PostAsJsonAsync("/api/leads/capture", new { email = "mailing.reader@example.org", siteId, newsletterOptIn = true })).EnsureSuccessStatusCode();
        var other = (await platform.Inbox.ToAsync("mailing.reader@example.org"))[0];
        Assert.Equal(HttpStatusCode.OK, (await visitor.PostAsync(MailInbox.LinkPath(other, "/e/confirm/"), null)).StatusCode);

        var confirmation = (await platform.Inbox.ToAsync("newsy.reader@example.org"))[0];
        Assert.StartsWith("Confirm you want news from", confirmation.Subject);
        var confirm = MailInbox.LinkPath(confirmation, "/e/confirm/");
        using (var page = await visitor.GetAsync(confirm))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.StartsWith("text/html", page.Content.Headers.ContentType?.ToString());
        }

        Assert.Equal(HttpStatusCode.OK, (await visitor.PostAsync(confirm, null)).StatusCode);

        // The verified maintainer announces; a stranger signed in may not.
        using var stranger = new Browser(platform);
        await stranger.SignInAsync("stranger-sam");
        var announcement = new { subject = "Newsy 1.0", markdown = "It is **out**.", audience = "subscribers" };
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.Client.PostAsJsonAsync($"/api/sites/{siteId}/announcements", announcement)).StatusCode);
        var sent = await Eventually.ReturnsAsync(() => maintainer.Client.PostAsJsonAsync($"/api/sites/{siteId}/announcements", announcement),
            response => response.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(2, (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recipients").GetInt32());

        var news = (await platform.Inbox.ToAsync("newsy.reader@example.org", 2))[1];
        Assert.Equal("Newsy 1.0", news.Subject);
        var listUnsubscribe = news.Headers["List-Unsubscribe"] ?? "";
        Assert.Contains("/e/unsubscribe/", listUnsubscribe);
        Assert.Contains("<mailto:", listUnsubscribe);
        Assert.Equal("List-Unsubscribe=One-Click", news.Headers["List-Unsubscribe-Post"]);

        var oneClick = listUnsubscribe[listUnsubscribe.IndexOf("/e/unsubscribe/", StringComparison.Ordinal)..listUnsubscribe.IndexOf('>')];
        using var unsubscribed = await visitor.PostAsync(oneClick, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, unsubscribed.StatusCode);

        // The other reader's mail client writes to the mailto instead; Leads reads the mailbox and acts on it.
        var mailing = (await platform.Inbox.ToAsync("mailing.reader@example.org", 2))[1].Headers["List-Unsubscribe"] ?? "";
        var mailto = mailing[(mailing.IndexOf("<mailto:", StringComparison.Ordinal) + "<mailto:".Length)..mailing.LastIndexOf('>')].Split("?subject=");
        using (var smtp = new MailKit.Net.Smtp.SmtpClient())
        {
            var catcher = platform.App.GetEndpoint("mail", "smtp");
            await smtp.ConnectAsync(catcher.Host, catcher.Port, MailKit.Security.SecureSocketOptions.None);
            var request = new MimeKit.MimeMessage { Subject = Uri.UnescapeDataString(mailto[1]) };
            request.From.Add(MimeKit.MailboxAddress.Parse("mailing.reader@example.org"));
            request.To.Add(MimeKit.MailboxAddress.Parse(mailto[0]));
            request.Body = new MimeKit.TextPart("plain") { Text = "" };
            await smtp.SendAsync(request);
            await smtp.DisconnectAsync(true);
        }

        var counts = await Eventually.ReturnsAsync(() => maintainer.Client.GetFromJsonAsync<JsonElement>($"/api/sites/{siteId}/announcements/subscribers"),
            subscribers => subscribers.GetProperty("confirmed").GetInt32() == 0);
        Assert.Equal(2, counts.GetProperty("unsubscribed").GetInt32());

        using var second = await maintainer.Client.PostAsJsonAsync($"/api/sites/{siteId}/announcements", announcement with { subject = "Newsy 1.1" });
        Assert.Equal(0, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recipients").GetInt32());
        var history = await maintainer.Client.GetFromJsonAsync<JsonElement>($"/api/sites/{siteId}/announcements");
        Assert.Equal(2, history.GetArrayLength());
        Assert.Equal(2, (await platform.Inbox.ReadAsync("newsy.reader@example.org")).Count);
    }
}
