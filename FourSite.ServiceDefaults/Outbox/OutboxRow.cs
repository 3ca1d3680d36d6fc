using System.Diagnostics;
using System.Text.Json;

namespace FourSite.ServiceDefaults.Outbox;

/// <summary>
/// One message as the outbox stores it. Its property names are the parameters of <see cref="Outbox.Values"/>, so a
/// hot path can record a message inside its own statement (see <see cref="Outbox.InsertTarget"/>).
/// </summary>
public sealed record OutboxRow(Guid OutboxMessageId, string OutboxMessageType, string? OutboxDestination, string OutboxBody, string? OutboxTraceParent)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>An event for every subscriber, or a command for <paramref name="destination"/>'s queue.</summary>
    public static OutboxRow For<T>(T message, string? destination = null) where T : class => new(
        Guid.CreateVersion7(),
        TypeName<T>(),
        destination,
        JsonSerializer.Serialize(message, Json),
        // The relay continues this trace, so the broker hop shows under the request that caused it.
        Activity.Current?.Id);

    /// <summary>The <c>message_type</c> a message of type <typeparamref name="T"/> is stored under.</summary>
    public static string TypeName<T>() => $"{typeof(T).FullName}, {typeof(T).Assembly.GetName().Name}";
}
