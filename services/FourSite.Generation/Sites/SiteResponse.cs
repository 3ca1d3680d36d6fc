using System.Text.Json.Serialization;
using FourSite.Generation.Pro;
using FourSite.Generation.Writers;

namespace FourSite.Generation.Sites;

/// <summary><c>GET /api/sites/{siteId or slug}</c>.</summary>
public sealed record SiteResponse(Guid SiteId, string Slug, SiteData SiteData, DateTimeOffset CreatedAt, string Model, string SiteUrl, SiteOwnershipView Ownership,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ProView? Pro = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SuspensionView? Suspension = null);

/// <summary>Why an operator suspended a site, as its owner sees it: <c>abuse</c> (page answers 410) or <c>legal</c> (451).</summary>
public sealed record SuspensionView(string Kind, string Reason, DateTimeOffset Since);

/// <summary>What a visitor may know of who owns a site: whether its repository's maintainers verified it, and who.</summary>
public sealed record SiteOwnershipView(bool Verified, string? VerifiedBy);
