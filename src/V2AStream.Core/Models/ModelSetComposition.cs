namespace V2AStream.Core.Models;

/// <summary>
/// Whether a set's pipeline parts fit together: the embedder's vectors are as long as the mapper takes, and the mapper's
/// conditions as long as the generator needs. The one rule both loading (from the built parts) and checking (from each
/// part's check) apply; a slot that is absent or unknown is not compared.
/// </summary>
public static class ModelSetComposition
{
    /// <summary>The mismatch in one line, or null when the parts fit.</summary>
    public static string? FindMismatch(ModelSetManifest set, IReadOnlyDictionary<ModelPartSlot, ModelPartDimensions> dimensions)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(dimensions);
        int? vector = null;
        string? giver = null;
        if (dimensions.TryGetValue(ModelPartSlot.Embedder, out var embedder))
        {
            vector = embedder.Output;
            giver = $"{set.KindOf(ModelPartSlot.Embedder)} embedder";
        }

        if (dimensions.TryGetValue(ModelPartSlot.Mapper, out var mapper))
        {
            var mapperName = $"{set.KindOf(ModelPartSlot.Mapper)} mapper";
            if (mapper.Input is { } takes && vector is { } given && takes != given)
            {
                return $"Model set '{set.Name}': the {giver} gives {given} values but the {mapperName} takes {takes}.";
            }

            vector = mapper.Output ?? mapper.Input ?? vector;
            giver = mapperName;
        }
        else
        {
            // Without the mapper, nothing is known about what reaches the generator.
            vector = null;
        }

        if (dimensions.TryGetValue(ModelPartSlot.Generator, out var generator) && generator.Input is { } needed && vector is { } condition && needed != condition)
        {
            return $"Model set '{set.Name}': the {giver} gives {condition} values but the {set.KindOf(ModelPartSlot.Generator)} generator needs {needed}.";
        }

        return null;
    }
}
