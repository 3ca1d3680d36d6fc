using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace FourSite.Leads.Email;

/// <summary>The unguessable tokens in emailed links: 256 random bits, stored only as their SHA-256 where they grant a change once.</summary>
public static class MailTokens
{
    public static string New() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether a path segment could be a token at all (43 base64url characters), before any lookup.</summary>
    public static bool IsWellFormed(string? token) => token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
