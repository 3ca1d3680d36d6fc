using FourSite.Generation.Writers;

namespace FourSite.Generation.Content;

/// <summary>
/// <c>PATCH /api/sites/{siteId}/content</c>: the fields the owner writes (those left out stay as they are) and the
/// fields to hand back to the writer (<see cref="Reset"/>).
/// </summary>
public sealed record ContentEdit(string? Title, string? Tagline, string? Description, IReadOnlyList<string>? Features, CallToActionEdit? CallToAction,
    IReadOnlyList<string>? Reset)
{
    public const int MaxTitle = 80;
    public const int MaxTagline = 160;
    public const int MaxDescription = 800;
    public const int MaxFeature = 160;
    public const int MaxCallToActionLabel = 40;

    /// <summary>
    /// The overrides after this edit, or the problems with it. Text is cleaned as generated copy is (markup, scripts and
    /// control characters removed); text longer than its limit is refused, not cut.
    /// </summary>
    public (ContentOverrides? Next, Dictionary<string, string[]> Errors) ApplyTo(ContentOverrides current)
    {
        var errors = new Dictionary<string, string[]>();
        string? Text(string field, string? value, int max, bool required = true)
        {
            if (value is null)
            {
                return null;
            }

            var cleaned = PlainText.Clean(value, int.MaxValue);
            if (cleaned.Length > max || (required && cleaned.Length == 0))
            {
                errors[field] = [$"{field} must be {(required ? "1 to " : "at most ")}{max} characters of text."];
            }

            return cleaned;
        }

        var title = Text(ContentOverrides.TitleField, Title, MaxTitle);
        var tagline = Text(ContentOverrides.TaglineField, Tagline, MaxTagline);
        var description = Text(ContentOverrides.DescriptionField, Description, MaxDescription, required: false);
        List<string>? features = null;
        if (Features is not null)
        {
            features = Features.Select(feature => PlainText.Clean(feature, int.MaxValue)).ToList();
            if (features.Count is 0 or > SiteData.MaxFeatures || features.Any(feature => feature.Length is 0 or > MaxFeature))
            {
                errors[ContentOverrides.FeaturesField] = [$"features must be 1 to {SiteData.MaxFeatures} items, each 1 to {MaxFeature} characters of text."];
            }
        }

        CallToActionLink? action = null;
        if (CallToAction is not null)
        {
            var label = PlainText.Clean(CallToAction.Label, int.MaxValue);
            var url = PlainText.SafeUrl(CallToAction.Url);
            if (label.Length is 0 or > MaxCallToActionLabel || url is null)
            {
                errors[ContentOverrides.CallToActionField] = [$"callToAction needs a label of 1 to {MaxCallToActionLabel} characters and an absolute http(s) url."];
            }
            else
            {
                action = new CallToActionLink(label, url);
            }
        }

        if (Reset?.FirstOrDefault(field => !ContentOverrides.Fields.Contains(field)) is { } unknown)
        {
            errors["reset"] = [$"'{unknown}' is not a field: reset names some of {string.Join(", ", ContentOverrides.Fields)}."];
        }

        if (title is null && tagline is null && description is null && features is null && action is null && Reset is not { Count: > 0 })
        {
            errors["content"] = ["Name at least one field to write or to reset."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var kept = current.Without(Reset ?? []);
        return (new ContentOverrides(title ?? kept.Title, tagline ?? kept.Tagline, description ?? kept.Description, features ?? kept.Features, action ?? kept.CallToAction), errors);
    }
}

/// <summary>The hero's main button as the owner writes it.</summary>
public sealed record CallToActionEdit(string? Label, string? Url);
