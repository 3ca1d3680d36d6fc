namespace FourSite.ServiceDefaults.Access;

/// <summary>The operator credential (section <c>FourSite:Operator</c>), sent by operators as <c>X-Api-Key</c>.</summary>
public sealed class OperatorOptions
{
    public const string Section = "FourSite:Operator";

    public string? ApiKey { get; set; }

    /// <summary>GitHub logins that, signed in at the gateway, act as operators (the key keeps working for automation).</summary>
    public string[] GitHubLogins { get; set; } = [];

    public bool IsOperatorLogin(string? login) =>
        login is { Length: > 0 } && GitHubLogins.Any(known => string.Equals(known, login, StringComparison.OrdinalIgnoreCase));
}
