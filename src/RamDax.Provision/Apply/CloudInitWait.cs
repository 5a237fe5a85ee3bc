using System.Globalization;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Apply;

/// <summary>
/// Before rebooting, lets cloud-init finish, so user-data scripts are not cut off. Waiting is only
/// safe from outside cloud-init's own ordering: a unit ordered After=cloud-final.service may wait,
/// a command cloud-init itself runs (runcmd, bootcmd) must not, or both would wait for each other.
/// </summary>
public static class CloudInitWait
{
    public static TimeSpan Timeout { get; } = TimeSpan.FromMinutes(30);

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
            _ => $"cloud-init status --wait exited with {result.ExitCode}; rebooting anyway",
        });
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
