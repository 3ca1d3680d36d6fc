namespace FourSite.ServiceDefaults.Database;

/// <summary>
/// PostgreSQL's <c>timestamptz</c> as the API shows it: Npgsql reads it as a <see cref="DateTime"/>, and it is UTC.
/// </summary>
public static class UtcTime
{
    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static DateTimeOffset? Utc(DateTime? value) => value is { } time ? Utc(time) : null;
}
