return RamDax.Provision.TopLevelFailure.Run(() => RamDax.Provision.Cli.CommandLineApp.Run(args, Console.Out, Console.Error), Console.Error);
