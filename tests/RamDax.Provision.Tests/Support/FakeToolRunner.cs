using RamDax.Provision.Tools;

namespace RamDax.Provision.Tests.Support;

/// <summary>
/// The tool runner of the tests: answers program runs from the rules a test scripts per program
/// and arguments (the last matching rule wins, so a test can override a default) and records every
/// call in order. A new runner fails the test on a call nobody scripted; <see cref="Lenient"/> answers
/// such a call with exit 0 and no output instead, and <see cref="WithRealChroot"/> also runs
/// <c>chroot ROOT ...</c> for real, so the boot-configuration tools really run inside a test root
/// while systemctl, cloud-init and kexec never run and nothing reboots.
/// </summary>
public sealed class FakeToolRunner : IToolRunner
{
    private readonly List<(string Tool, Func<IReadOnlyList<string>, bool> Match, Func<IReadOnlyList<string>, Task<ToolResult>> Answer)> _rules = [];
    private readonly List<string> _calls = [];
    private readonly List<ToolResult> _results = [];
    private readonly bool _unscriptedSucceed;
    private readonly ToolRunner? _chroot;

    /// <summary>A runner that answers only what is scripted: any other call fails the test.</summary>
    public FakeToolRunner()
        : this(unscriptedSucceed: false, runChrootForReal: false)
    {
    }

    private FakeToolRunner(bool unscriptedSucceed, bool runChrootForReal)
    {
        _unscriptedSucceed = unscriptedSucceed;
        _chroot = runChrootForReal ? new ToolRunner() : null;
    }

    /// <summary>A runner that answers every call nothing scripts with exit 0 and no output.</summary>
    public static FakeToolRunner Lenient() => new(unscriptedSucceed: true, runChrootForReal: false);

    /// <summary>
    /// A lenient runner that runs <c>chroot ROOT ...</c> for real unless a rule scripts it: update-grub
    /// runs inside a <see cref="GrubTestRoot"/>; every other program answers exit 0 without running.
    /// </summary>
    public static FakeToolRunner WithRealChroot() => new(unscriptedSucceed: true, runChrootForReal: true);

    /// <summary>Called before each call is recorded and answered; a test throws from it to stop a run at a tool.</summary>
    public Action<string, IReadOnlyList<string>>? BeforeRun { get; set; }

    /// <summary>Every call as a command line (<c>ndctl list -R</c>), in the order they were made.</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Every call that was answered, with its answer, in the order they were answered.</summary>
    public IReadOnlyList<ToolResult> Results
    {
        get
        {
            lock (_calls)
            {
                return [.. _results];
            }
        }
    }

    /// <summary>How many reboots (or kexec reboots) were asked of systemctl.</summary>
    public int Reboots => Results.Count(c => c.Tool == ExternalTools.Systemctl && c.Arguments is ["reboot", "--no-block"] or ["kexec", "--no-block"]);

    /// <summary>The command lines that start with <paramref name="commandLinePrefix"/>.</summary>
    public IReadOnlyList<string> CallsStartingWith(string commandLinePrefix) =>
        [.. Calls.Where(c => c.StartsWith(commandLinePrefix, StringComparison.Ordinal))];

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

    /// <summary>Answers <paramref name="tool"/> whose arguments start with <paramref name="prefix"/> with <paramref name="exitCode"/> and the given output.</summary>
    public FakeToolRunner Exit(string tool, string[] prefix, int exitCode, string stdout = "", string stderr = "") =>
        On(tool, args => StartsWith(args, prefix), args => Result(tool, args, exitCode, stdout, stderr));

    public async Task<ToolResult> RunAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout, string? standardInput = null, CancellationToken cancellationToken = default)
    {
        BeforeRun?.Invoke(tool, arguments);
        var commandLine = string.Join(' ', arguments.Prepend(tool));
        lock (_calls)
        {
            _calls.Add(commandLine);
        }

        Func<IReadOnlyList<string>, Task<ToolResult>>? answer;
        lock (_rules)
        {
            answer = _rules.LastOrDefault(r => r.Tool == tool && r.Match(arguments)).Answer;
        }

        var result = answer is not null ? await answer(arguments)
            : tool == ExternalTools.Chroot && _chroot is not null ? await _chroot.RunAsync(tool, arguments, timeout, standardInput, cancellationToken)
            : _unscriptedSucceed ? Result(tool, arguments, 0)
            : throw new InvalidOperationException($"unexpected tool run: {commandLine}");
        lock (_calls)
        {
            _results.Add(result);
        }

        return result;
    }

    public static ToolResult Result(string tool, IReadOnlyList<string> args, int exitCode, string stdout = "", string stderr = "") =>
        new(tool, args, exitCode, stdout, stderr, TimeSpan.Zero);

    public static bool StartsWith(IReadOnlyList<string> args, string[] prefix) =>
        args.Count >= prefix.Length && prefix.Select((p, i) => args[i] == p).All(x => x);
}
