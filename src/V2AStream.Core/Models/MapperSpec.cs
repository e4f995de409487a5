namespace V2AStream.Core.Models;

/// <summary>The manifest's "mapper" part: how a scene's mean embedding becomes a sound condition.</summary>
public sealed record MapperSpec
{
    public const string IdentityKind = "identity";
    public const string MlpKind = "mlp";
    public const string PrototypeKind = "prototype";

    /// <summary>identity, mlp or prototype.</summary>
    public required string Kind { get; init; }

    /// <summary>The safetensors file (mlp: the Table I weights; prototype: the label tables).</summary>
    public string? File { get; init; }

    /// <summary>Softmax temperature of the prototype mapper.</summary>
    public float? Temperature { get; init; }
}
