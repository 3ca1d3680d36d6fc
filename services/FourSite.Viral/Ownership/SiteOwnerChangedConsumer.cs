using FourSite.Contracts.Generation;
using MassTransit;

namespace FourSite.Viral.Ownership;

/// <summary>Follows a site into an account and into its maintainers' hands: who may start its checkout and get its referral codes.</summary>
public sealed class SiteOwnerChangedConsumer(SiteOwnerStore owners) : IConsumer<SiteOwnerChanged>
{
    public Task Consume(ConsumeContext<SiteOwnerChanged> context) =>
        owners.ChangeOwnerAsync(context.Message.SiteId, context.Message.AccountId, context.Message.OwnerTokenHash, context.Message.ChangedAt, context.CancellationToken);
}
