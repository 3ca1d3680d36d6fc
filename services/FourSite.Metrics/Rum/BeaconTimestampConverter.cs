using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FourSite.Metrics.Rum;

/// <summary>
/// A beacon's time as browsers send it: <c>Date.now()</c> (epoch milliseconds, a number) or <c>toISOString()</c>. Anything
/// else is a <see cref="JsonException"/>, which the API answers 400.
/// </summary>
public sealed class BeaconTimestampConverter : JsonConverter<DateTimeOffset?>
{
    /// <summary>Epoch milliseconds of 9999-12-31, the last instant <see cref="DateTimeOffset"/> holds.</summary>
    private const double MaxEpochMilliseconds = 253_402_300_799_999;

    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetDouble(out var milliseconds) && milliseconds is >= 0 and <= MaxEpochMilliseconds:
                return DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);
            case JsonTokenType.String when DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at):
                return at;
            default:
                throw new JsonException("timestamp must be epoch milliseconds or an ISO-8601 date and time.");
        }
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } at)
        {
            writer.WriteStringValue(at);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
