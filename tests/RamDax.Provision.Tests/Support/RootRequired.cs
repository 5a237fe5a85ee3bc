namespace RamDax.Provision.Tests.Support;

/// <summary>A fact that needs root (bind mounts, chroot); elsewhere it is skipped with the reason.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "needs root: it bind-mounts /usr and /dev into a test root and runs update-grub there through chroot";
        }
    }
}

/// <summary>A theory that needs root; elsewhere it is skipped with the reason.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "needs root: it bind-mounts /usr and /dev into a test root and runs update-grub there through chroot";
        }
    }
}
