namespace FourSite.Viral.Scores;

/// <summary>A day's K-factor: invites per user × the rate at which invites became leads.</summary>
public sealed record Coefficient(double ViralCoefficient, double InvitesPerUser, double ConversionRate);

/// <summary>One platform's day: shares → visits → leads, and the step that loses the most.</summary>
public sealed record PlatformFunnel(string Platform, int Shares, int Visits, int Leads, double VisitsPerShare, double LeadsPerVisit, string WeakestStep);

/// <summary>The viral coefficient and the share funnel, from counts. Pure.</summary>
public static class ViralCoefficient
{
    public const string ShareToVisit = "share_to_visit";
    public const string VisitToLead = "visit_to_lead";

    /// <summary>K = (shares ÷ people sharing) × (conversions ÷ shares); 0 on a day without shares.</summary>
    public static Coefficient Of(int shares, int sharers, int conversions)
    {
        if (shares <= 0 || sharers <= 0)
        {
            return new Coefficient(0, 0, 0);
        }

        var invitesPerUser = (double)shares / sharers;
        var conversionRate = (double)conversions / shares;
        return new Coefficient(Round(invitesPerUser * conversionRate), Round(invitesPerUser), Round(conversionRate));
    }

    public static PlatformFunnel Funnel(string platform, int shares, int visits, int leads)
    {
        var visitsPerShare = shares == 0 ? 0 : (double)visits / shares;
        var leadsPerVisit = visits == 0 ? 0 : (double)leads / visits;
        // A share that brings no visit is lost earlier than a visit that brings no lead.
        var weakest = shares > 0 && visitsPerShare <= leadsPerVisit ? ShareToVisit : VisitToLead;
        return new PlatformFunnel(platform, shares, visits, leads, Round(visitsPerShare), Round(leadsPerVisit), weakest);
    }

    private static double Round(double value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);
}
