using System.Globalization;
using System.Text.Json;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Apply;

/// <summary>
/// Before rebooting, lets cloud-init finish, so user-data scripts are not cut off. Waiting is only
/// safe from outside cloud-init's own ordering: a unit ordered After=cloud-final.service may wait,
/// a command cloud-init itself runs (runcmd, bootcmd) must not, or both would wait for each other.
/// </summary>
public static class CloudInitWait
{
    /// <summary>
    /// How long the agent waits. ramdax-provision-instance.service's TimeoutStartSec= covers this
    /// plus everything else the unit may do before it (a test checks the two agree).
    /// </summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromMinutes(30);

    /// <summary>Where cloud-init records the stage it is in (<c>v1.stage</c>, with each stage's start and finish in seconds of uptime).</summary>
    public const string StatusPath = "/run/cloud-init/status.json";

    // What cloud-init's stages are called in status.json, and the units that run them.
    private static readonly Dictionary<string, string> StageUnits = new(StringComparer.Ordinal)
    {
        ["init-local"] = "cloud-init-local.service",
        ["init"] = "cloud-init-network.service (cloud-init.service before 24.3)",
        ["modules-config"] = "cloud-config.service",
        ["modules-final"] = "cloud-final.service",
    };

    public static async Task WaitAsync(ApplyContext context, CancellationToken cancellationToken)
    {
        if (!context.Tools.Has(ExternalTools.CloudInit))
        {
            return;
        }

        if (RunningUnderCloudInit(context))
        {
            context.Say("cloud-init started this run: not waiting for it to finish (it would wait for us)");
            return;
        }

        context.Say("waiting for cloud-init to finish before rebooting (cloud-init status --wait)");
        var result = await context.Runner.RunAsync(ExternalTools.CloudInit, ["status", "--wait"], Timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        context.Say(result.ExitCode switch
        {
            0 => "cloud-init has finished",
            1 => "cloud-init crashed (exit 1); rebooting anyway, see /var/log/cloud-init.log",
            2 => "cloud-init finished with recoverable errors (exit 2); rebooting",
            124 => TimedOut(context.Root.TryReadText(StatusPath), Timeout), // the runner's exit code for a timeout, as timeout(1)'s
            _ => $"cloud-init status --wait exited with {result.ExitCode}; rebooting anyway",
        });
    }

    /// <summary>What the agent says when cloud-init has not finished in time: the stage it was still in, from its status.json.</summary>
    public static string TimedOut(string? statusJson, TimeSpan waited)
    {
        var prefix = $"cloud-init had not finished after {waited.TotalMinutes:0} min of cloud-init status --wait";
        var stage = Stage(statusJson);
        var what = stage is null
            ? $"; {StatusPath} does not say which stage it was in"
            : $": it was still in its {stage.Value.Name} stage ({StageUnits.GetValueOrDefault(stage.Value.Name, "?")}"
              + (stage.Value.Start is { } start ? $", started {start:0} s after boot)" : ")");
        return prefix + what + "; rebooting anyway, see /var/log/cloud-init.log and 'cloud-init status --long'";
    }

    private static (string Name, double? Start)? Stage(string? statusJson)
    {
        if (statusJson is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(statusJson);
            if (!document.RootElement.TryGetProperty("v1", out var v1) || !v1.TryGetProperty("stage", out var stage) || stage.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var name = stage.GetString()!;
            double? start = v1.TryGetProperty(name, out var entry) && entry.ValueKind == JsonValueKind.Object
                && entry.TryGetProperty("start", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : null;
            return (name, start);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether one of our ancestor processes is cloud-init (read from /proc under the root).</summary>
    public static bool RunningUnderCloudInit(ApplyContext context)
    {
        var pid = Environment.ProcessId;
        for (var depth = 0; depth < 64 && pid > 1; depth++)
        {
            var stat = context.Root.TryReadText($"/proc/{pid}/stat");
            if (stat is null)
            {
                return false;
            }

            // "pid (comm) state ppid ...": comm may hold spaces, so parse after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length < 2 || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out pid))
            {
                return false;
            }

            var cmdline = context.Root.TryReadText($"/proc/{pid}/cmdline") ?? "";
            if (cmdline.Contains("cloud-init", StringComparison.Ordinal) || cmdline.Contains("cloud_init", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
