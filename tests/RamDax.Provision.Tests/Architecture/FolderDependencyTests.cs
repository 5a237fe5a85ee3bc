using RamDax.Provision.Planning;

namespace RamDax.Provision.Tests.Architecture;

/// <summary>The folders of the agent form layers: no folder uses, directly or through others, a folder that uses it.</summary>
public sealed class FolderDependencyTests
{
    private static readonly System.Reflection.Assembly Agent = typeof(Plan).Assembly;

    [Theory]
    [InlineData("RamDax.Provision.")]
    [InlineData("RamDax.Provision.Reconcile.")]
    public void No_folder_imports_in_a_loop(string prefix)
    {
        var edges = FolderDependencies.Of(Agent, prefix);
        var loops = new List<string>();
        foreach (var (from, targets) in edges)
        {
            foreach (var (to, example) in targets)
            {
                if (PathBetween(edges, to, from) is { } back)
                {
                    loops.Add($"{from} -> {to} ({example}), and back: {string.Join(" -> ", back)}");
                }
            }
        }

        Assert.True(loops.Count == 0, "folders that import in a loop:\n" + string.Join("\n", loops));
    }

    [Fact]
    public void The_reader_of_the_assembly_sees_the_uses_a_loop_would_be_made_of()
    {
        // A check that finds nothing must still be able to see: the apply pipeline plans and
        // reconciles, so those edges have to show up (a reader that missed IL would not see them).
        var edges = FolderDependencies.Of(Agent);

        Assert.Contains("Planning", edges["Apply"].Keys);
        Assert.Contains("Reconcile", edges["Apply"].Keys);
        Assert.Contains("Machine", edges["Planning"].Keys);
    }

    [Fact]
    public void The_every_boot_stages_use_the_readers_beneath_them_and_the_stage_before_them()
    {
        var edges = FolderDependencies.Of(Agent, "RamDax.Provision.Reconcile.");

        Assert.Equal(["Readers"], edges["Binding"].Keys);
        Assert.Equal(["Binding", "Readers"], edges["Namespaces"].Keys);
        Assert.DoesNotContain("Readers", edges.Keys);
    }

    // Breadth-first: the folders from `start` to `goal` along the edges, or null if none leads there.
    private static List<string>? PathBetween(System.Collections.Immutable.ImmutableSortedDictionary<string, System.Collections.Immutable.ImmutableSortedDictionary<string, string>> edges, string start, string goal)
    {
        var previous = new Dictionary<string, string?> { [start] = null };
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var at))
        {
            if (at == goal)
            {
                var path = new List<string>();
                for (string? step = at; step is not null; step = previous[step])
                {
                    path.Insert(0, step);
                }

                return path;
            }

            foreach (var next in edges.TryGetValue(at, out var targets) ? targets.Keys : [])
            {
                if (previous.TryAdd(next, at))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }
}
