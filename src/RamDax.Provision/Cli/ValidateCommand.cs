using System.CommandLine;
using RamDax.Provision.Configuration;

namespace RamDax.Provision.Cli;

/// <summary><c>ramdax-provision validate FILE</c>: check one file and report every error in it.</summary>
public static class ValidateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("FILE") { Description = "A configuration file, or a #cloud-config document (config.d write_files: entries, or the old ramdax: key)" };
        var command = new Command("validate", "Check a configuration file and print every error, with file, line and column") { file };
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            if (Unreadable(path) is { } reason)
            {
                error.WriteLine($"ramdax-provision: cannot read {path}: {reason}");
                return ExitCodes.InputMissing;
            }

            var errors = new List<ConfigError>();
            var warnings = new List<string>();
            var layer = ConfigurationLoader.ReadFile(path, path, errors, warnings);
            foreach (var warning in warnings)
            {
                error.WriteLine($"ramdax-provision: warning: {warning}");
            }

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

    // The runtime's own messages are resource keys in the trimmed executable
    // ("IO_FileNotFound_FileName"), so the reasons a person reads are written here.
    private static string? Unreadable(string path)
    {
        if (Directory.Exists(path))
        {
            return "it is a directory; give a configuration file";
        }

        try
        {
            using var stream = File.OpenRead(path);
            return null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "no such file";
        }
        catch (UnauthorizedAccessException)
        {
            return "permission denied";
        }
        catch (IOException e)
        {
            return $"input/output error (0x{e.HResult:x8})";
        }
    }
}
