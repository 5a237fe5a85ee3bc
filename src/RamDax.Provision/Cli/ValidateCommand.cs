using System.CommandLine;
using RamDax.Provision.Configuration;

namespace RamDax.Provision.Cli;

/// <summary><c>ramdax-provision validate FILE</c>: check one file and report every error in it.</summary>
public static class ValidateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("FILE") { Description = "A configuration file, or a #cloud-config document with a ramdax: key" };
        var command = new Command("validate", "Check a configuration file and print every error, with file, line and column") { file };
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            var errors = new List<ConfigError>();
            var layer = ConfigurationLoader.ReadFile(path, path, errors);
            ConfigSchema.CheckKeys(layer, errors);
            try
            {
                SettingsMapper.Map(LayeredConfiguration.Merge([layer]), errors);
            }
            catch (ConfigurationException e)
            {
                foreach (var problem in e.Errors)
                {
                    error.WriteLine(problem);
                }

                error.WriteLine($"{path}: {e.Errors.Count} error{(e.Errors.Count == 1 ? "" : "s")}");
                return ExitCodes.ConfigurationInvalid;
            }

            output.WriteLine($"{path}: valid");
            return ExitCodes.Ok;
        });
        return command;
    }
}
