using RamDax.Provision.Reconcile.Readers;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Reconcile.Filesystems;

/// <summary>
/// Pure: mkfs runs only on a blank device, or over another signature when the namespace says
/// <c>wipe: true</c>. The planned filesystem (same type and label) is always kept, wipe or not:
/// wipe is about foreign signatures, not about starting over every boot. The one exception is
/// <c>unfinished</c>: an earlier mkfs of this namespace never finished (<see cref="UnfinishedMkfs"/>),
/// so what it left is made again.
/// </summary>
public static class FilesystemDecider
{
    public static FilesystemDecision Decide(string namespaceName, FilesystemSettings planned, bool wipe, string device, BlkidSignature found, ulong deviceSize, bool unfinished = false)
    {
        var type = TypeWord(planned.Type);
        if (unfinished && (found.IsBlank || found.Type == type))
        {
            // What that mkfs left (nothing blkid knows, or a filesystem of the planned type that may
            // lack its last blocks) was never mounted by the agent, so it never held data.
            return new FilesystemDecision.Format(!found.IsBlank,
                $"the mkfs begun on {device} in an earlier run never finished (the machine stopped during it, or it failed), so "
                + (found.IsBlank ? "it left nothing" : $"the {found.Describe()} it left is not whole and never held data"));
        }

        if (found.IsBlank)
        {
            return new FilesystemDecision.Format(false, $"{device} was blank");
        }

        var matches = found.Type == type && found.Label == planned.Label;
        var tooLarge = found.FilesystemSize is { } size && size > deviceSize;
        if (matches && !tooLarge)
        {
            return new FilesystemDecision.Keep(found);
        }

        var what = found.Describe() + (matches && tooLarge ? $" of {found.FilesystemSize} bytes, larger than the {deviceSize}-byte device (left over from an earlier layout)" : "");
        if (wipe)
        {
            return new FilesystemDecision.Format(true, $"{device} carried {what}; replaced because wipe: true");
        }

        return new FilesystemDecision.Refuse(
            $"{device} carries {what}, not {type} labelled '{planned.Label}'; it is never formatted over. "
            + $"Set wipe: true for namespace '{namespaceName}' to replace it, or change filesystem.type/label to match it");
    }

    public static string TypeWord(FilesystemType type) => type == FilesystemType.Ext4 ? "ext4" : "xfs";
}
