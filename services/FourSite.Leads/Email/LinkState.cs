namespace FourSite.Leads.Email;

/// <summary>What an emailed link was found to be: unknown (forged, incomplete or spent), expired, or good.</summary>
public enum LinkState
{
    Unknown,
    Expired,
    Valid,
}
