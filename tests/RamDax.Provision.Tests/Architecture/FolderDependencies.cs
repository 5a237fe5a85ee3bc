using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;

namespace RamDax.Provision.Tests.Architecture;

/// <summary>
/// Which top-level folder (namespace <c>RamDax.Provision.X</c>) of the agent uses which, read from
/// the compiled assembly: signatures (base types, interfaces, fields, properties, parameters,
/// return types, generic arguments, attributes) and every type, method and field a method body's
/// IL names. Types of the root namespace (exit codes, the exception base) may be used by all.
/// </summary>
public static class FolderDependencies
{
    private const string Prefix = "RamDax.Provision.";

    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The folder a type belongs to, or null for the root namespace and other assemblies.</summary>
    public static string? FolderOf(Type type) => FolderOf(type, Prefix);

    /// <summary>The folder below <paramref name="prefix"/> (a namespace ending in a dot) a type belongs to, or null for types outside it.</summary>
    public static string? FolderOf(Type type, string prefix)
    {
        var ns = type.Namespace;
        if (ns is null || !ns.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = ns[prefix.Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    /// <summary>Folder → the other folders it uses, each with one example ("Type uses Type") to name in a failure.</summary>
    public static ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>> Of(Assembly assembly) => Of(assembly, Prefix);

    /// <summary>The same for the folders below <paramref name="prefix"/>: <c>RamDax.Provision.Reconcile.</c> gives the every-boot stages.</summary>
    public static ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>> Of(Assembly assembly, string prefix)
    {
        var edges = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes())
        {
            if (FolderOf(type, prefix) is not { } from)
            {
                continue;
            }

            foreach (var used in UsedBy(type))
            {
                if (FolderOf(used, prefix) is { } to && to != from)
                {
                    var targets = edges.TryGetValue(from, out var t) ? t : edges[from] = new SortedDictionary<string, string>(StringComparer.Ordinal);
                    targets.TryAdd(to, $"{type.FullName} uses {used.FullName}");
                }
            }
        }

        return edges.ToImmutableSortedDictionary(e => e.Key, e => e.Value.ToImmutableSortedDictionary(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    private static HashSet<Type> UsedBy(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || !found.Add(t))
            {
                return;
            }

            if (t.HasElementType)
            {
                Add(t.GetElementType());
            }

            if (t.IsGenericType && !t.IsGenericTypeDefinition)
            {
                Add(t.GetGenericTypeDefinition());
                foreach (var argument in t.GetGenericArguments())
                {
                    Add(argument);
                }
            }
        }

        Add(type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            Add(i);
        }

        foreach (var a in type.GetCustomAttributesData())
        {
            Add(a.AttributeType);
        }

        foreach (var f in type.GetFields(Everything))
        {
            Add(f.FieldType);
        }

        foreach (var p in type.GetProperties(Everything))
        {
            Add(p.PropertyType);
        }

        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
            }

            foreach (var t in TypesInBody(method))
            {
                Add(t);
            }
        }

        return found;
    }

    // Walks the IL instruction by instruction and resolves every type, method and field token.
    private static IEnumerable<Type> TypesInBody(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            var code = il[at] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[at + 1])] : OpCodesByValue[il[at]];
            at += code.Size;
            switch (code.OperandType)
            {
                case OperandType.InlineType or OperandType.InlineTok or OperandType.InlineMethod or OperandType.InlineField:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                    if (member is Type t)
                    {
                        yield return t;
                    }
                    else if (member?.DeclaringType is { } declaring)
                    {
                        yield return declaring;
                        if (member is FieldInfo field)
                        {
                            yield return field.FieldType;
                        }
                        else if (member is MethodInfo called)
                        {
                            yield return called.ReturnType;
                            foreach (var argument in called.IsGenericMethod ? called.GetGenericArguments() : [])
                            {
                                yield return argument;
                            }
                        }
                    }

                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.InlineNone:
                    break;
                default:
                    at += 4;
                    break;
            }
        }
    }
}
