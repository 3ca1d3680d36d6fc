using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FourSite.Benchmarks;

/// <summary>
/// Social cards through the gateway: a site's card the first time it is asked for (drawn, encoded as PNG and kept) and
/// after (read back), one request at a time, so each is the cost of one card.
/// </summary>
public static partial class CardBenchmark
{
    public static async Task RunAsync(RunningPlatform platform, int sites)
    {
        using var client = platform.Client("gateway");
        var cards = new List<string>(sites);
        for (var i = 0; i < sites; i++)
        {
            using var generated = await client.PostAsJsonAsync("/api/generate", new { repoUrl = $"https://github.com/bench/card-{i}" });
            var slug = (await generated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString()!;
            var page = await client.GetStringAsync($"/s/{slug}");
            cards.Add(new Uri(CardAddress().Match(page).Groups[1].Value).PathAndQuery);
        }

        async Task<List<double>> FetchAll()
        {
            var times = new List<double>(cards.Count);
            foreach (var card in cards)
            {
                var started = Stopwatch.GetTimestamp();
                var png = await client.GetByteArrayAsync(card);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (png.Length < 1000)
                {
                    throw new InvalidOperationException($"{card} answered {png.Length} bytes");
                }
            }

            return times;
        }

        var first = await FetchAll();
        var kept = await FetchAll();
        Console.WriteLine($"## social cards of {sites} sites, one request at a time");
        Console.WriteLine(Percentiles.Line("first request (drawn, encoded, kept)", first));
        Console.WriteLine(Percentiles.Line("later requests (read back)", kept));
    }

    [GeneratedRegex("<meta property=\"og:image\" content=\"([^\"]+)\">")]
    private static partial Regex CardAddress();
}
