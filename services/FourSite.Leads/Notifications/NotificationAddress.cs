namespace FourSite.Leads.Notifications;

/// <summary>Where a maintainer's lead notifications (and announcement tests) go, once verified.</summary>
public sealed record NotificationAddress(string Email, string EmailNormalized, bool Verified);
