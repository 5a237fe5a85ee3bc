namespace RamDax.Provision.Apply;

/// <summary>
/// Every-boot work that needs the carve-outs live: bind ramdax, create or reuse namespaces, make
/// filesystems, mount. The boot reconciler plugs in here (an adapter whose RunAsync calls
/// <c>BootReconciler.RunAsync(context.Plan, ...)</c>); <see cref="BootStepsStep"/> runs these only
/// when the running kernel has the wanted arguments.
/// </summary>
public interface IBootStep
{
    string Name { get; }

    Task<StepOutcome> RunAsync(ApplyContext context, CancellationToken cancellationToken);
}
