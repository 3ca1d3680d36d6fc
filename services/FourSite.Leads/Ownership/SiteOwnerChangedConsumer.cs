using FourSite.Contracts.Generation;
using MassTransit;

namespace FourSite.Leads.Ownership;

/// <summary>Follows a site into an account, and into its maintainers' hands: who reads its leads, and whether with emails.</summary>
public sealed class SiteOwnerChangedConsumer(SiteOwnerStore owners) : IConsumer<SiteOwnerChanged>
{
    public Task Consume(ConsumeContext<SiteOwnerChanged> context) =>
        owners.ChangeOwnerAsync(context.Message.SiteId, context.Message.AccountId, context.Message.Verified, context.Message.OwnerTokenHash, context.Message.ChangedAt,
            context.CancellationToken);
}
