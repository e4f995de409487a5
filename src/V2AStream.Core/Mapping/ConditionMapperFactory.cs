using V2AStream.Core.Models;

namespace V2AStream.Core.Mapping;

/// <summary>Builds the mapper a manifest's "mapper" part describes.</summary>
public static class ConditionMapperFactory
{
    /// <param name="spec">The mapper part.</param>
    /// <param name="directory">The model-set folder its file names are relative to (null for the built-in set).</param>
    public static IConditionMapper Create(MapperSpec spec, string? directory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Kind switch
        {
            MapperSpec.IdentityKind => new IdentityMapper(),
            MapperSpec.MlpKind => MlpMapper.Load(ResolveFile(spec, directory)),
            MapperSpec.PrototypeKind => PrototypeMapper.Load(ResolveFile(spec, directory), spec.Temperature),
            _ => throw new ModelSetException(ModelSetErrorReason.UnknownKind, $"Mapper kind '{spec.Kind}' is unknown; use identity, mlp or prototype."),
        };
    }

    private static string ResolveFile(MapperSpec spec, string? directory)
    {
        if (string.IsNullOrEmpty(spec.File))
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"The {spec.Kind} mapper needs a \"file\" (safetensors) in the manifest.");
        }

        return Path.Combine(directory ?? ".", spec.File);
    }
}
