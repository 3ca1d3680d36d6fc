namespace FourSite.ServiceDefaults.Access;

/// <summary>The operator credential (section <c>FourSite:Operator</c>), sent by operators as <c>X-Api-Key</c>.</summary>
public sealed class OperatorOptions
{
    public const string Section = "FourSite:Operator";

    public string? ApiKey { get; set; }
}
