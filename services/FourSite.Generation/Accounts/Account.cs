namespace FourSite.Generation.Accounts;

/// <summary>A row of <c>accounts</c>: a GitHub identity that signed in at the gateway.</summary>
public sealed record Account(Guid Id, long GitHubId, string Login, string? Name, string? AvatarUrl, DateTime CreatedAt);

/// <summary>What the gateway learnt of a GitHub user at sign-in.</summary>
public sealed record GitHubIdentity(long GitHubId, string Login, string? Name, string? AvatarUrl);
