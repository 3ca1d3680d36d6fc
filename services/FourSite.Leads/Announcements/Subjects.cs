namespace FourSite.Leads.Announcements;

/// <summary>Email subjects: one line, no control characters (a line break in a header would start another header).</summary>
public static class Subjects
{
    public const int MaxLength = 200;

    public static bool IsValid(string? subject) => !string.IsNullOrWhiteSpace(subject) && subject.Length <= MaxLength && !subject.Any(char.IsControl);

    /// <summary>A subject made from text FourSite did not write (a release's name): control characters become spaces, and it is cut to length.</summary>
    public static string Clean(string subject)
    {
        var clean = new string([.. subject.Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        return clean.Length > MaxLength ? clean[..MaxLength] : clean;
    }
}
