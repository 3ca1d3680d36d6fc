namespace FourSite.Testing;

/// <summary>Polls for a state that is reached asynchronously (a consumer ran, a bus connected), up to a generous bound.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(60);

    /// <returns>The first value that satisfies <paramref name="done"/>; the last value seen if the bound passes.</returns>
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? bound = null)
    {
        var deadline = DateTime.UtcNow + (bound ?? DefaultBound);
        while (true)
        {
            T value;
            try
            {
                value = await read();
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
                continue;
            }

            if (done(value) || DateTime.UtcNow >= deadline)
            {
                return value;
            }

            await Task.Delay(250);
        }
    }
}
