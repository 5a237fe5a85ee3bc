using System.Text.RegularExpressions;

namespace RamDax.Provision.State;

/// <summary>
/// The kernel arguments the agent makes: one <c>memmap=SIZE!START[,SIZE!START...]</c>, the
/// <c>modprobe.blacklist=nd_e820</c> that keeps nd_e820 off ramdax's ranges, and <c>nokaslr</c>
/// (written by 0.1.0 with more than four ranges; no longer planned, but still removed when owned).
/// Nothing else can ever be owned, whatever a state file says, so an edited file cannot make the
/// agent remove <c>root=</c> or any other argument it did not write.
/// </summary>
public static partial class OwnArguments
{
    private const string NoKaslr = "nokaslr";

    public static bool IsOwn(string? argument) =>
        argument is Planning.KernelArgumentPlanner.BlacklistNdE820 or NoKaslr
        || (argument is not null && Memmap().IsMatch(argument));

    [GeneratedRegex(@"^memmap=[0-9]+[KMGTPE]?![0-9]+[KMGTPE]?(,[0-9]+[KMGTPE]?![0-9]+[KMGTPE]?)*$")]
    private static partial Regex Memmap();
}
