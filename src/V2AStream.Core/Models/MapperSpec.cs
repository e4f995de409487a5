namespace V2AStream.Core.Models;

/// <summary>The manifest's "mapper" part as the identity, mlp and prototype kinds read it.</summary>
public sealed record MapperSpec : ModelPartSpec
{
    /// <summary>The safetensors file (mlp: the Table I weights; prototype: the label tables).</summary>
    public string? File { get; init; }

    /// <summary>Softmax temperature of the prototype mapper.</summary>
    public float? Temperature { get; init; }
}
