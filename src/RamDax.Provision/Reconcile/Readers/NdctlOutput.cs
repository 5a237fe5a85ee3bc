using System.Collections.Immutable;
using System.Text.Json;

namespace RamDax.Provision.Reconcile.Readers;

/// <summary>
/// Parses <c>ndctl list</c> and <c>ndctl create-namespace</c> JSON. <c>ndctl list -R -N</c> prints
/// <c>{"regions":[...]}</c> when some region has namespaces, but a plain array of regions when none
/// has (the namespaces list is never started), and nothing at all when no region matches; all three
/// are read here, and so is the bus array of <c>ndctl list -B -R -N</c>.
/// </summary>
public static class NdctlOutput
{
    public static ImmutableArray<NdctlRegion> ParseRegions(string json)
    {
        var text = json.Trim();
        if (text.Length == 0)
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var regions = root.ValueKind switch
            {
                JsonValueKind.Array => [.. root.EnumerateArray().SelectMany(Regions)],
                JsonValueKind.Object => Regions(root),
                _ => throw new NdctlOutputException($"expected a JSON array or object, found {root.ValueKind}"),
            };
            return [.. regions.Select(ToRegion)];
        }
        catch (JsonException e)
        {
            throw new NdctlOutputException(e.Message);
        }
    }

    /// <summary>The one namespace <c>ndctl create-namespace</c> prints.</summary>
    public static NdctlNamespace ParseNamespace(string json)
    {
        try
        {
            var dto = JsonSerializer.Deserialize(json.Trim(), NdctlJsonContext.Default.NdctlNamespaceDto)
                ?? throw new NdctlOutputException("no namespace in the output");
            return ToNamespace(dto);
        }
        catch (JsonException e)
        {
            throw new NdctlOutputException(e.Message);
        }
    }

    // An element is a region, or holds regions: {"regions":[...]} (-R with -N) or a bus (-B).
    private static List<NdctlRegionDto> Regions(JsonElement element) =>
        element.ValueKind != JsonValueKind.Object
            ? throw new NdctlOutputException($"expected a region object, found {element.ValueKind}")
            : element.TryGetProperty("regions", out _)
                ? element.Deserialize(NdctlJsonContext.Default.NdctlPlatformDto)?.Regions ?? []
                : [element.Deserialize(NdctlJsonContext.Default.NdctlRegionDto)!];

    private static NdctlRegion ToRegion(NdctlRegionDto r) =>
        new(r.Dev ?? throw new NdctlOutputException("a region without \"dev\""), r.Size, r.AvailableSize,
            [.. (r.Namespaces ?? []).Select(ToNamespace)]);

    private static NdctlNamespace ToNamespace(NdctlNamespaceDto n) =>
        new(n.Dev ?? throw new NdctlOutputException("a namespace without \"dev\""),
            n.Mode ?? "raw",
            n.Size,
            string.IsNullOrEmpty(n.Name) ? null : n.Name,
            n.Uuid,
            n.Align,
            n.BlockDev,
            n.CharDev ?? n.DaxRegion?.Devices?.FirstOrDefault()?.CharDev);
}
