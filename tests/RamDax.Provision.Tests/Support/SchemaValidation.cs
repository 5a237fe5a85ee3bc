using NJsonSchema;
using NJsonSchema.Validation;

namespace RamDax.Provision.Tests.Support;

/// <summary>A YAML document checked against a JSON Schema, every error as "Kind: path".</summary>
internal static class SchemaValidation
{
    public static List<string> Errors(JsonSchema schema, string yaml) =>
        [.. Flatten(schema.Validate(YamlJson.FirstDocument(yaml))).Select(e => $"{e.Kind}: {e.Path}")];

    // Errors under allOf/anyOf come as children of one error per branch.
    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors) =>
        errors.SelectMany(e => e is ChildSchemaValidationError child
            ? [e, .. Flatten(child.Errors.Values.SelectMany(v => v))]
            : (IEnumerable<ValidationError>)[e]);
}
