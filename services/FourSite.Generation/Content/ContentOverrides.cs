using FourSite.Generation.Writers;

namespace FourSite.Generation.Content;

/// <summary>
/// The copy an owner wrote over the generated one, field by field; a field left null follows what the writer produces
/// (and so follows the README when the site is regenerated).
/// </summary>
public sealed record ContentOverrides(string? Title = null, string? Tagline = null, string? Description = null, IReadOnlyList<string>? Features = null,
    CallToActionLink? CallToAction = null)
{
    public const string TitleField = "title";
    public const string TaglineField = "tagline";
    public const string DescriptionField = "description";
    public const string FeaturesField = "features";
    public const string CallToActionField = "callToAction";

    public static readonly IReadOnlyList<string> Fields = [TitleField, TaglineField, DescriptionField, FeaturesField, CallToActionField];

    public static readonly ContentOverrides None = new();

    /// <summary>The fields the owner wrote, by their names in the API.</summary>
    public IReadOnlyList<string> Edited => Fields.Where(name => name switch
    {
        TitleField => Title is not null,
        TaglineField => Tagline is not null,
        DescriptionField => Description is not null,
        FeaturesField => Features is not null,
        _ => CallToAction is not null,
    }).ToList();

    /// <summary>The written content with the owner's fields in place of the writer's.</summary>
    public SiteData Apply(SiteData written) => written with
    {
        Title = Title ?? written.Title,
        Tagline = Tagline ?? written.Tagline,
        Description = Description ?? written.Description,
        Features = Features ?? written.Features,
        CallToAction = CallToAction ?? written.CallToAction,
    };

    /// <summary>These overrides without the named fields (they follow the writer again).</summary>
    public ContentOverrides Without(IEnumerable<string> fields)
    {
        var reset = fields.ToHashSet(StringComparer.Ordinal);
        return new ContentOverrides(
            reset.Contains(TitleField) ? null : Title,
            reset.Contains(TaglineField) ? null : Tagline,
            reset.Contains(DescriptionField) ? null : Description,
            reset.Contains(FeaturesField) ? null : Features,
            reset.Contains(CallToActionField) ? null : CallToAction);
    }
}
