using System.Diagnostics;

namespace FourSite.Ops;

/// <summary>One line per check (PASS, FAIL or SKIP, its time and what it saw); failed when any check failed.</summary>
public sealed class CheckReport(TextWriter output)
{
    private readonly List<(string Name, bool Passed)> _results = [];

    public bool Failed => _results.Any(result => !result.Passed);

    public IReadOnlyList<(string Name, bool Passed)> Results => _results;

    /// <summary>Runs a check: it passes when it returns, fails when it throws; what it returns is printed beside it.</summary>
    public async Task RunAsync(string name, Func<Task<string>> check)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var detail = await check();
            Write("PASS", name, started, detail);
            _results.Add((name, true));
        }
        catch (SkipException skip)
        {
            Write("SKIP", name, started, skip.Message);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Write("FAIL", name, started, exception.Message);
            _results.Add((name, false));
        }
    }

    private void Write(string verdict, string name, long started, string detail) =>
        output.WriteLine($"{verdict} {name,-28} {Stopwatch.GetElapsedTime(started).TotalMilliseconds,7:F0} ms  {detail}");
}

/// <summary>A check that does not apply to this deployment (for example, no operator key given).</summary>
public sealed class SkipException(string reason) : Exception(reason);

/// <summary>A check's expectation that did not hold.</summary>
public sealed class CheckFailedException(string message) : Exception(message);
