using System.Text.Json;
using FourSite.Client;

namespace FourSite.Ops.Scanning;

/// <summary>
/// The API baseline scan against a deployment: its OpenAPI documents (addresses or files), its pages, and — given a
/// repository — a site it generates for the owner calls and removes afterwards. Prints every finding and returns them.
/// </summary>
public static class ScanCommand
{
    public static readonly string[] Pages = ["/", "/dashboard", "/ops", "/no-such-page-here"];

    public static async Task<IReadOnlyList<ScanFinding>> RunAsync(Uri target, IReadOnlyList<string> openApi, string? operatorKey, string? repoUrl, TextWriter output,
        CancellationToken cancellationToken, string? clientAddress = null)
    {
        // No cookies and no redirects: a sign-in the scan walks into must not lend its session to the calls without credentials.
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false, CheckCertificateRevocationList = true };
        using var http = new HttpClient(handler) { BaseAddress = target, Timeout = Timeout.InfiniteTimeSpan };
        if (clientAddress is not null)
        {
            http.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        }

        var documents = new List<JsonElement>();
        foreach (var source in openApi)
        {
            documents.Add(JsonDocument.Parse(await ReadAsync(http, source, cancellationToken)).RootElement);
        }

        var api = FourSiteClient.Create(target);
        (Guid SiteId, string Slug, string OwnerToken)? site = repoUrl is null ? null : await SmokeChecks.GenerateAsync(api, repoUrl, cancellationToken);
        try
        {
            var scan = new ApiBaselineScan(http, new ScanCredentials(operatorKey, site?.OwnerToken, site?.SiteId));
            var findings = await scan.RunAsync(documents, site is { } generated ? [.. Pages, $"/s/{generated.Slug}"] : Pages, cancellationToken);
            foreach (var finding in findings)
            {
                output.WriteLine($"FAIL {finding}");
            }

            output.WriteLine($"answers: {string.Join(", ", scan.Answers.OrderBy(answer => answer.Key).Select(answer => $"{answer.Key} ×{answer.Value}"))}");
            var operations = documents.SelectMany(ApiOperation.AllIn).ToList();
            output.WriteLine($"{documents.Count} documents, {operations.Count} operations ({operations.Count(operation => operation.Protected)} protected), {scan.RequestsSent} requests, {findings.Count} findings");
            return findings;
        }
        finally
        {
            if (site is { } generated)
            {
                await api.RemoveSiteAsync(generated.SiteId, generated.OwnerToken, CancellationToken.None);
            }
        }
    }

    private static async Task<string> ReadAsync(HttpClient http, string source, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(source, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            return await File.ReadAllTextAsync(source, cancellationToken);
        }

        using var response = await http.GetAsync(address, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"The OpenAPI document at {address} answered {(int)response.StatusCode}: {text}");
    }
}
