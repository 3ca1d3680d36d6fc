using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace FourSite.Ops.Scanning;

/// <summary>The credentials a scan presents to reach past the checks into the handlers; a site of its own for owner calls.</summary>
public sealed record ScanCredentials(string? OperatorKey, string? OwnerToken, Guid? SiteId);

/// <summary>
/// A baseline scan of a deployment through its gateway: every operation of the given OpenAPI documents gets wrongly typed,
/// oversized, malformed and injection-shaped parameters and bodies (with the scan's credentials, so they reach the
/// handlers), and every protected one a call without credentials; every page is fetched. A finding is any server error,
/// any internal detail in an answer, a protected call answered without credentials, or a page without the security headers.
/// </summary>
public sealed class ApiBaselineScan(HttpClient gateway, ScanCredentials credentials)
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan MaxRateLimitWait = TimeSpan.FromSeconds(65);
    private const int RateLimitRetries = 3;
    private const int MaxBodyRead = 256 * 1024;
    private readonly ConcurrentDictionary<int, int> _answers = new();
    private int _sent;

    public int RequestsSent => _sent;

    /// <summary>How many answers of each status the scan got (0: none).</summary>
    public IReadOnlyDictionary<int, int> Answers => _answers;

    public async Task<IReadOnlyList<ScanFinding>> RunAsync(IEnumerable<JsonElement> documents, IEnumerable<string> pages, CancellationToken cancellationToken)
    {
        var requests = new List<ScanRequest>();
        foreach (var document in documents)
        {
            var values = new PlausibleValues(document, credentials.SiteId);
            requests.AddRange(ApiOperation.AllIn(document).SelectMany(operation => RequestsFor(operation, values)));
        }

        requests.AddRange(pages.Select(page => new ScanRequest($"GET {page}", "page", HttpMethod.Get, page, null, WithCredentials: false, MustRefuse: false)));
        var findings = new ConcurrentBag<ScanFinding>();
        // Deletions last, so that the rest is scanned while everything still exists.
        await Parallel.ForEachAsync(requests.OrderBy(request => request.Method == HttpMethod.Delete), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (request, token) =>
            {
                foreach (var finding in await SendAsync(request, token))
                {
                    findings.Add(finding);
                }
            });
        return [.. findings.OrderBy(finding => finding.Operation, StringComparer.Ordinal).ThenBy(finding => finding.Input, StringComparer.Ordinal)];
    }

    private static IEnumerable<ScanRequest> RequestsFor(ApiOperation operation, PlausibleValues values)
    {
        var method = new HttpMethod(operation.Method);
        var plausible = operation.Parameters.ToDictionary(parameter => parameter.Name, values.For);
        string Target(string? name = null, string? value = null)
        {
            var path = operation.Parameters.Where(parameter => parameter.In == "path").Aggregate(operation.Path, (current, parameter) =>
                current.Replace($"{{{parameter.Name}}}", Uri.EscapeDataString(parameter.Name == name ? value! : plausible[parameter.Name]), StringComparison.Ordinal));
            var query = operation.Parameters.Where(parameter => parameter.In == "query" && (parameter.Required || parameter.Name == name))
                .Select(parameter => $"{Uri.EscapeDataString(parameter.Name)}={Uri.EscapeDataString(parameter.Name == name ? value! : plausible[parameter.Name])}");
            return query.Any() ? $"{path}?{string.Join('&', query)}" : path;
        }

        var validBody = operation.BodySchema is { } schema ? values.For(schema) : null;
        ScanBody? Plausible() => operation.BodySchema is null ? null : new ScanBody("application/json", validBody?.ToJsonString() ?? "{}");

        if (operation.Protected)
        {
            yield return new ScanRequest(operation.ToString(), "no credentials", method, Target(), Plausible(), WithCredentials: false, MustRefuse: true);
        }

        if (method == HttpMethod.Get)
        {
            yield return new ScanRequest(operation.ToString(), "plausible", method, Target(), null, WithCredentials: true, MustRefuse: false);
        }

        foreach (var parameter in operation.Parameters)
        {
            foreach (var (name, value) in HostileInputs.Values)
            {
                yield return new ScanRequest(operation.ToString(), $"{parameter.Name}: {name}", method, Target(parameter.Name, value), Plausible(), WithCredentials: true, MustRefuse: false);
            }
        }

        if (operation.BodySchema is not null)
        {
            foreach (var (name, contentType, body) in HostileInputs.Bodies(validBody))
            {
                yield return new ScanRequest(operation.ToString(), $"body: {name}", method, Target(), new ScanBody(contentType, body), WithCredentials: true, MustRefuse: false);
            }
        }
    }

    private async Task<IReadOnlyList<ScanFinding>> SendAsync(ScanRequest request, CancellationToken cancellationToken)
    {
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                using var message = Message(request);
                using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                answer.CancelAfter(AnswerTimeout);
                Interlocked.Increment(ref _sent);
                using var response = await gateway.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, answer.Token);
                var status = (int)response.StatusCode;
                // A rate limit is the deployment's answer to the scan's pace, not to its input: wait as told, and send it again.
                if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < RateLimitRetries && response.Headers.RetryAfter?.Delta is { } wait && wait <= MaxRateLimitWait)
                {
                    await Task.Delay(wait, cancellationToken);
                    continue;
                }

                _answers.AddOrUpdate(status, 1, (_, count) => count + 1);
                var text = await ReadSomeAsync(response.Content, cancellationToken);
                var findings = AnswerChecks.ProblemsOf(status, response.Headers, response.Content.Headers, text)
                    .Select(problem => Finding(request, status, problem, text)).ToList();
                if (request.MustRefuse && response.IsSuccessStatusCode)
                {
                    findings.Add(Finding(request, status, "a protected call answered without credentials", text));
                }

                return findings;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [Finding(request, 0, $"no answer within {AnswerTimeout.TotalSeconds:F0} s", "")];
        }
        catch (HttpRequestException exception) when (!request.Input.EndsWith("oversized", StringComparison.Ordinal))
        {
            return [Finding(request, 0, $"the connection failed: {exception.Message}", "")];
        }
        catch (HttpRequestException)
        {
            // A server may stop reading an oversized body and close the connection: that is a refusal, not a fault.
            return [];
        }
    }

    private HttpRequestMessage Message(ScanRequest request)
    {
        var message = new HttpRequestMessage(request.Method, new Uri(request.Target, UriKind.Relative));
        if (request.Body is { } body)
        {
            message.Content = new StringContent(body.Text, Encoding.UTF8, MediaTypeHeaderValue.Parse(body.ContentType));
        }

        if (request.WithCredentials)
        {
            if (credentials.OperatorKey is { } key)
            {
                message.Headers.Add("X-Api-Key", key);
            }

            if (credentials.OwnerToken is { } token)
            {
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
        }

        return message;
    }

    /// <summary>The start of a body, enough to look for internals; a stream (server-sent events) is read for a moment only.</summary>
    private static async Task<string> ReadSomeAsync(HttpContent content, CancellationToken cancellationToken)
    {
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        reading.CancelAfter(TimeSpan.FromSeconds(3));
        var buffer = new byte[MaxBodyRead];
        var length = 0;
        try
        {
            await using var stream = await content.ReadAsStreamAsync(reading.Token);
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), reading.Token)) > 0)
            {
                length += read;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // What arrived so far is enough.
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static ScanFinding Finding(ScanRequest request, int status, string problem, string answer) =>
        new(request.Operation, request.Input, status, problem, answer.Length > 200 ? answer[..200].ReplaceLineEndings(" ") + "…" : answer.ReplaceLineEndings(" "));

    private sealed record ScanBody(string ContentType, string Text);

    private sealed record ScanRequest(string Operation, string Input, HttpMethod Method, string Target, ScanBody? Body, bool WithCredentials, bool MustRefuse);
}
