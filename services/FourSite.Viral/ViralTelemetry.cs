using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FourSite.Viral;

/// <summary>Growth's instruments: shares by platform, scores, featurings and withholdings, conversions and upgrades.</summary>
public sealed class ViralTelemetry : IDisposable
{
    public const string Name = "FourSite.Viral";

    private readonly Meter _meter;
    private readonly Counter<long> _shares;
    private readonly Histogram<double> _score;
    private readonly Histogram<double> _calculation;
    private readonly Counter<long> _folded;
    private readonly Counter<long> _featured;
    private readonly Counter<long> _withheld;
    private readonly Counter<long> _arrivals;
    private readonly Counter<long> _upgrades;
    private readonly Counter<long> _commissions;
    private readonly Counter<long> _payouts;
    private readonly Counter<long> _paidCents;

    public ViralTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _shares = _meter.CreateCounter<long>("foursite.viral.shares", description: "Shares counted (repeats within the dedupe window excluded), by platform.");
        _score = _meter.CreateHistogram<double>("foursite.viral.score", description: "A site's viral score each time it changes.");
        _calculation = _meter.CreateHistogram<double>("foursite.viral.score_calculation.duration", "ms", "Time to recalculate a site's viral score on a share, visit or lead.");
        _folded = _meter.CreateCounter<long>("foursite.viral.score_increments.folded", description: "Increments of sites' counters folded into their records.");
        _featured = _meter.CreateCounter<long>("foursite.viral.featured", description: "Sites auto-featured in the showcase.");
        _withheld = _meter.CreateCounter<long>("foursite.viral.withheld", description: "Sites an operator withheld from the showcase.");
        _arrivals = _meter.CreateCounter<long>("foursite.viral.arrivals", description: "Visits and leads that came through shares, by kind, platform and fraud signal.");
        _upgrades = _meter.CreateCounter<long>("foursite.viral.upgrades", description: "Pro upgrades recorded from Stripe, by plan and whether a referrer earned a commission.");
        _commissions = _meter.CreateCounter<long>("foursite.viral.commissions", description: "Commission ledger entries: earned on a renewal by plan, or reversed by refund or dispute.");
        _payouts = _meter.CreateCounter<long>("foursite.viral.payouts", description: "Transfers to referrers' Stripe accounts, by outcome (paid, failed, reversed) and currency.");
        _paidCents = _meter.CreateCounter<long>("foursite.viral.payouts.amount", "cents", "What transfers to referrers paid, by currency.");
    }

    public void Shared(string platform) => _shares.Add(1, new KeyValuePair<string, object?>("platform", platform));

    public void Scored(double score) => _score.Record(score);

    public void Calculated(double milliseconds) => _calculation.Record(milliseconds);

    public void Folded(int increments) => _folded.Add(increments);

    public void Featured() => _featured.Add(1);

    public void Withheld() => _withheld.Add(1);

    public void Arrived(string kind, string? platform, string? fraudSignal) => _arrivals.Add(1, new TagList
    {
        { "kind", kind },
        { "platform", platform ?? "referral" },
        { "fraud_signal", fraudSignal ?? "none" },
    });

    public void Upgraded(string plan, bool commission) => _upgrades.Add(1, new TagList { { "plan", plan }, { "commission", commission } });

    public void CommissionEarned(string plan) => _commissions.Add(1, new TagList { { "change", "earned" }, { "plan", plan } });

    public void CommissionReversed(string reason) => _commissions.Add(1, new TagList { { "change", "reversed" }, { "reason", reason } });

    public void PayoutTransferred(string currency, long cents)
    {
        _payouts.Add(1, new TagList { { "outcome", "paid" }, { "currency", currency } });
        _paidCents.Add(cents, new KeyValuePair<string, object?>("currency", currency));
    }

    public void PayoutFailed(string currency) => _payouts.Add(1, new TagList { { "outcome", "failed" }, { "currency", currency } });

    public void PayoutReversed(string currency) => _payouts.Add(1, new TagList { { "outcome", "reversed" }, { "currency", currency } });

    public void Dispose() => _meter.Dispose();
}
