using V2AStream.Core.Models;

namespace V2AStream.Testing.Models;

/// <summary>
/// "test-tower" in the optional "test_tower" slot: a part the pipeline does not use, as a CLAP audio tower will be.
/// Its spec is its own ("dim", "file"); its file, when named, is found in the catalog's search order.
/// </summary>
public sealed class TowerKind : ModelPartKind<TowerKind.Spec, TowerKind.Tower>
{
    public static ModelPartSlot TowerSlot { get; } = new("test_tower", Required: false);

    public override ModelPartSlot Slot => TowerSlot;

    public override string Name => "test-tower";

    public override Tower Create(Spec spec, ModelPartContext context) =>
        new(spec.Dim, spec.File is null ? null : context.ResolveFile(this, spec.File, "file"));

    public override ModelPartDimensions Dimensions(Tower part) => new(null, part.Dim);

    protected override void Validate(Spec spec, string manifestPath)
    {
        if (spec.Dim <= 0)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"{manifestPath}: the test tower needs a positive \"dim\".", manifestPath);
        }
    }

    public sealed record Spec : ModelPartSpec
    {
        public int Dim { get; init; }

        public string? File { get; init; }
    }

    /// <summary>The built part: what it was made from, and whether the set disposed it.</summary>
    public sealed class Tower(int dim, string? path) : IDisposable
    {
        public int Dim { get; } = dim;

        public string? Path { get; } = path;

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
