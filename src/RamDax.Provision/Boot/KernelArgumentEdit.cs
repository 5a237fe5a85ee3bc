using System.Collections.Immutable;
using System.Text;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Boot;

/// <summary>
/// The one rule every backend follows when it edits a command line: arguments the agent does not
/// own stay exactly as they are; its own arguments (wanted or stale) are taken out wherever they
/// are and the wanted ones appended once, so a rerun never duplicates and an old carve-out is
/// replaced.
/// </summary>
public static class KernelArgumentEdit
{
    /// <summary>The edited argument list.</summary>
    public static ImmutableArray<string> Apply(IEnumerable<string> existing, KernelArgumentTarget target)
    {
        var ours = target.Ours;
        return [.. existing.Where(a => !ours.Contains(a)), .. target.Wanted];
    }

    /// <summary>
    /// Edits a command-line text (one line, as in <c>/etc/kernel/cmdline</c>) keeping every byte
    /// of the arguments it does not touch, including the spacing between them and the line end.
    /// </summary>
    public static string ApplyToText(string text, KernelArgumentTarget target)
    {
        var ours = target.Ours;
        var body = text.TrimEnd('\n', '\r');
        var ending = text[body.Length..];
        var kept = new StringBuilder();
        var position = 0;
        foreach (var (start, length) in Tokens(body))
        {
            var token = body.Substring(start, length);
            if (ours.Contains(token))
            {
                // Drop the token with the whitespace before it, so no double spaces are left behind.
                kept.Append(body, position, LeadingWhitespaceStart(body, position, start) - position);
            }
            else
            {
                kept.Append(body, position, start + length - position);
            }

            position = start + length;
        }

        kept.Append(body, position, body.Length - position);
        var result = kept.ToString();
        if (result.Trim().Length == 0)
        {
            result = "";
        }

        foreach (var argument in target.Wanted)
        {
            result += (result.Length == 0 || char.IsWhiteSpace(result[^1]) ? "" : " ") + argument;
        }

        return result + ending;
    }

    /// <summary>Whether <paramref name="arguments"/> has every wanted and no stale argument.</summary>
    public static bool Carries(IEnumerable<string> arguments, KernelArgumentTarget target)
    {
        var set = arguments.ToHashSet(StringComparer.Ordinal);
        return target.Wanted.All(set.Contains) && !target.Stale.Any(set.Contains);
    }

    private static int LeadingWhitespaceStart(string text, int floor, int start)
    {
        var at = start;
        while (at > floor && char.IsWhiteSpace(text[at - 1]))
        {
            at--;
        }

        // Keep the leading whitespace when the token is the first thing on the line.
        return floor == 0 && at == 0 ? start : at;
    }

    private static IEnumerable<(int Start, int Length)> Tokens(string text)
    {
        var arguments = KernelCommandLine.Parse(text).Arguments;
        var from = 0;
        foreach (var argument in arguments)
        {
            var start = text.IndexOf(argument, from, StringComparison.Ordinal);
            yield return (start, argument.Length);
            from = start + argument.Length;
        }
    }
}
