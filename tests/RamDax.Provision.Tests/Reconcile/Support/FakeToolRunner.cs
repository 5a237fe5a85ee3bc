using System.Collections.Concurrent;
using RamDax.Provision.Tools;

namespace RamDax.Provision.Tests.Reconcile.Support;

/// <summary>
/// Answers tool runs with recorded outputs and remembers every call. The last matching rule wins,
/// so a test can override a default; a call nobody expected fails the test.
/// </summary>
internal sealed class FakeToolRunner : IToolRunner
{
    private readonly List<(string Tool, Func<IReadOnlyList<string>, bool> Match, Func<IReadOnlyList<string>, Task<ToolResult>> Answer)> _rules = [];
    private readonly ConcurrentQueue<string> _calls = new();

    /// <summary>Every call, as a command line, in the order they were made.</summary>
    public IReadOnlyList<string> Calls => [.. _calls];

    public FakeToolRunner On(string tool, Func<IReadOnlyList<string>, bool> match, Func<IReadOnlyList<string>, Task<ToolResult>> answer)
    {
        lock (_rules)
        {
            _rules.Add((tool, match, answer));
        }

        return this;
    }

    public FakeToolRunner On(string tool, Func<IReadOnlyList<string>, bool> match, Func<IReadOnlyList<string>, ToolResult> answer) =>
        On(tool, match, args => Task.FromResult(answer(args)));

    /// <summary>Answers <paramref name="tool"/> whose arguments start with <paramref name="prefix"/> with exit 0 and <paramref name="stdout"/>.</summary>
    public FakeToolRunner Ok(string tool, string[] prefix, string stdout = "") =>
        On(tool, args => StartsWith(args, prefix), args => Result(tool, args, 0, stdout));

    public FakeToolRunner Exit(string tool, string[] prefix, int exitCode, string stdout = "", string stderr = "") =>
        On(tool, args => StartsWith(args, prefix), args => Result(tool, args, exitCode, stdout, stderr));

    public Task<ToolResult> RunAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout, string? standardInput = null, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(string.Join(' ', arguments.Prepend(tool)));
        Func<IReadOnlyList<string>, Task<ToolResult>>? answer;
        lock (_rules)
        {
            answer = _rules.LastOrDefault(r => r.Tool == tool && r.Match(arguments)).Answer;
        }

        return answer is null
            ? throw new InvalidOperationException($"unexpected tool run: {string.Join(' ', arguments.Prepend(tool))}")
            : answer(arguments);
    }

    /// <summary>The calls that start with <paramref name="commandLinePrefix"/>.</summary>
    public IReadOnlyList<string> CallsStartingWith(string commandLinePrefix) =>
        [.. Calls.Where(c => c.StartsWith(commandLinePrefix, StringComparison.Ordinal))];

    public static ToolResult Result(string tool, IReadOnlyList<string> args, int exitCode, string stdout = "", string stderr = "") =>
        new(tool, args, exitCode, stdout, stderr, TimeSpan.Zero);

    public static bool StartsWith(IReadOnlyList<string> args, string[] prefix) =>
        args.Count >= prefix.Length && prefix.Select((p, i) => args[i] == p).All(x => x);
}
