using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using RamDax.Provision.Machine;

namespace RamDax.Provision.Boot;

/// <summary>
/// The kernel arguments GRUB's defaults give the next boot. grub-mkconfig sources
/// <c>/etc/default/grub</c> and then <c>/etc/default/grub.d/*.cfg</c> in name order with
/// <c>sh</c>, and puts <c>GRUB_CMDLINE_LINUX</c> and <c>GRUB_CMDLINE_LINUX_DEFAULT</c> on the
/// normal entries' <c>linux</c> lines. The agent's own drop-in is left out: its arguments are the
/// agent's. Only plain assignments are evaluated (single and double quotes, backslashes,
/// <c>$NAME</c>, <c>${NAME}</c>); a command line variable set any other way (command
/// substitution, <c>${NAME:-x}</c>, <c>+=</c>) is named in a note, never guessed. An assignment
/// inside an <c>if</c> is taken as made: a foreign argument it may add is kept clear of.
/// </summary>
public static class GrubDefaults
{
    public const string DefaultsPath = "/etc/default/grub";
    public const string DropInDirectory = "/etc/default/grub.d";
    public const string Name = "GRUB (/etc/default/grub, /etc/default/grub.d/*.cfg)";

    // In the order 10_linux writes them: "${GRUB_CMDLINE_LINUX} ${GRUB_CMDLINE_LINUX_DEFAULT}".
    private static readonly string[] CommandLineVariables = ["GRUB_CMDLINE_LINUX", "GRUB_CMDLINE_LINUX_DEFAULT"];

    /// <summary>The files grub-mkconfig sources, in its order, without the agent's drop-in.</summary>
    public static IReadOnlyList<string> Files(MachineRoot root)
    {
        var files = new List<string>();
        if (root.FileExists(DefaultsPath))
        {
            files.Add(DefaultsPath);
        }

        if (root.DirectoryExists(DropInDirectory))
        {
            files.AddRange(root.ListNames(DropInDirectory)
                .Where(n => n.EndsWith(".cfg", StringComparison.Ordinal))
                .Select(n => $"{DropInDirectory}/{n}")
                .Where(p => p != GrubDropIn.DropInPath && root.FileExists(p)));
        }

        return files;
    }

    /// <summary>The command line GRUB's defaults give; null when there are none. Problems go to <paramref name="notes"/>.</summary>
    public static BootCommandLine? Read(MachineRoot root, ICollection<string> notes)
    {
        var files = Files(root);
        if (files.Count == 0)
        {
            return null;
        }

        var evaluation = new Evaluation();
        foreach (var file in files)
        {
            evaluation.Run(root.ReadText(file), file, notes);
        }

        return new BootCommandLine(Name, [.. CommandLineVariables.SelectMany(evaluation.Arguments)]);
    }

    /// <summary>The arguments of <paramref name="text"/> sourced alone (for tests and messages).</summary>
    public static ImmutableArray<BootArgument> Evaluate(string text, string file, ICollection<string> notes)
    {
        var evaluation = new Evaluation();
        evaluation.Run(text, file, notes);
        return [.. CommandLineVariables.SelectMany(evaluation.Arguments)];
    }

    private sealed class Evaluation
    {
        private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);

        // Per command line variable: its arguments, each with the line that first gave it.
        private readonly Dictionary<string, List<BootArgument>> _arguments = new(StringComparer.Ordinal);

        public List<BootArgument> Arguments(string variable) =>
            _arguments.TryGetValue(variable, out var arguments) ? arguments : [];

        public void Run(string text, string file, ICollection<string> notes)
        {
            var scanner = new Scanner(text);
            while (scanner.SkipBlank())
            {
                var line = scanner.Line;
                var start = scanner.Position;
                var statement = scanner.Statement(_variables, out var problem);
                var where = $"{file} line {line.ToString(CultureInfo.InvariantCulture)}";
                if (statement is null)
                {
                    var written = text.AsSpan(start, scanner.Position - start);
                    if (written.Contains("GRUB_CMDLINE_LINUX", StringComparison.Ordinal) && written.Contains('='))
                    {
                        notes.Add($"{where}: {problem ?? "not a plain assignment"}; the kernel arguments it sets are not seen, so a foreign memmap= or mem= there is not kept clear of");
                    }

                    continue;
                }

                var (name, value) = statement.Value;
                _variables[name] = value;
                if (CommandLineVariables.Contains(name, StringComparer.Ordinal))
                {
                    Assign(name, value, where);
                }
            }
        }

        // GRUB reads the linux line with its own lexer, which turns \$ (how memmap=nn$ss must be
        // written there) back into $.
        private void Assign(string name, string value, string where)
        {
            var known = _arguments.Values.SelectMany(a => a).GroupBy(a => a.Argument, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var arguments = new List<BootArgument>();
            foreach (var token in KernelCommandLine.Parse(value).Arguments)
            {
                var argument = Unescape(token);
                arguments.Add(known.TryGetValue(argument, out var earlier) ? earlier : new BootArgument(argument, where));
            }

            _arguments[name] = arguments;
        }

        private static string Unescape(string token)
        {
            if (!token.Contains('\\', StringComparison.Ordinal))
            {
                return token;
            }

            var text = new StringBuilder(token.Length);
            for (var i = 0; i < token.Length; i++)
            {
                if (token[i] == '\\' && i + 1 < token.Length)
                {
                    i++;
                }

                text.Append(token[i]);
            }

            return text.ToString();
        }
    }

    // Just enough of sh to read NAME=VALUE statements: the value is one word of quoted and
    // unquoted parts with $NAME and ${NAME} expanded from what earlier assignments set.
    private sealed class Scanner(string text)
    {
        public int Position { get; private set; }

        public int Line { get; private set; } = 1;

        private bool AtEnd => Position >= text.Length;

        private char Current => text[Position];

        /// <summary>Skips blanks, empty lines, statement separators and comments; false at the end.</summary>
        public bool SkipBlank()
        {
            while (!AtEnd)
            {
                switch (Current)
                {
                    case ' ' or '\t' or '\r' or ';':
                        Position++;
                        break;
                    case '\n':
                        Advance();
                        break;
                    case '#':
                        SkipLine();
                        break;
                    default:
                        return true;
                }
            }

            return false;
        }

        /// <summary>One statement: (name, value) for a plain assignment, else null with the reason.</summary>
        public (string Name, string Value)? Statement(IReadOnlyDictionary<string, string> variables, out string? problem)
        {
            problem = null;
            if (text.AsSpan(Position).StartsWith("export ", StringComparison.Ordinal))
            {
                Position += "export ".Length;
                while (!AtEnd && Current is ' ' or '\t')
                {
                    Position++;
                }
            }

            var nameStart = Position;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(Current) || Current == '_') && !(Position == nameStart && char.IsAsciiDigit(Current)))
            {
                Position++;
            }

            var name = text[nameStart..Position];
            if (name.Length == 0 || AtEnd || Current != '=')
            {
                problem = !AtEnd && Current == '+' ? "+= is not sh (grub-mkconfig runs /bin/sh)" : null;
                SkipLine();
                return null;
            }

            Position++;
            var value = Word(variables, out problem);
            if (value is not null)
            {
                while (!AtEnd && Current is ' ' or '\t' or '\r')
                {
                    Position++;
                }

                if (!AtEnd && Current is not ('\n' or ';' or '#'))
                {
                    // NAME=value command: the value is only the command's.
                    (value, problem) = (null, "an assignment followed by a command");
                }
            }

            if (value is null)
            {
                SkipLine();
                return null;
            }

            return (name, value);
        }

        private string? Word(IReadOnlyDictionary<string, string> variables, out string? problem)
        {
            problem = null;
            var word = new StringBuilder();
            while (!AtEnd && Current is not (' ' or '\t' or '\r' or '\n' or ';'))
            {
                var c = Current;
                switch (c)
                {
                    case '\'':
                        var close = text.IndexOf('\'', Position + 1);
                        if (close < 0)
                        {
                            problem = "a single quote is not closed";
                            return null;
                        }

                        word.Append(text, Position + 1, close - Position - 1);
                        while (Position <= close)
                        {
                            Advance();
                        }

                        break;
                    case '"':
                        Position++;
                        while (!AtEnd && Current != '"')
                        {
                            if (Current == '\\' && Position + 1 < text.Length && text[Position + 1] is '$' or '`' or '"' or '\\' or '\n')
                            {
                                Position++;
                                if (Current != '\n')
                                {
                                    word.Append(Current);
                                }

                                Advance();
                            }
                            else if (Current == '$')
                            {
                                if (!Expand(variables, word, out problem))
                                {
                                    return null;
                                }
                            }
                            else if (Current == '`')
                            {
                                problem = "a command substitution (`...`)";
                                return null;
                            }
                            else
                            {
                                word.Append(Current);
                                Advance();
                            }
                        }

                        if (AtEnd)
                        {
                            problem = "a double quote is not closed";
                            return null;
                        }

                        Position++;
                        break;
                    case '\\':
                        Position++;
                        if (!AtEnd)
                        {
                            if (Current != '\n')
                            {
                                word.Append(Current);
                            }

                            Advance();
                        }

                        break;
                    case '$':
                        if (!Expand(variables, word, out problem))
                        {
                            return null;
                        }

                        break;
                    case '`' or '(' or ')' or '<' or '>' or '|' or '&':
                        problem = $"'{c}' needs more of the shell than plain assignments";
                        return null;
                    default:
                        word.Append(c);
                        Position++;
                        break;
                }
            }

            return word.ToString();
        }

        // At '$': $NAME or ${NAME}; unset names are empty, as in sh. Anything else is refused.
        private bool Expand(IReadOnlyDictionary<string, string> variables, StringBuilder word, out string? problem)
        {
            problem = null;
            Position++;
            if (AtEnd || Current is ' ' or '\t' or '\n' or '"')
            {
                word.Append('$');
                return true;
            }

            if (Current == '(')
            {
                problem = "a command substitution ($(...))";
                return false;
            }

            var braced = Current == '{';
            if (braced)
            {
                Position++;
            }

            var start = Position;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(Current) || Current == '_'))
            {
                Position++;
            }

            var name = text[start..Position];
            if (name.Length == 0 || char.IsAsciiDigit(name[0]) || (braced && (AtEnd || Current != '}')))
            {
                problem = braced ? "a ${...} expansion other than ${NAME}" : "a $ expansion other than $NAME";
                return false;
            }

            if (braced)
            {
                Position++;
            }

            word.Append(variables.TryGetValue(name, out var value) ? value : "");
            return true;
        }

        private void Advance()
        {
            if (Current == '\n')
            {
                Line++;
            }

            Position++;
        }

        private void SkipLine()
        {
            while (!AtEnd && Current != '\n')
            {
                Position++;
            }
        }
    }
}
