using Microsoft.Security.AntiSSRF;

namespace FourSite.ServiceDefaults.Http;

/// <summary>
/// The handler for calls to addresses users chose (owners' webhooks, READMEs' pictures): each connection's resolved
/// addresses are checked as it is made (no loopback, private, link-local or cloud metadata ranges, with
/// Microsoft.Security.AntiSSRF), redirects are never followed and no cookies are kept.
/// </summary>
public static class ExternalOnlyHandler
{
    /// <param name="allowLoopback">Lets 127.0.0.1 be reached over plain HTTP (tests only; never in production).</param>
    public static AntiSSRFHandler Create(bool allowLoopback)
    {
        var policy = new AntiSSRFPolicy(PolicyConfigOptions.ExternalOnlyLatest) { AddXFFHeader = false };
        if (allowLoopback)
        {
            policy.AllowPlainTextHttp = true;
            policy.AddAllowedAddresses(["127.0.0.1/32"]);
        }

        var handler = policy.GetHandler();
        handler.AllowAutoRedirect = false;
        handler.UseCookies = false;
        return handler;
    }
}
