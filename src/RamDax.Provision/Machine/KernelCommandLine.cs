using System.Collections.Immutable;
using System.Text;

namespace RamDax.Provision.Machine;

/// <summary>The arguments the running kernel was booted with (<c>/proc/cmdline</c>).</summary>
public sealed record KernelCommandLine(ImmutableArray<string> Arguments)
{
    public const string Path = "/proc/cmdline";

    public static KernelCommandLine Read(MachineRoot root) => Parse(root.ReadText(Path));

    /// <summary>Splits a command line the way the kernel does: on spaces, double quotes group.</summary>
    public static KernelCommandLine Parse(string text)
    {
        var arguments = ImmutableArray.CreateBuilder<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
                current.Append(c);
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (current.Length > 0)
                {
                    arguments.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            arguments.Add(current.ToString());
        }

        return new KernelCommandLine(arguments.ToImmutable());
    }

    public bool Contains(string argument) => Arguments.Contains(argument, StringComparer.Ordinal);

    public override string ToString() => string.Join(' ', Arguments);
}
