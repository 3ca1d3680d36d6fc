using System.Text.Json;
using Refit;

namespace FourSite.Client;

/// <summary>
/// FourSite's public HTTP API, every call of its contract, as seen through the gateway. Calls answer
/// <see cref="IApiResponse{T}"/> so a caller can read the status and the problem details of a refusal as well as a
/// success. Owner calls take the site's owner token; operator calls the operator key.
/// </summary>
public interface IFourSiteApi
{
    // Generation
    [Post("/api/generate")]
    Task<IApiResponse<JsonElement>> GenerateAsync([Body] GenerateRequest request, [Header("Prefer")] string? prefer = null, CancellationToken cancellationToken = default);

    [Get("/api/generate/{jobId}")]
    Task<IApiResponse<JobStatus>> GetJobAsync(Guid jobId, CancellationToken cancellationToken = default);

    [Get("/api/sites/{siteIdOrSlug}")]
    Task<IApiResponse<JsonElement>> GetSiteAsync(string siteIdOrSlug, CancellationToken cancellationToken = default);

    [Get("/s/{slug}")]
    Task<IApiResponse<string>> GetSitePageAsync(string slug, CancellationToken cancellationToken = default);

    /// <summary>The owner removes a site (204); its leads, shares and score go with it.</summary>
    [Delete("/api/sites/{siteId}")]
    Task<IApiResponse> RemoveSiteAsync(Guid siteId, [Authorize] string ownerToken, CancellationToken cancellationToken = default);

    // Accounts: these ride on the gateway's session cookie, so they need a client whose handler keeps cookies (a
    // browser-like client that signed in through /auth/github/login).
    [Get("/api/me")]
    Task<IApiResponse<JsonElement>> GetMeAsync(CancellationToken cancellationToken = default);

    /// <summary>Erases the signed-in account (204): its sessions, sites, referral codes and personal data.</summary>
    [Delete("/api/me")]
    Task<IApiResponse> EraseMeAsync(CancellationToken cancellationToken = default);

    [Post("/auth/logout")]
    Task<IApiResponse> SignOutAsync(CancellationToken cancellationToken = default);

    /// <summary>The signed-in account's sites.</summary>
    [Get("/api/sites")]
    Task<IApiResponse<JsonElement>> GetMySitesAsync(CancellationToken cancellationToken = default);

    /// <summary>Moves an anonymous site into the signed-in account, with the site's owner token.</summary>
    [Post("/api/sites/{siteId}/claim")]
    Task<IApiResponse<JsonElement>> ClaimSiteAsync(Guid siteId, [Authorize] string ownerToken, CancellationToken cancellationToken = default);

    /// <summary>Verifies the signed-in account as a maintainer of the site's repository (and takes over an unverified site of someone else).</summary>
    [Post("/api/sites/{siteId}/verify")]
    Task<IApiResponse<JsonElement>> VerifySiteAsync(Guid siteId, CancellationToken cancellationToken = default);

    // Leads
    [Post("/api/leads/capture")]
    Task<IApiResponse<CaptureResponse>> CaptureLeadAsync([Body] CaptureRequest request, CancellationToken cancellationToken = default);

    [Get("/api/leads")]
    Task<IApiResponse<JsonElement>> GetLeadsAsync(Guid siteId, [Authorize] string ownerToken, int? page = null, CancellationToken cancellationToken = default);

    [Get("/api/leads/export")]
    Task<IApiResponse<JsonElement>> ExportLeadsAsync(string email, [Header("X-Api-Key")] string operatorKey, CancellationToken cancellationToken = default);

    [Delete("/api/leads")]
    Task<IApiResponse> EraseLeadsAsync(string email, [Header("X-Api-Key")] string operatorKey, CancellationToken cancellationToken = default);

    // Viral and growth
    [Post("/api/share/track")]
    Task<IApiResponse<ShareResponse>> TrackShareAsync([Body] ShareRequest request, [Header("X-Session-Id")] string? sessionId = null, CancellationToken cancellationToken = default);

    [Post("/api/share/visit")]
    Task<IApiResponse<JsonElement>> RecordVisitAsync([Body] VisitRequest request, [Header("X-Session-Id")] string sessionId, CancellationToken cancellationToken = default);

    [Get("/api/viral/sites/{websiteId}")]
    Task<IApiResponse<SiteViralScore>> GetViralScoreAsync(Guid websiteId, CancellationToken cancellationToken = default);

    [Get("/api/viral/coefficient")]
    Task<IApiResponse<JsonElement>> GetViralCoefficientAsync(string? date = null, CancellationToken cancellationToken = default);

    [Get("/api/showcase")]
    Task<IApiResponse<List<ShowcaseEntry>>> GetShowcaseAsync(int? page = null, CancellationToken cancellationToken = default);

    /// <summary>Operators: takes a site out of the showcase for good (204).</summary>
    [Delete("/api/showcase/{websiteId}")]
    Task<IApiResponse> WithholdFromShowcaseAsync(Guid websiteId, [Header("X-Api-Key")] string operatorKey, CancellationToken cancellationToken = default);

    [Post("/api/referrals")]
    Task<IApiResponse<Referral>> IssueReferralAsync([Authorize] string ownerToken, CancellationToken cancellationToken = default);

    [Get("/api/referrals/{code}")]
    Task<IApiResponse<JsonElement>> GetReferralAsync(string code, CancellationToken cancellationToken = default);

    [Get("/api/commissions/rate")]
    Task<IApiResponse<CommissionRate>> GetCommissionRateAsync(Guid? userId = null, int? months = null, CancellationToken cancellationToken = default);

    [Post("/api/billing/checkout")]
    Task<IApiResponse<Checkout>> StartCheckoutAsync([Body] CheckoutRequest request, [Authorize] string ownerToken, CancellationToken cancellationToken = default);

    // Metrics and operations
    [Post("/api/analytics/rum")]
    Task<IApiResponse<RumAccepted>> SendRumBeaconAsync([Body] RumBeacon beacon, CancellationToken cancellationToken = default);

    [Get("/api/dashboard/realtime")]
    Task<IApiResponse<JsonElement>> GetRealtimeDashboardAsync([Header("X-Api-Key")] string operatorKey, CancellationToken cancellationToken = default);

    [Get("/api/dashboard/daily")]
    Task<IApiResponse<JsonElement>> GetDailyMetricsAsync([Header("X-Api-Key")] string operatorKey, string? date = null, CancellationToken cancellationToken = default);

    [Get("/api/dashboard/historical")]
    Task<IApiResponse<JsonElement>> GetHistoricalMetricsAsync([Header("X-Api-Key")] string operatorKey, string period = "7d", string? metric = null, CancellationToken cancellationToken = default);

    [Get("/api/dashboard/golden-signals")]
    Task<IApiResponse<JsonElement>> GetGoldenSignalsAsync([Header("X-Api-Key")] string operatorKey, CancellationToken cancellationToken = default);

    [Get("/api/alerts")]
    Task<IApiResponse<JsonElement>> GetAlertsAsync([Header("X-Api-Key")] string operatorKey, string? state = null, CancellationToken cancellationToken = default);

    [Get("/api/operations/deployment-health")]
    Task<IApiResponse<JsonElement>> GetDeploymentHealthAsync([Header("X-Api-Key")] string operatorKey, string? slot = null, CancellationToken cancellationToken = default);

    [Get("/api/health")]
    Task<IApiResponse<JsonElement>> GetHealthAsync(CancellationToken cancellationToken = default);

    [Get("/api/health/db")]
    Task<IApiResponse<JsonElement>> GetDatabaseHealthAsync(CancellationToken cancellationToken = default);
}
