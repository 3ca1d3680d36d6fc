using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace FourSite.Viral.Referrals;

/// <summary>Referral codes: ten characters from an alphabet without look-alikes (about 50 random bits each).</summary>
public static partial class ReferralCodes
{
    private const string Alphabet = "23456789abcdefghjkmnpqrstuvwxyz";
    public const int Length = 10;

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>What a referral code may look like anywhere it is accepted.</summary>
    public static bool IsWellFormed(string? code) => code is not null && Shape().IsMatch(code);

    [GeneratedRegex("^[A-Za-z0-9_-]{4,32}$")]
    private static partial Regex Shape();
}
