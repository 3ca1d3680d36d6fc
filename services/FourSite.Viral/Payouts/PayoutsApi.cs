using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;
using FourSite.Viral.Billing;
using Microsoft.Extensions.Options;
using Stripe;

namespace FourSite.Viral.Payouts;

/// <summary>
/// <c>/api/payouts</c>, for a signed-in referrer: "Get paid" (their Stripe Express account, made once, and Stripe's
/// hosted onboarding), its state, the Stripe Express dashboard, the transfers they were paid, and a statement of a month
/// as CSV. Identity, tax and bank details stay with Stripe.
/// </summary>
public static partial class PayoutsApi
{
    public static IEndpointRouteBuilder MapPayoutsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/payouts").WithTags("Payouts").Requires(Credential.Account);
        api.MapPost("/onboarding", OnboardAsync).WithName("StartPayoutOnboarding")
            .WithSummary("The address of Stripe's hosted onboarding for the referrer's Express account (made on first use): {url}.");
        api.MapGet("/account", AccountAsync).WithName("GetPayoutAccount")
            .WithSummary("The referrer's payout state: {state: none|onboarding|pending|enabled|disabled, payoutsEnabled, requirementsDue[], disabledReason, nextPayoutAt, minimumCents}; refresh=true asks Stripe.");
        api.MapPost("/login-link", LoginLinkAsync).WithName("CreatePayoutDashboardLink")
            .WithSummary("A one-time address of the referrer's Stripe Express dashboard: {url}.");
        api.MapGet("/transfers", TransfersAsync).WithName("ListMyPayoutTransfers")
            .WithSummary("The transfers the referrer was paid, newest first, each with its ledger entries.");
        api.MapGet("/statement", StatementAsync).WithName("GetPayoutStatement")
            .WithSummary("The referrer's ledger entries of a month (month=YYYY-MM) as CSV: earned, state, and the transfer that paid them.");
        return app;
    }

    /// <summary>The body of <c>POST /api/payouts/onboarding</c>: the referrer's country (ISO 3166-1 alpha-2), when they say.</summary>
    public sealed record OnboardingRequest(string? Country);

    public static async Task<IResult> OnboardAsync(OnboardingRequest? request, HttpContext context, PayoutAccounts accounts, StripeConnect connect,
        IOptions<BillingOptions> billing, IOptions<PayoutOptions> options, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (context.AccountId() is not { } accountId)
        {
            return SiteAccess.SignInRequired();
        }

        if (request?.Country is { } country && !CountryCode().IsMatch(country))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["country"] = ["country must be a two-letter ISO 3166-1 code, e.g. DE."] });
        }

        if (!billing.Value.CheckoutConfigured)
        {
            return NotConfigured();
        }

        try
        {
            var account = await accounts.FindAsync(accountId, cancellationToken)
                ?? await accounts.RememberAsync(accountId, await connect.CreateAccountAsync(accountId, request?.Country ?? options.Value.DefaultCountry, cancellationToken), cancellationToken);
            var origin = billing.Value.ReturnUrl.TrimEnd('/');
            var url = await connect.OnboardingLinkAsync(account.StripeAccountId, $"{origin}/dashboard?payouts=return", $"{origin}/dashboard?payouts=refresh", cancellationToken);
            return TypedResults.Ok(new { url });
        }
        catch (StripeException exception)
        {
            return StripeProblem(exception, logs);
        }
    }

    public static async Task<IResult> AccountAsync(bool? refresh, HttpContext context, PayoutAccounts accounts, StripeConnect connect, PayoutSchedule schedule,
        IOptions<PayoutOptions> options, TimeProvider clock, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (context.AccountId() is not { } accountId)
        {
            return SiteAccess.SignInRequired();
        }

        var account = await accounts.FindAsync(accountId, cancellationToken);
        if (account is not null && refresh == true && !account.PayoutsEnabled)
        {
            try
            {
                // Back from onboarding before Stripe's event: what Stripe says now.
                await accounts.ApplyAsync(await connect.AccountAsync(account.StripeAccountId, cancellationToken), clock.GetUtcNow(), cancellationToken);
                account = await accounts.FindAsync(accountId, cancellationToken);
            }
            catch (StripeException exception)
            {
                LogRefreshFailed(logs.CreateLogger(typeof(PayoutsApi)), exception.Message);
            }
        }

        return TypedResults.Ok(new
        {
            state = account?.State ?? "none",
            payoutsEnabled = account?.PayoutsEnabled ?? false,
            requirementsDue = account?.RequirementsDue ?? [],
            disabledReason = account?.DisabledReason,
            country = account?.Country,
            nextPayoutAt = await schedule.NextAsync(cancellationToken),
            minimumCents = options.Value.MinimumCents,
        });
    }

    public static async Task<IResult> LoginLinkAsync(HttpContext context, PayoutAccounts accounts, StripeConnect connect, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (context.AccountId() is not { } accountId)
        {
            return SiteAccess.SignInRequired();
        }

        if (await accounts.FindAsync(accountId, cancellationToken) is not { DetailsSubmitted: true } account)
        {
            return Problems.Of(StatusCodes.Status409Conflict, "onboarding_incomplete", "Finish setting up payouts with Stripe first (\"Get paid\").");
        }

        try
        {
            return TypedResults.Ok(new { url = await connect.DashboardLinkAsync(account.StripeAccountId, cancellationToken) });
        }
        catch (StripeException exception)
        {
            return StripeProblem(exception, logs);
        }
    }

    public static async Task<IResult> TransfersAsync(HttpContext context, PayoutStatements statements, CancellationToken cancellationToken) =>
        context.AccountId() is { } accountId ? (IResult)TypedResults.Ok(await statements.TransfersAsync(accountId, cancellationToken)) : SiteAccess.SignInRequired();

    public static async Task<IResult> StatementAsync(string? month, HttpContext context, PayoutStatements statements, CancellationToken cancellationToken)
    {
        if (context.AccountId() is not { } accountId)
        {
            return SiteAccess.SignInRequired();
        }

        if (month is null || !DateOnly.TryParseExact($"{month}-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["month"] = ["month must be YYYY-MM."] });
        }

        var csv = new StringBuilder("commission_id,earned_at,invoice_id,currency,amount_cents,amount,state,batch_id,stripe_transfer_id\n");
        foreach (var entry in await statements.MonthAsync(accountId, first, cancellationToken))
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{entry.CommissionId},{entry.EarnedAt:O},{entry.InvoiceId},{entry.Currency},{entry.AmountCents},{entry.AmountCents / 100m:0.00},{entry.State},{PayoutCsv.Cell(entry.BatchId)},{entry.StripeTransferId}\n");
        }

        context.Response.Headers.ContentDisposition = $"attachment; filename=\"foursite-commissions-{month}.csv\"";
        return TypedResults.Text(csv.ToString(), PayoutCsv.ContentType);
    }

    private static IResult NotConfigured() =>
        Problems.Of(StatusCodes.Status503ServiceUnavailable, "payouts_not_configured", "Payouts need Stripe, which is not configured on this deployment.");

    /// <summary>Stripe's refusal (an unsupported country, say) in its own words; its being unreachable as a 502.</summary>
    private static IResult StripeProblem(StripeException exception, ILoggerFactory logs)
    {
        LogStripeFailed(logs.CreateLogger(typeof(PayoutsApi)), (int)exception.HttpStatusCode, exception.Message);
        return (int)exception.HttpStatusCode is >= 400 and < 500 and not 429
            ? Problems.Of(StatusCodes.Status422UnprocessableEntity, "stripe_refused", exception.StripeError?.Message ?? exception.Message)
            : Problems.Of(StatusCodes.Status502BadGateway, "stripe_unavailable", "Stripe did not answer; try again in a moment.");
    }

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryCode();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe Connect call failed ({Status}): {Reason}")]
    private static partial void LogStripeFailed(ILogger logger, int status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payout account not refreshed from Stripe: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);
}
