using System.Text.Json;
using FluentValidation;

namespace FourSite.Metrics.Rum;

/// <summary>Keeps beacons to plausible values and small sizes; a browser never sends anything else.</summary>
public sealed class RumBeaconValidator : AbstractValidator<RumBeacon>
{
    /// <summary>Ten minutes: no real page takes longer to paint or respond.</summary>
    public const double MaxMilliseconds = 600_000;
    public static readonly TimeSpan ClockSkew = TimeSpan.FromDays(1);

    public RumBeaconValidator(TimeProvider clock)
    {
        RuleFor(beacon => beacon.Type)
            .Must(type => type is not null && RumTypes.All.Contains(type))
            .WithMessage($"type must be one of: {string.Join(", ", RumTypes.All)}.");
        RuleFor(beacon => beacon.SessionId).Matches("^[A-Za-z0-9_-]{1,128}$").When(beacon => beacon.SessionId is not null)
            .WithMessage("sessionId must be 1 to 128 letters, digits, '-' or '_'.");
        RuleFor(beacon => beacon.Url).MaximumLength(2048)
            .Must(url => url is null || url.StartsWith('/') || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            .WithMessage("url must be an http(s) URL or a path.");
        RuleFor(beacon => beacon.UserAgent).MaximumLength(512).Must(NoControlCharacters).WithMessage("userAgent must be plain text.");
        RuleFor(beacon => beacon.Url).Must(NoControlCharacters).WithMessage("url must be plain text.");
        RuleFor(beacon => beacon.Timestamp)
            .Must(at => at is null || (at.Value - clock.GetUtcNow()).Duration() <= ClockSkew)
            .WithMessage("timestamp must be within a day of now.");
        RuleFor(beacon => beacon.Data).NotNull().WithMessage("data is required.");

        // Core Web Vitals are checked compound: the API turns {metric, value} into its named field before validating.
        When(beacon => beacon.Type == RumTypes.CoreWebVitals && beacon.Data is not null, () =>
        {
            RuleFor(beacon => beacon.Data!.Metric).Must(metric => metric is null || RumData.Vitals.Contains(metric))
                .WithMessage($"data.metric must be one of: {string.Join(", ", RumData.Vitals)}.").OverridePropertyName("data.metric");
            RuleFor(beacon => beacon.Data!.Value).NotNull().When(beacon => beacon.Data!.Metric is not null)
                .WithMessage("data.value is required with data.metric.").OverridePropertyName("data.value");
            RuleFor(beacon => beacon.Data!.Lcp).InclusiveBetween(0, MaxMilliseconds).OverridePropertyName("data.lcp");
            RuleFor(beacon => beacon.Data!.Fid).InclusiveBetween(0, MaxMilliseconds).OverridePropertyName("data.fid");
            RuleFor(beacon => beacon.Data!.Inp).InclusiveBetween(0, MaxMilliseconds).OverridePropertyName("data.inp");
            RuleFor(beacon => beacon.Data!.Fcp).InclusiveBetween(0, MaxMilliseconds).OverridePropertyName("data.fcp");
            RuleFor(beacon => beacon.Data!.Ttfb).InclusiveBetween(0, MaxMilliseconds).OverridePropertyName("data.ttfb");
            RuleFor(beacon => beacon.Data!.Load).InclusiveBetween(0, MaxMilliseconds).OverridePropertyName("data.load");
            RuleFor(beacon => beacon.Data!.Cls).InclusiveBetween(0, 100).OverridePropertyName("data.cls");
            RuleFor(beacon => beacon.Data)
                .Must(data => data!.HasVital || data.Metric is not null)
                .WithMessage("core_web_vitals needs a metric and its value, or at least one of lcp, fid, inp, cls, fcp, ttfb.");
        });
        When(beacon => beacon.Type == RumTypes.AiGeneration && beacon.Data is not null, () =>
        {
            RuleFor(beacon => beacon.Data!.Duration).NotNull().InclusiveBetween(0, MaxMilliseconds).OverridePropertyName("data.duration");
            RuleFor(beacon => beacon.Data!.Model).MaximumLength(100).Must(NoControlCharacters).OverridePropertyName("data.model");
            RuleFor(beacon => beacon.Data!.RepoComplexity).Must(BeAShortScalar)
                .WithMessage("data.repoComplexity must be a number or a short text.").OverridePropertyName("data.repoComplexity");
        });
        When(beacon => beacon.Type == RumTypes.ViralInteraction && beacon.Data is not null, () =>
        {
            RuleFor(beacon => beacon.Data!.Action).NotEmpty().Matches("^[A-Za-z0-9_.:-]{1,64}$").OverridePropertyName("data.action");
            RuleFor(beacon => beacon.Data!.Platform).Matches("^[a-z]{1,32}$").When(beacon => beacon.Data!.Platform is not null).OverridePropertyName("data.platform");
            RuleFor(beacon => beacon.Data!.SessionTime).InclusiveBetween(0, MaxSessionMilliseconds).OverridePropertyName("data.sessionTime");
        });
    }

    /// <summary>A week: a tab left open longer than that has stopped telling anything about engagement.</summary>
    public const double MaxSessionMilliseconds = 7 * 24 * 3_600_000d;

    private static bool BeAShortScalar(JsonElement? value) => value?.ValueKind switch
    {
        null or JsonValueKind.Null or JsonValueKind.Number => true,
        JsonValueKind.String => value.Value.GetString() is { Length: <= 64 } text && NoControlCharacters(text),
        _ => false,
    };

    /// <summary>Control characters (a NUL above all, which PostgreSQL text refuses) have no place in a beacon.</summary>
    private static bool NoControlCharacters(string? text) => text is null || !text.Any(char.IsControl);
}
