using System.Collections.Concurrent;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FourSite.Testing.Fakes;

/// <summary>
/// Stripe Connect faked: Express accounts (made once per idempotency key, their state set by the test), account links,
/// login links, and transfers that honour idempotency keys (the same key answers the transfer it made) and can be slow,
/// fail once, time out after they were made, or be refused.
/// </summary>
public sealed partial class StripeFake
{
    public const string TransfersPath = "/v1/transfers";

    private readonly ConcurrentDictionary<string, ConnectedAccount> _accounts = new();
    private readonly ConcurrentDictionary<string, string> _accountByKey = new();
    private readonly ConcurrentDictionary<string, MadeTransfer> _transfers = new();
    private readonly ConcurrentDictionary<string, string> _transferByKey = new();
    private int _transferFailures;
    private TimeSpan _transferDelay;
    private long _answerDelayTicks;
    private string? _transferRefusal;

    /// <summary>A connected account as the fake keeps it.</summary>
    public sealed record ConnectedAccount(string Id, string Country, bool DetailsSubmitted, bool PayoutsEnabled, string[] CurrentlyDue, string? DisabledReason, long Created);

    /// <summary>A transfer the fake made: to whom, how much, in which group, with which metadata.</summary>
    public sealed record MadeTransfer(string Id, long Amount, string Currency, string Destination, string? TransferGroup, IReadOnlyDictionary<string, string> Metadata,
        long Reversed = 0);

    /// <summary>Every transfer made, once each whatever the retries.</summary>
    public IReadOnlyList<MadeTransfer> Transfers => [.. _transfers.Values.OrderBy(transfer => transfer.Id, StringComparer.Ordinal)];

    /// <summary>How many transfer requests reached the fake (retries included).</summary>
    public int TransferRequests => _server.LogEntries.Count(entry => entry.RequestMessage.Path == TransfersPath && entry.RequestMessage.Method == "POST");

    /// <summary>The referrer finished Stripe's onboarding: details submitted, payouts enabled (or, with requirements, still due).</summary>
    public ConnectedAccount CompleteOnboarding(string accountId, bool payoutsEnabled = true, string[]? due = null, string? disabledReason = null) =>
        _accounts[accountId] = _accounts[accountId] with { DetailsSubmitted = true, PayoutsEnabled = payoutsEnabled, CurrentlyDue = due ?? [], DisabledReason = disabledReason };

    /// <summary>The next <paramref name="count"/> transfer requests fail with a 500 before anything is made.</summary>
    public void FailTransfers(int count = 1) => _transferFailures = count;

    /// <summary>Every transfer is answered after <paramref name="delay"/>.</summary>
    public void SlowTransfers(TimeSpan delay) => _transferDelay = delay;

    /// <summary>The next transfer is made at once, but its answer takes <paramref name="delay"/> (longer than the client waits): that answer is lost.</summary>
    public void AnswerNextTransferLate(TimeSpan delay) => Interlocked.Exchange(ref _answerDelayTicks, delay.Ticks);

    /// <summary>Stripe refuses every transfer with this message (400) from now on; null: accepts again.</summary>
    public void RefuseTransfers(string? message) => _transferRefusal = message;

    /// <summary>An <c>account.updated</c> event for a connected account, as Stripe sends it to the platform's Connect webhook.</summary>
    public string AccountUpdated(string accountId, DateTimeOffset? at = null) => Event("account.updated", AccountJson(_accounts[accountId]), created: at, account: accountId);

    /// <summary>A <c>transfer.reversed</c> event: <paramref name="amountReversed"/> is the running total reversed of the transfer.</summary>
    public string TransferReversed(string transferId, long amountReversed)
    {
        var transfer = _transfers[transferId] = _transfers[transferId] with { Reversed = amountReversed };
        return Event("transfer.reversed", TransferJson(transfer));
    }

    private void MapConnect()
    {
        _server.Given(Request.Create().WithPath("/v1/accounts").UsingPost()).RespondWith(Response.Create().WithCallback(CreateAccount));
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/v1/accounts/[^/]+$")).UsingGet())
            .RespondWith(Response.Create().WithCallback(request => _accounts.TryGetValue(request.Path["/v1/accounts/".Length..], out var account)
                ? Json(200, AccountJson(account))
                : Json(404, new { error = new { type = "invalid_request_error", code = "resource_missing", message = "No such account." } })));
        _server.Given(Request.Create().WithPath("/v1/account_links").UsingPost()).RespondWith(Response.Create().WithCallback(request =>
        {
            var account = Form(request.Body).GetValueOrDefault("account") ?? "";
            return _accounts.ContainsKey(account)
                ? Json(200, new { @object = "account_link", url = $"https://connect.stripe.com/setup/e/{account}/{Guid.NewGuid():N}", expires_at = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(),
                    created = DateTimeOffset.UtcNow.ToUnixTimeSeconds() })
                : Json(400, new { error = new { type = "invalid_request_error", message = "No such account." } });
        }));
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/v1/accounts/[^/]+/login_links$")).UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var account = request.Path.Split('/')[3];
                return _accounts.TryGetValue(account, out var known) && known.DetailsSubmitted
                    ? Json(200, new { @object = "login_link", url = $"https://connect.stripe.com/express/{account}/{Guid.NewGuid():N}", created = DateTimeOffset.UtcNow.ToUnixTimeSeconds() })
                    : Json(400, new { error = new { type = "invalid_request_error", message = "Cannot create a login link for an account that has not completed onboarding." } });
            }));
        _server.Given(Request.Create().WithPath(TransfersPath).UsingPost()).RespondWith(Response.Create().WithCallback(CreateTransfer));
        _server.Given(Request.Create().WithPath(TransfersPath).UsingGet()).RespondWith(Response.Create().WithCallback(request =>
        {
            string? Query(string name) => request.Query is { } query && query.TryGetValue(name, out var values) ? values.FirstOrDefault() : null;
            var data = Transfers.Where(transfer => (Query("transfer_group") is not { } group || transfer.TransferGroup == group)
                                                   && (Query("destination") is not { } destination || transfer.Destination == destination))
                .Select(TransferJson).ToArray();
            return Json(200, new { @object = "list", url = TransfersPath, has_more = false, data });
        }));
    }

    private WireMock.ResponseMessage CreateAccount(WireMock.IRequestMessage request)
    {
        var form = Form(request.Body);
        var country = form.GetValueOrDefault("country") ?? "US";
        if (country == "KP")
        {
            return Json(400, new { error = new { type = "invalid_request_error", param = "country", message = "Connected accounts cannot be created in KP." } });
        }

        var key = IdempotencyKey(request) ?? Guid.NewGuid().ToString();
        var id = _accountByKey.GetOrAdd(key, _ => $"acct_test_{Guid.NewGuid():N}"[..26]);
        var account = _accounts.GetOrAdd(id, _ => new ConnectedAccount(id, country, false, false, ["individual.first_name", "individual.last_name", "external_account"], null,
            DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        return Json(200, AccountJson(account));
    }

    private WireMock.ResponseMessage CreateTransfer(WireMock.IRequestMessage request)
    {
        if (_transferDelay > TimeSpan.Zero)
        {
            Thread.Sleep(_transferDelay);
        }

        if (Interlocked.Decrement(ref _transferFailures) >= 0)
        {
            return Json(500, new { error = new { type = "api_error", message = "Stripe is having a bad day." } });
        }

        if (_transferRefusal is { } refusal)
        {
            return Json(400, new { error = new { type = "invalid_request_error", code = "insufficient_capabilities_for_transfer", message = refusal } });
        }

        var form = Form(request.Body);
        var key = IdempotencyKey(request) ?? Guid.NewGuid().ToString();
        var id = _transferByKey.GetOrAdd(key, _ => $"tr_test_{Guid.NewGuid():N}"[..24]);
        var transfer = _transfers.GetOrAdd(id, _ => new MadeTransfer(id, long.Parse(form["amount"], System.Globalization.CultureInfo.InvariantCulture), form["currency"],
            form["destination"], form.GetValueOrDefault("transfer_group"),
            form.Where(field => field.Key.StartsWith("metadata[", StringComparison.Ordinal)).ToDictionary(field => field.Key[9..^1], field => field.Value)));
        if (Interlocked.Exchange(ref _answerDelayTicks, 0) is var late and > 0)
        {
            Thread.Sleep(TimeSpan.FromTicks(late));
        }

        return Json(200, TransferJson(transfer));
    }

    private static string? IdempotencyKey(WireMock.IRequestMessage request) =>
        request.Headers is { } headers && headers.TryGetValue("Idempotency-Key", out var values) ? values.FirstOrDefault() : null;

    private static object AccountJson(ConnectedAccount account) => new
    {
        id = account.Id,
        @object = "account",
        type = "express",
        country = account.Country,
        default_currency = "usd",
        details_submitted = account.DetailsSubmitted,
        payouts_enabled = account.PayoutsEnabled,
        charges_enabled = account.PayoutsEnabled,
        created = account.Created,
        requirements = new { currently_due = account.CurrentlyDue, past_due = Array.Empty<string>(), eventually_due = account.CurrentlyDue, disabled_reason = account.DisabledReason },
    };

    private static object TransferJson(MadeTransfer transfer) => new
    {
        id = transfer.Id,
        @object = "transfer",
        amount = transfer.Amount,
        amount_reversed = transfer.Reversed,
        currency = transfer.Currency,
        destination = transfer.Destination,
        transfer_group = transfer.TransferGroup,
        reversed = transfer.Reversed >= transfer.Amount,
        metadata = transfer.Metadata,
        created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
    };
}
