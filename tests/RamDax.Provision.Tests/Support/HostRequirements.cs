namespace RamDax.Provision.Tests.Support;

/// <summary>
/// What a test needs from the machine it runs on: root, and programs on PATH. One gate for every
/// such test: where a need is not met the test is skipped with the reason (and the Debian package
/// to install), never failed and never silently passed. The README's test command sets
/// <c>RAMDAX_TESTS_STRICT=1</c> after installing everything: there nothing is skipped, so a test
/// whose need is still unmet runs and fails.
/// </summary>
public static class HostRequirements
{
    public static bool Strict => Environment.GetEnvironmentVariable("RAMDAX_TESTS_STRICT") == "1";

    /// <summary>Why a test with these needs cannot run here, or null when it can.</summary>
    public static string? WhyNot(bool root, string[] programs)
    {
        var reasons = new List<string>();
        if (root && Environment.UserName != "root")
        {
            reasons.Add("root (loop devices, bind mounts, chroot)");
        }

        foreach (var program in programs.Where(p => !HostTools.IsOnPath(p)))
        {
            var package = HostTools.PackageOf(program);
            reasons.Add(package is null
                ? $"{program} (not in tests/host-tools.tsv: add it with its Debian package)"
                : $"{program} (Debian package {package})");
        }

        return reasons.Count == 0 || Strict ? null : "needs " + string.Join(", ", reasons);
    }
}
