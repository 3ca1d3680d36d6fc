namespace FourSite.Generation.Pipeline;

/// <summary>Queue names, fixed so the outbox can address the consumer directly.</summary>
public static class GenerationQueues
{
    public const string GenerateSite = "generation-generate-site";
}
