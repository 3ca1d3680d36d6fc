using FourSite.Contracts.Metrics;
using MassTransit;

namespace FourSite.Viral.Scores;

/// <summary>Keeps each site's real-user vitals, which featuring requires to be good.</summary>
public sealed class SiteVitalsAssessedConsumer(SiteVitals vitals) : IConsumer<SiteVitalsAssessed>
{
    public Task Consume(ConsumeContext<SiteVitalsAssessed> context) => vitals.RecordAsync(context.Message, context.CancellationToken);
}
