using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FourSite.Testing;
using MimeKit;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>smtp4dev's inbox, read through its API as a developer's browser would show it: the mail a local run sent.</summary>
public sealed partial class MailInbox(HttpClient api)
{
    /// <summary>Every message to <paramref name="address"/> once there are at least <paramref name="count"/>, oldest first.</summary>
    public async Task<IReadOnlyList<MimeMessage>> ToAsync(string address, int count = 1) =>
        await Eventually.ReturnsAsync(() => ReadAsync(address), messages => messages.Count >= count);

    public async Task<IReadOnlyList<MimeMessage>> ReadAsync(string address)
    {
        var page = await api.GetFromJsonAsync<JsonElement>("/api/messages?pageSize=1000");
        var messages = new List<(DateTimeOffset At, MimeMessage Message)>();
        foreach (var summary in page.GetProperty("results").EnumerateArray())
        {
            if (!summary.GetProperty("to").EnumerateArray().Any(to => string.Equals(to.GetString(), address, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            await using var raw = await api.GetStreamAsync($"/api/messages/{summary.GetProperty("id").GetString()}/raw");
            messages.Add((summary.GetProperty("receivedDate").GetDateTimeOffset(), await MimeMessage.LoadAsync(raw)));
        }

        return [.. messages.OrderBy(message => message.At).Select(message => message.Message)];
    }

    /// <summary>The path of the first link in the message's HTML to <paramref name="prefix"/> on the platform.</summary>
    public static string LinkPath(MimeMessage message, string prefix)
    {
        var match = Regex.Match(message.HtmlBody ?? "", "https?://[^/\"]+(" + Regex.Escape(prefix) + "[A-Za-z0-9_-]+)");
        Assert.True(match.Success, $"no {prefix} link in: {message.HtmlBody}");
        return match.Groups[1].Value;
    }
}
