using RamDax.Provision.Tools;

namespace RamDax.Provision.Reconcile.Readers;

/// <summary>Reads a device's signature with <c>blkid -p</c> (low-level probing: the device itself, never the cache).</summary>
public static class BlkidProbe
{
    public static async Task<BlkidSignature> ProbeAsync(ReconcileContext context, string device, CancellationToken ct)
    {
        var result = await context.Tools.RunAsync(ExternalTools.Blkid, ["-p", "-o", "export", device], ReconcileContext.QuickTimeout, null, ct).ConfigureAwait(false);
        if (result.ExitCode == 0)
        {
            return BlkidSignature.Parse(result.StandardOutput);
        }

        // Exit 2 also means "cannot open"; then blkid says why on stderr. Only silence is blank.
        if (result.ExitCode == 2 && result.StandardOutput.Trim().Length == 0 && result.StandardError.Trim().Length == 0)
        {
            return BlkidSignature.Blank;
        }

        throw new ToolFailedException(result, $"probe {device} for signatures");
    }
}
