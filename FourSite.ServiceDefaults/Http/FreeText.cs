namespace FourSite.ServiceDefaults.Http;

/// <summary>Checks on text people type into a form (reasons, details, notes).</summary>
public static class FreeText
{
    /// <summary>Whether <paramref name="text"/> holds control characters other than line breaks and tabs (PostgreSQL text cannot hold NUL).</summary>
    public static bool HasControlCharacters(string? text) =>
        text is not null && text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'));
}
