namespace FourSite.ServiceDefaults.Access;

/// <summary>What a caller may present to a protected call.</summary>
public enum Credential
{
    /// <summary>The operator key in <c>X-Api-Key</c>.</summary>
    OperatorKey,

    /// <summary>The site's owner token as <c>Authorization: Bearer …</c>, or the signed-in account that owns the site.</summary>
    SiteOwner,

    /// <summary>A signed-in account (the gateway's session, vouched for to the services by its signed token).</summary>
    Account,

    /// <summary>A third party's signature over the body (GitHub's or Stripe's webhook secret).</summary>
    Signature,
}
