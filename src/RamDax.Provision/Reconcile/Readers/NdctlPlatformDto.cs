using System.Text.Json.Serialization;

namespace RamDax.Provision.Reconcile.Readers;

// The shapes ndctl 81 prints (captures in tests/fixtures/captures). Only what the reconcile reads;
// ndctl adds fields between versions and unknown ones are ignored. Sizes are numbers because
// `ndctl list` is never run with -u (which turns them into "2.00 GiB (2.15 GB)").

/// <summary><c>{"regions":[...]}</c>: the shape of <c>ndctl list</c> with more than one of -D/-R/-N.</summary>
internal sealed class NdctlPlatformDto
{
    [JsonPropertyName("regions")]
    public List<NdctlRegionDto>? Regions { get; set; }

    [JsonPropertyName("namespaces")]
    public List<NdctlNamespaceDto>? Namespaces { get; set; }
}
