return RamDax.Provision.Cli.CommandLineApp.RunOnConsole(args);
