using System.Globalization;
using System.Text;
using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Identity;
using FourSite.Viral.Billing;

namespace FourSite.Viral.Apis;

/// <summary>The commission ledger: a referrer's own entries, and operators' payouts.</summary>
public static class CommissionsApi
{
    public static IEndpointRouteBuilder MapCommissionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/commissions", List)
            .Requires(Credential.Account)
            .WithTags("Growth")
            .WithName("ListCommissions")
            .WithSummary("The signed-in referrer's commissions (pending for 30 days, then payable, paid or reversed), with totals per state in cents.");

        app.MapGet("/api/commissions/payouts", Payable)
            .WithTags("Growth")
            .WithName("ListPayableCommissions")
            .WithSummary("Operators: what each referrer is owed now, per currency (format=json or csv).")
            .RequireOperatorKey();

        app.MapPost("/api/commissions/payouts", RecordPayout)
            .WithTags("Growth")
            .WithName("RecordCommissionPayout")
            .WithSummary("Operators: marks everything payable now as paid in a batch named by batchId; the same batchId again changes nothing.")
            .RequireOperatorKey();

        return app;
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

    public static async Task<IResult> RecordPayout(PayoutRequest request, CommissionStore commissions, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.BatchId) || request.BatchId.Length > 100 || request.BatchId.Any(char.IsControl))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["batchId"] = ["batchId is required (at most 100 characters, no control characters): it names the batch, so repeating the call pays nothing twice."] });
        }

        var (batch, created) = await commissions.RecordPayoutAsync(request.BatchId.Trim(), cancellationToken);
        return created ? TypedResults.Created($"/api/commissions/payouts/{batch.PayoutId}", batch) : TypedResults.Ok(batch);
    }
}

public sealed record CommissionsResponse(IReadOnlyList<CommissionEntry> Entries, IReadOnlyList<CommissionTotals> Totals);
