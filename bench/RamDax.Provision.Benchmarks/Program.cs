using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(RamDax.Provision.Benchmarks.PlannerBenchmarks).Assembly).Run(args);
