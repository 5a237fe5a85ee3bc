using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using RamDax.Provision.Configuration;
using RamDax.Provision.Configuration.Document;
using RamDax.Provision.Configuration.Settings;

namespace RamDax.Provision.Tests.Support;

/// <summary>
/// Generates the JSON Schema of a configuration file from the types that define it: the keys,
/// their nesting, lists and maps from the document classes (the binder's schema, whose key names
/// come from <see cref="ConfigurationKeyNameAttribute"/> or the property name in snake_case), and
/// each value's kind from the settings record it is mapped to (bool, an enum's words, a byte size,
/// a count, a duration, a URL, a string). The shipped <c>templates/schema/config.schema.json</c>
/// is this output; a test keeps the two equal.
/// </summary>
internal static class ConfigJsonSchemaGenerator
{
    public const string Id = "https://ramdax-provision.invalid/config.schema.json";

    // The settings record each document class is mapped to.
    private static readonly Dictionary<Type, Type> SettingsOf = new()
    {
        [typeof(ConfigDocument)] = typeof(ProvisionSettings),
        [typeof(CarveoutDocument)] = typeof(CarveoutSettings),
        [typeof(PlacementDocument)] = typeof(CarveoutSettings),
        [typeof(NamespaceDocument)] = typeof(NamespaceSettings),
        [typeof(FilesystemDocument)] = typeof(FilesystemSettings),
        [typeof(MountDocument)] = typeof(MountSettings),
        [typeof(DeviceDocument)] = typeof(DeviceAccessSettings),
        [typeof(MetadataDocument)] = typeof(MetadataSettings),
        [typeof(InstanceDocument)] = typeof(InstanceSettings),
        [typeof(MetricsDocument)] = typeof(MetricsSettings),
    };

    // Where a document key and its settings property are named differently.
    private static readonly Dictionary<(Type, string), JsonObject> Exceptions = new()
    {
        // placement.numa: none or spread, mapped to SpreadAcrossNumaNodes.
        [(typeof(PlacementDocument), nameof(PlacementDocument.Numa))] = Words("none", "spread"),
        // Node numbers start at 0 (a count like max_ranges starts at 1); 'each' is one namespace per node.
        [(typeof(NamespaceDocument), nameof(NamespaceDocument.NumaNode))] = new()
        {
            ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["maximum"] = 1023 }, Words("each")),
        },
        [(typeof(ConfigDocument), nameof(ConfigDocument.MetadataMaySet))] = new() { ["type"] = "array", ["items"] = Words([.. TrustPolicy.GuardedNames]) },
        [(typeof(MetadataDocument), nameof(MetadataDocument.AllowImdsv1))] = new() { ["type"] = "boolean" },
    };

    public static string Generate()
    {
        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["$id"] = Id,
            ["title"] = "RamDax Provision configuration",
            ["description"] = "/etc/ramdax-provision/config.yaml, config.d/*.yaml and --config files. Generated from the agent's configuration types; see ramdax-provision(8).",
        };
        foreach (var (key, value) in Object(typeof(ConfigDocument), profile: false))
        {
            schema[key] = value?.DeepClone();
        }

        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).ReplaceLineEndings("\n") + "\n";
    }

    private static JsonObject Object(Type document, bool profile)
    {
        var properties = new JsonObject();
        foreach (var property in document.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            var key = KeyName(property);
            if (profile && ConfigSchema.ProfileForbidden.Contains(key))
            {
                continue;
            }

            properties[key] = Value(document, property);
        }

        return new JsonObject { ["type"] = "object", ["additionalProperties"] = false, ["properties"] = properties };
    }

    private static JsonNode Value(Type document, PropertyInfo property)
    {
        if (Exceptions.TryGetValue((document, property.Name), out var exception))
        {
            return exception.DeepClone();
        }

        var type = property.PropertyType;
        if (type == typeof(ConfigDocument))
        {
            return Object(type, profile: true);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            // profiles: instance type patterns to partial configurations.
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = Object(type.GetGenericArguments()[1], profile: true) };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var item = type.GetGenericArguments()[0];
            return new JsonObject { ["type"] = "array", ["items"] = item == typeof(string) ? new JsonObject { ["type"] = "string" } : Object(item, profile: false) };
        }

        if (type != typeof(string))
        {
            return Object(type, profile: false);
        }

        return Scalar(SettingsProperty(document, property)?.PropertyType);
    }

    // The settings property a document value is mapped to: the same name on the settings record.
    private static PropertyInfo? SettingsProperty(Type document, PropertyInfo property) =>
        SettingsOf.TryGetValue(document, out var settings) ? settings.GetProperty(property.Name) : null;

    private static JsonObject Scalar(Type? settings)
    {
        var type = settings is null ? null : Nullable.GetUnderlyingType(settings) ?? settings;
        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (type is { IsEnum: true })
        {
            return Words([.. (IEnumerable<string>)typeof(EnumWords).GetMethod(nameof(EnumWords.All))!.MakeGenericMethod(type).Invoke(null, null)!]);
        }

        if (type == typeof(SizeRequest))
        {
            return new JsonObject
            {
                ["anyOf"] = new JsonArray(SizeText(), new JsonObject { ["type"] = "string", ["pattern"] = "^\\s*([0-9]+(\\.[0-9]+)?%|rest)\\s*$" }, Bytes()),
                ["description"] = "a size (16G, 512MiB), a share of the machine's RAM (25%), or, for a namespace, rest",
            };
        }

        if (type == typeof(ulong))
        {
            return new JsonObject { ["anyOf"] = new JsonArray(SizeText(), Bytes()), ["description"] = "a size in binary units: 2M, 16G, 1T (or 2MiB), or bytes" };
        }

        if (type == typeof(int))
        {
            return new JsonObject { ["type"] = "integer", ["minimum"] = 1 };
        }

        if (type == typeof(TimeSpan))
        {
            return new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9]+(\\.[0-9]+)?(ms|s|m)?$", ["description"] = "a duration: 500ms, 4s, 2m" };
        }

        if (type == typeof(Uri))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "uri" };
        }

        return new JsonObject { ["type"] = "string" };
    }

    private static JsonObject SizeText() => new() { ["type"] = "string", ["pattern"] = "^\\s*[0-9]+([KMGTPkmgtp](iB)?)?\\s*$" };

    private static JsonObject Bytes() => new() { ["type"] = "integer", ["minimum"] = 0 };

    private static JsonObject Words(params string[] words) => new() { ["enum"] = new JsonArray([.. words.Select(w => (JsonNode)w)]) };

    private static string KeyName(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name
        ?? string.Concat(property.Name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
