namespace RamDax.Provision.Machine;

/// <summary>One kernel argument a boot configuration gives the next boot, and where it is written (<c>/etc/default/grub line 6</c>).</summary>
public sealed record BootArgument(string Argument, string Source);
