using RamDax.Provision.Metadata;

namespace RamDax.Provision.Tests.Metadata;

public sealed class CloudHintTests
{
    [Theory]
    [InlineData("", "", "7783-7084-3265-9085-8269-3286-77", "", "Azure")]
    [InlineData("Amazon EC2", "m7i.4xlarge", "Amazon EC2", "Amazon EC2", "Aws")]
    [InlineData("Google", "Google Compute Engine", "", "Google", "Gce")]
    [InlineData("OpenStack Foundation", "OpenStack Nova", "", "", "OpenStack")]
    [InlineData("QEMU", "Standard PC (Q35 + ICH9, 2009)", "", "", null)]
    public void The_firmware_names_the_cloud(string sysVendor, string productName, string assetTag, string boardVendor, string? expected) =>
        Assert.Equal(expected, CloudHint.FromDmi(sysVendor, productName, assetTag, boardVendor)?.ToString());
}
