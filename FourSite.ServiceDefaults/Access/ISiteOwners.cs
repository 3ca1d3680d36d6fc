namespace FourSite.ServiceDefaults.Access;

/// <summary>What a service knows of who owns a site: the hash of its owner token and its account.</summary>
public interface ISiteOwner
{
    string? OwnerTokenHash { get; }

    Guid? AccountId { get; }
}

/// <summary>A service's record of sites' owners (Generation's own, or another service's projection of its events).</summary>
public interface ISiteOwners
{
    Task<ISiteOwner?> FindOwnerAsync(Guid siteId, CancellationToken cancellationToken);
}

/// <summary>What a site this service does not know means.</summary>
public enum UnknownSite
{
    /// <summary>There is no such site (the service that makes sites).</summary>
    NotFound,

    /// <summary>It may be a site just generated whose event has not arrived yet: 404 with <c>Retry-After</c>.</summary>
    NotYetKnown,
}
