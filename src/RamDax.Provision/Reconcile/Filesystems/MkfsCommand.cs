using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Reconcile.Filesystems;

/// <summary>
/// The mkfs command lines that give a DAX-capable filesystem (verified on 7.3):
/// ext4 needs 4 KiB blocks (mkfs picked 1 KiB on a 502 MiB device and the DAX mount failed),
/// stride and stripe width of 2 MiB keep allocations huge-page aligned; XFS cannot combine DAX
/// with reflink, and a 2 MiB stripe unit does the alignment. Options from the configuration come
/// after ours, before the device.
/// </summary>
public static class MkfsCommand
{
    public static (string Tool, IReadOnlyList<string> Arguments) For(FilesystemSettings filesystem, string device)
    {
        List<string> arguments = filesystem.Type == FilesystemType.Ext4
            ? ["-q", "-b", "4096", "-E", "stride=512,stripe_width=512", "-L", filesystem.Label]
            : ["-q", "-m", "reflink=0", "-d", "su=2m,sw=1", "-L", filesystem.Label];
        arguments.AddRange(filesystem.MkfsOptions);
        arguments.Add(device);
        return (filesystem.Type == FilesystemType.Ext4 ? ExternalTools.MkfsExt4 : ExternalTools.MkfsXfs, arguments);
    }
}
