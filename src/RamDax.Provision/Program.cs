return RamDax.Provision.Cli.CommandLineApp.Run(args, Console.Out, Console.Error);
