using FourSite.Contracts.Accounts;
using MassTransit;

namespace FourSite.Viral.Ownership;

/// <summary>Remembers when an account signed up: its commission schedule counts from then (or from its first site, if earlier).</summary>
public sealed class AccountSignedUpConsumer(SiteOwnerStore owners) : IConsumer<AccountSignedUp>
{
    public Task Consume(ConsumeContext<AccountSignedUp> context) =>
        owners.RememberAccountAsync(context.Message.AccountId, context.Message.SignedUpAt, context.CancellationToken);
}
