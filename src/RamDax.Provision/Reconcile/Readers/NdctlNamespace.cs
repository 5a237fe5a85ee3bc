namespace RamDax.Provision.Reconcile.Readers;

/// <summary>
/// A namespace as <c>ndctl list -N</c> reports it. For fsdax and devdax, <see cref="Size"/> is the
/// USABLE size (after the info block and page metadata: 526385152 for <c>-s 512M -a 2M</c>), not
/// what <c>create-namespace -s</c> got. <see cref="Mode"/> is ndctl's word: fsdax, devdax, raw, sector.
/// </summary>
public sealed record NdctlNamespace(string Dev, string Mode, ulong Size, string? Name, string? Uuid, ulong? Align, string? BlockDevice, string? CharDevice)
{
    /// <summary>The device node: <c>/dev/pmemX</c> or <c>/dev/daxX.Y</c>.</summary>
    public string? DevicePath => BlockDevice is not null ? "/dev/" + BlockDevice : CharDevice is not null ? "/dev/" + CharDevice : null;

    /// <summary>ndctl before v60 said memory and dax for fsdax and devdax.</summary>
    public string NormalizedMode => Mode switch
    {
        "memory" => "fsdax",
        "dax" => "devdax",
        _ => Mode,
    };

    /// <summary>
    /// An nd_e820 namespace as the kernel makes it, with no info block yet: ndctl says raw, or, as
    /// ndctl 76 on Linux 6.1 does (seen in the Debian 12 guest), fsdax with map "mem" and no uuid,
    /// the whole range as its size. Only a conversion (<c>create-namespace -e</c>) writes an info
    /// block, and with it a uuid.
    /// </summary>
    public bool IsUnconverted => NormalizedMode == "raw" || (NormalizedMode == "fsdax" && Uuid is null);
}
