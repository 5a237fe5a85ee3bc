return RamDax.Provision.TopLevelFailure.Run(() => RamDax.Provision.Cli.CommandLineApp.RunOnConsole(args), Console.Error);
