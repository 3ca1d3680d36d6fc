namespace FourSite.Generation.Pipeline;

/// <summary>
/// A job's state as clients see it (<c>GET /api/generate/{jobId}</c> and each server-sent event). A new site's end also
/// carries the site, so a generate call waiting on it answers without reading it back.
/// </summary>
public sealed record JobUpdate(Guid JobId, string Status, string Stage, int Progress, Guid? SiteId = null, string? Error = null, string? ErrorCode = null, GeneratedSite? Site = null)
{
    public bool IsFinished => Status is JobStatus.Completed or JobStatus.Failed;
}

/// <summary>Job statuses and the stages a job moves through, with the progress each stands for.</summary>
public static class JobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";

    public const string FetchingRepo = "fetching-repo";
    public const string Writing = "writing";
    public const string Rendering = "rendering";

    public static int ProgressOf(string stage) => stage switch
    {
        Queued => 0,
        FetchingRepo => 20,
        Writing => 50,
        Rendering => 80,
        _ => 100,
    };
}
