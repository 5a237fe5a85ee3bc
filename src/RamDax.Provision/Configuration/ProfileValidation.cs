namespace RamDax.Provision.Configuration;

/// <summary>
/// Checks every profile, not only the one this instance type selects: a bad value in the profile
/// of another instance type would otherwise wait, unseen, until an instance of that type boots.
/// </summary>
public static class ProfileValidation
{
    /// <summary>
    /// Maps the configuration once per profile other than <paramref name="selected"/> and adds the
    /// errors that point into that profile.
    /// </summary>
    public static void AddErrors(LayeredConfiguration merged, IReadOnlyList<ConfigLayer> image, IReadOnlyList<ConfigLayer> later, string? selected, ICollection<ConfigError> errors)
    {
        var names = merged.Effective.Keys
            .Select(k => k.Split(ConfigKey.Separator))
            .Where(p => p.Length > 2 && ConfigKey.Comparer.Equals(p[0], "profiles"))
            .Select(p => p[1])
            .Distinct(StringComparer.Ordinal)
            .Where(n => !string.Equals(n, selected, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var layerName = $"profile '{name}'";
            var profileLayer = merged.Subtree($"profiles:{name}", layerName);
            try
            {
                SettingsMapper.Map(LayeredConfiguration.Merge(image.Append(profileLayer).Concat(later)));
            }
            catch (ConfigurationException e)
            {
                foreach (var error in e.Errors.Where(x => x.Position?.Layer.StartsWith(layerName + " in ", StringComparison.Ordinal) == true))
                {
                    errors.Add(error);
                }
            }
        }
    }
}
