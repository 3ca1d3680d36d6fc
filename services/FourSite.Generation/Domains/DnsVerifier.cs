using System.Net;
using DnsClient;
using Microsoft.Extensions.Options;

namespace FourSite.Generation.Domains;

/// <summary>Reads a domain's verification TXT record from DNS, asking the configured name servers (or the machine's).</summary>
public sealed class DnsVerifier(IOptions<DomainOptions> options)
{
    private readonly LookupClient _dns = Create(options.Value);

    private static LookupClient Create(DomainOptions settings)
    {
        var servers = settings.NameServers.Select(server => IPEndPoint.TryParse(server, out var endpoint)
                ? new NameServer(endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint)
                : throw new OptionsValidationException(DomainOptions.Section, typeof(DomainOptions), [$"{server} is not a name server address (ip or ip:port)."]))
            .ToArray();
        // No cache: an owner who just added the record is asked again, not answered from a minute ago.
        var lookup = servers.Length > 0 ? new LookupClientOptions(servers) : new LookupClientOptions();
        lookup.UseCache = false;
        lookup.Timeout = settings.LookupTimeout;
        lookup.Retries = 1;
        lookup.ContinueOnDnsError = false;
        return new LookupClient(lookup);
    }

    /// <summary>The TXT strings at <c>_foursite-challenge.{domain}</c>; empty when there are none or DNS does not answer.</summary>
    public async Task<IReadOnlyList<string>> ChallengeRecordsAsync(string domain, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await _dns.QueryAsync(DomainName.ChallengeName(domain), QueryType.TXT, cancellationToken: cancellationToken);
            return answer.Answers.TxtRecords().SelectMany(record => record.Text).ToList();
        }
        catch (DnsResponseException)
        {
            return [];
        }
    }
}
