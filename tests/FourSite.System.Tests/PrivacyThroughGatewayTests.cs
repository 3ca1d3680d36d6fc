using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Dapper;
using FourSite.Testing;
using Npgsql;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>
/// A visitor erases themselves by the link FourSite emails them, and afterwards neither their address nor the hash the
/// services know them by is in any service's database: every text column of every table is searched.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PrivacyThroughGatewayTests(PlatformApp platform)
{
    private static readonly string[] Databases = ["generationdb", "leadsdb", "viraldb", "metricsdb"];

    [Fact]
    public async Task A_person_erased_by_their_own_link_is_in_no_services_database()
    {
        const string person = "forget.me.now@example.org";
        // How the services key a person: SHA-256 of the normalised address (this one is already normal).
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(person)));
        platform.GitHub.AddRepository("privacy-org", "quiet-lib");
        using var visitor = platform.CreateGatewayClient();
        using var generated = await visitor.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/privacy-org/quiet-lib" });
        var siteId = (await generated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("siteId").GetGuid();

        // They left their address three ways: a lead with the newsletter opt-in, its confirmation email, and a report.
        var capture = await Eventually.ReturnsAsync(() => visitor.PostAsJsonAsync("/api/leads/capture", new { email = person, siteId, newsletterOptIn = true }),
            response => response.StatusCode == HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Created, capture.StatusCode);
        await platform.Inbox.ToAsync(person);
        using (var report = await visitor.PostAsJsonAsync($"/api/sites/{siteId}/reports", new { reason = "other", contact = "Forget.Me.Now@example.org" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, report.StatusCode);
        }

        Assert.NotEmpty(await WhereHeldAsync(person, hash));

        using (var requested = await visitor.PostAsJsonAsync("/api/privacy/requests", new { email = person }))
        {
            Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        }

        var link = MailInbox.LinkPath((await platform.Inbox.ToAsync(person, 2))[1], "/privacy/");
        Assert.Contains(person, await visitor.GetStringAsync(link), StringComparison.Ordinal);
        using (var erased = await visitor.PostAsync($"{link}/erase", null))
        {
            Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        }

        var remaining = await Eventually.ReturnsAsync(() => WhereHeldAsync(person, hash), places => places.Count == 0, TimeSpan.FromSeconds(30));
        Assert.Empty(remaining);
    }

    /// <summary>Every "database.table.column" whose text holds the address or the hash.</summary>
    private async Task<List<string>> WhereHeldAsync(string address, string hash)
    {
        var places = new List<string>();
        foreach (var database in Databases)
        {
            await using var connection = new NpgsqlConnection(await platform.App.GetConnectionStringAsync(database) + ";Pooling=false");
            var columns = await connection.QueryAsync<(string Table, string Column)>("""
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')
                """);
            foreach (var (table, column) in columns)
            {
                // The erasure notice itself carries the hash to the other services, and leaves with the outbox's delivered messages.
                var notErasureNotice = table == "outbox_messages" ? "AND message_type NOT LIKE 'FourSite.Contracts.Leads.LeadErased,%'" : "";
#pragma warning disable S2077 // The names come from the catalogue, quoted; the searched values are parameters.
                var held = await connection.ExecuteScalarAsync<bool>(
                    $"SELECT EXISTS (SELECT 1 FROM \"{table}\" WHERE (\"{column}\"::text ILIKE @address OR \"{column}\"::text LIKE @hash) {notErasureNotice})",
                    new { address = $"%{address}%", hash = $"%{hash}%" });
#pragma warning restore S2077
                if (held)
                {
                    places.Add($"{database}.{table}.{column}");
                }
            }
        }

        return places;
    }
}
