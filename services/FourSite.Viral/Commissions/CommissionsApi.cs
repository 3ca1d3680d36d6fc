using System.Globalization;
using System.Text;
using FluentValidation;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;
using FourSite.Viral.Ownership;
using FourSite.Viral.Payouts;
using Microsoft.Extensions.Options;

namespace FourSite.Viral.Commissions;

/// <summary><c>/api/commissions</c>: the commission schedule, a referrer's own ledger entries, and operators' payouts through Stripe Connect.</summary>
public static class CommissionsApi
{
    public static IEndpointRouteBuilder MapCommissionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/commissions").WithTags("Commissions");

        api.MapGet("", List)
            .Requires(Credential.Account)
            .WithName("ListCommissions")
            .WithSummary("The signed-in referrer's commissions (pending for 30 days, then payable, paid or reversed), with totals per state in cents.");

        api.MapGet("/rate", Rate)
            .WithName("GetCommissionRate")
            .WithSummary("The referral commission rate (0.20 to 0.40) for a relationship of so many months, or for an account (or owner) as of today.");

        api.MapGet("/payouts", Payable)
            .WithName("ListPayableCommissions")
            .WithSummary("Operators: what each referrer is owed now, per currency (format=json or csv).")
            .RequireOperatorKey();

        api.MapPost("/payouts", RunPayout)
            .WithName("RunCommissionPayout")
            .WithSummary("Operators: pays every referrer owed at least the minimum, with payouts enabled, one Stripe transfer each (per currency), in a batch named by batchId; each referrer's outcome is answered. The same batchId again pays nothing twice.")
            .RequireOperatorKey();

        api.MapGet("/payouts/preview", PreviewPayout)
            .WithName("PreviewCommissionPayout")
            .WithSummary("Operators: who a payout now would pay and how much, and who it would skip and why.")
            .RequireOperatorKey();

        api.MapGet("/payouts/transfers", Transfers)
            .WithName("ListPayoutTransfers")
            .WithSummary("Operators: the transfers of past payouts, newest first, with their state (format=json or csv, for the books).")
            .RequireOperatorKey();

        api.MapGet("/held", Held)
            .WithName("ListHeldCommissions")
            .WithSummary("Operators: commissions the referral fraud signals held, with why, oldest first.")
            .RequireOperatorKey();

        api.MapPost("/{commissionId:guid}/release", (Guid commissionId, DecisionRequest request, CommissionStore commissions, CancellationToken cancellationToken) =>
                DecideAsync(commissionId, release: true, request, commissions, cancellationToken))
            .WithName("ReleaseCommission")
            .WithSummary("Operators: releases a held commission; it becomes payable after its refund window.")
            .RequireOperatorKey();

        api.MapPost("/{commissionId:guid}/reverse", (Guid commissionId, DecisionRequest request, CommissionStore commissions, CancellationToken cancellationToken) =>
                DecideAsync(commissionId, release: false, request, commissions, cancellationToken))
            .WithName("ReverseHeldCommission")
            .WithSummary("Operators: reverses a held commission with a reason; it is never paid.")
            .RequireOperatorKey();

        return app;
    }

    /// <summary>The body of an operator's decision on a held commission.</summary>
    public sealed record DecisionRequest(string? Reason);

    public static async Task<IResult> Held(CommissionStore commissions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await commissions.HeldAsync(cancellationToken));

    public static async Task<IResult> DecideAsync(Guid commissionId, bool release, DecisionRequest request, CommissionStore commissions, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 1000 || request.Reason.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["reason"] = ["reason is required (at most 1000 characters of text)."] });
        }

        return await commissions.DecideAsync(commissionId, release, request.Reason.Trim(), cancellationToken)
            ? TypedResults.Ok(new { commissionId, state = release ? "released" : "reversed" })
            : Problems.Of(StatusCodes.Status404NotFound, "commission_not_held", "No commission with this id is held.");
    }

    public static async Task<IResult> List(HttpContext context, CommissionStore commissions, CancellationToken cancellationToken)
    {
        if (context.AccountId() is not { } account)
        {
            return SiteAccess.SignInRequired();
        }

        var (entries, totals) = await commissions.ForAccountAsync(account, cancellationToken);
        return TypedResults.Ok(new CommissionsResponse(entries, totals));
    }

    public static async Task<IResult> Payable(string? format, CommissionStore commissions, HttpContext context, CancellationToken cancellationToken)
    {
        if (format is not (null or "json" or "csv"))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["format"] = ["format must be json or csv."] });
        }

        var payable = await commissions.PayableAsync(cancellationToken);
        if (format != "csv")
        {
            return TypedResults.Ok(payable);
        }

        var csv = new StringBuilder("referrer_id,referrer_kind,currency,amount_cents,amount,entries\n");
        foreach (var payout in payable)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{payout.ReferrerId},{payout.ReferrerKind},{payout.Currency},{payout.AmountCents},{payout.AmountCents / 100m:0.00},{payout.Entries}\n");
        }

        context.Response.Headers.ContentDisposition = "attachment; filename=\"commission-payouts.csv\"";
        return TypedResults.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    /// <summary>The body of <c>POST /api/commissions/payouts</c>: the batch's name, which makes a repeated call harmless.</summary>
    public sealed record PayoutRequest(string? BatchId);

    public static async Task<IResult> RunPayout(PayoutRequest request, PayoutRun payouts, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.BatchId) || request.BatchId.Length > 100 || request.BatchId.Any(char.IsControl))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["batchId"] = ["batchId is required (at most 100 characters, no control characters): it names the batch, so repeating the call pays nothing twice."] });
        }

        var (batch, created) = await payouts.RunAsync(request.BatchId.Trim(), cancellationToken);
        return created ? TypedResults.Created($"/api/commissions/payouts/{batch.PayoutId}", batch) : TypedResults.Ok(batch);
    }

    public static async Task<IResult> PreviewPayout(PayoutRun payouts, IOptions<PayoutOptions> options, CancellationToken cancellationToken) =>
        TypedResults.Ok(new { minimumCents = options.Value.MinimumCents, payouts = await payouts.PreviewAsync(cancellationToken) });

    public static async Task<IResult> Transfers(string? format, PayoutRun payouts, HttpContext context, CancellationToken cancellationToken)
    {
        if (format is not (null or "json" or "csv"))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["format"] = ["format must be json or csv."] });
        }

        var transfers = await payouts.TransfersAsync(null, cancellationToken);
        if (format != "csv")
        {
            return TypedResults.Ok(transfers);
        }

        var csv = new StringBuilder("batch_id,transfer_id,account_id,currency,amount_cents,amount,entries,state,stripe_transfer_id,reversed_cents,created_at\n");
        foreach (var transfer in transfers)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{PayoutCsv.Cell(transfer.BatchId)},{transfer.TransferId},{transfer.AccountId},{transfer.Currency},{transfer.AmountCents},{transfer.AmountCents / 100m:0.00},{transfer.Entries},{transfer.State},{transfer.StripeTransferId},{transfer.ReversedCents},{transfer.CreatedAt:O}\n");
        }

        context.Response.Headers.ContentDisposition = "attachment; filename=\"payout-transfers.csv\"";
        return TypedResults.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    public const int MaxMonths = 1200;

    public static async Task<IResult> Rate(string? userId, string? months, SiteOwnerStore owners, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        Guid? owner = null;
        int? relationshipMonths = null;
        if (userId is not null)
        {
            if (Guid.TryParse(userId, out var parsed)) owner = parsed;
            else errors["userId"] = ["userId must be a UUID (an owner id)."];
        }

        if (months is not null)
        {
            if (int.TryParse(months, out var parsed) && parsed is >= 0 and <= MaxMonths) relationshipMonths = parsed;
            else errors["months"] = [$"months must be a whole number from 0 to {MaxMonths}."];
        }

        if (errors.Count == 0 && owner is null && relationshipMonths is null)
        {
            errors["userId"] = ["Give userId, months, or both."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (relationshipMonths is null)
        {
            // userId is an account (its first sign-in or first site) or, for sites generated anonymously, a site owner.
            var since = await owners.AccountRelationshipStartAsync(owner!.Value, cancellationToken) ?? await owners.RelationshipStartAsync(owner.Value, cancellationToken);
            relationshipMonths = since is null ? 0 : CommissionSchedule.MonthsBetween(since.Value, clock.GetUtcNow());
        }

        var schedule = CommissionSchedule.Tiers.Select(tier => new CommissionTier(tier.FromMonths, tier.Rate)).ToList();
        return TypedResults.Ok(new CommissionRateResponse(owner, relationshipMonths.Value, CommissionSchedule.Rate(relationshipMonths.Value), schedule));
    }
}

public sealed record CommissionsResponse(IReadOnlyList<CommissionEntry> Entries, IReadOnlyList<CommissionTotals> Totals);

/// <summary>The rate for a relationship, and the whole schedule it comes from.</summary>
public sealed record CommissionRateResponse(Guid? UserId, int Months, decimal Rate, IReadOnlyList<CommissionTier> Schedule);

public sealed record CommissionTier(int FromMonths, decimal Rate);
