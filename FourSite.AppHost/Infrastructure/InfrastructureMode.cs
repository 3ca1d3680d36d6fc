using System.Diagnostics;

namespace FourSite.AppHost.Infrastructure;

/// <summary>How PostgreSQL, Redis and RabbitMQ run: as containers, or as the distribution's own servers on loopback.</summary>
public enum InfrastructureMode
{
    Containers,
    Local,
}

/// <summary>Chooses the infrastructure mode: forced by <c>FourSite:Infrastructure</c>, else containers only where an engine answers.</summary>
public static class InfrastructureModeSelector
{
    public const string SettingName = "FourSite:Infrastructure";

    public static InfrastructureMode Select(IDistributedApplicationBuilder builder)
    {
        // A deployment manifest always describes the containerised system, whatever this machine has.
        if (builder.ExecutionContext.IsPublishMode)
        {
            return InfrastructureMode.Containers;
        }

        var forced = builder.Configuration[SettingName];
        if (!string.IsNullOrWhiteSpace(forced))
        {
            return Enum.TryParse<InfrastructureMode>(forced, ignoreCase: true, out var mode)
                ? mode
                : throw new InvalidOperationException($"{SettingName} must be 'Containers' or 'Local', not '{forced}'.");
        }

        return ContainerEngineAnswers() ? InfrastructureMode.Containers : InfrastructureMode.Local;
    }

    /// <summary>A container resource waits forever without an engine, so the choice is made up front by asking the engine.</summary>
    private static bool ContainerEngineAnswers()
    {
        try
        {
#pragma warning disable S4036 // The developer's own container client, found on their PATH as their shell finds it.
            using var probe = Process.Start(new ProcessStartInfo("docker", ["info", "--format", "{{.ServerVersion}}"])
#pragma warning restore S4036
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (probe is null)
            {
                return false;
            }

            if (!probe.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                probe.Kill(entireProcessTree: true);
                return false;
            }

            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no docker client at all
        }
    }
}
