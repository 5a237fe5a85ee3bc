using System.CommandLine;
using System.Text.Json;
using RamDax.Provision.Apply;
using RamDax.Provision.Boot;
using RamDax.Provision.Configuration;
using RamDax.Provision.Machine;
using RamDax.Provision.Metadata;
using RamDax.Provision.Output;
using RamDax.Provision.Planning;
using RamDax.Provision.State;

namespace RamDax.Provision.Cli;

/// <summary><c>ramdax-provision plan</c>: read the machine and the configuration, print the plan, change nothing.</summary>
public static class PlanCommand
{
    public static Command Create(TextWriter output)
    {
        var root = CommonOptions.Root();
        var config = CommonOptions.Config();
        var set = CommonOptions.Set();
        var format = CommonOptions.Format();
        var explainOption = new Option<bool>("--explain") { Description = "Also show, for every effective setting, the layer it came from" };
        var offline = CommonOptions.Offline();
        var command = new Command("plan", "Print the carve-outs, kernel arguments and namespaces this machine should have; changes nothing")
        {
            root, config, set, format, explainOption, offline,
        };
        command.SetAction(result =>
        {
            var machine = new MachineRoot(result.GetValue(root)!);
            var request = ConfigurationLoader.ReadLocal(CommonOptions.Request(machine, result.GetValue(config), result.GetValue(set)));
            var metadata = MetadataStep.Resolve(request, result.GetValue(offline));
            // The agent's own arguments, as apply knows them: stale ones are shown as removals, and
            // every other memmap= or mem= is foreign.
            var owned = new StateStore(machine).Read().KernelArguments.Owned;
            var (plan, loaded) = PlanComposer.Make(metadata.ApplyTo(request), metadata.Outcome.Warnings, NextBootReader.ReadFacts(machine), owned);
            var json = result.GetValue(format) == "json";
            var explain = result.GetValue(explainOption);
            if (json)
            {
                // One document for programs: the plan's object, with the explanation as its "settings" member.
                var document = JsonSerializer.SerializeToNode(plan, ProvisionJsonContext.Default.Plan)!.AsObject();
                if (explain)
                {
                    document["settings"] = JsonSerializer.SerializeToNode(Explain(loaded), ProvisionJsonContext.Default.ExplainedSettingArray);
                }

                output.WriteLine(document.ToJsonString(ProvisionJsonContext.Default.Options));
            }
            else
            {
                PlanTextWriter.Write(plan, output);
                if (explain)
                {
                    WriteExplanation(loaded, output);
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static ExplainedSetting[] Explain(LoadedConfiguration loaded) =>
        [.. loaded.Layers.Effective
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new ExplainedSetting(ConfigKey.Display(kv.Key), kv.Value.Value, kv.Value.Position.ToString()))];

    private static void WriteExplanation(LoadedConfiguration loaded, TextWriter output)
    {
        var rows = Explain(loaded).Select(s => new[] { s.Key, s.Value ?? "(null)", s.Source });
        PlanTextWriter.Table(output, "Settings (anything not listed is a built-in default)" + (loaded.Profile is null ? "" : $"; profile '{loaded.Profile}' applies"),
            ["KEY", "VALUE", "FROM"], rows);
    }
}
