using System.Text.Json;
using V2AStream.Core.Text;

namespace V2AStream.Core.Models;

/// <summary>
/// The base of every model-part kind: a kind names its slot and itself, builds its part from a spec of type
/// <typeparamref name="TSpec"/> and says what vector lengths the built part takes and gives. Parsing (the manifest's
/// snake_case fields into <typeparamref name="TSpec"/>) and checking (building the part as loading would, then letting
/// it go) have defaults a kind may override: a kind whose part has several files checks each on its own, so one run
/// lists every problem.
/// </summary>
/// <typeparam name="TSpec">What the kind reads from its part of the manifest.</typeparam>
/// <typeparam name="TPart">What it builds; disposed with the set when it is <see cref="IDisposable"/>.</typeparam>
public abstract class ModelPartKind<TSpec, TPart> : IModelPartKind
    where TSpec : ModelPartSpec
    where TPart : class
{
    public abstract ModelPartSlot Slot { get; }

    public abstract string Name { get; }

    public virtual bool NeedsOnnxRuntime => false;

    public Type PartType => typeof(TPart);

    /// <summary>Builds the part; files are found with <see cref="ModelPartContext.ResolveFile"/> (the catalog's search order).</summary>
    public abstract TPart Create(TSpec spec, ModelPartContext context);

    public abstract ModelPartDimensions Dimensions(TPart part);

    /// <summary>The fields of <paramref name="part"/> as <typeparamref name="TSpec"/>, then <see cref="Validate"/>.</summary>
    public virtual TSpec Parse(JsonElement part, string manifestPath)
    {
        TSpec? spec;
        try
        {
            spec = part.Deserialize<TSpec>(ModelSetManifestReader.JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"{manifestPath}: the {Slot} ({Name}) is not valid: {SafeText.Escape(ex.Message, 300)}", manifestPath, innerException: ex);
        }

        if (spec is null)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"{manifestPath}: the {Slot} is empty.", manifestPath);
        }

        foreach (var (field, fileName) in FileFields(spec))
        {
            CheckFileName(manifestPath, field, fileName);
        }

        Validate(spec, manifestPath);
        return spec;
    }

    /// <summary>The manifest fields of <paramref name="spec"/> that name files, with their values (null when absent).</summary>
    public virtual IEnumerable<(string Field, string? FileName)> FileFields(TSpec spec) => [];

    /// <summary>The verdict on the part: built as loading builds it, described in one line, and let go.</summary>
    public virtual ModelPartReport Check(TSpec spec, ModelPartContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var part = Create(spec, context);
            try
            {
                return new ModelPartReport([new ModelPartCheck(Slot.Name, Name, null, true, Describe(spec, part))], Dimensions(part));
            }
            finally
            {
                (part as IDisposable)?.Dispose();
            }
        }
        catch (ModelSetException ex)
        {
            return new ModelPartReport([ModelPartCheck.Failed(Slot.Name, Name, null, ex)], null);
        }
    }

    /// <summary>Checks the parsed fields that need no file; throws <see cref="ModelSetException"/> (InvalidManifest).</summary>
    protected virtual void Validate(TSpec spec, string manifestPath)
    {
    }

    /// <summary>One line on a part that passed its check, e.g. "512-d -> 512-d".</summary>
    protected virtual string Describe(TSpec spec, TPart part)
    {
        var dimensions = Dimensions(part);
        return $"{Describe(dimensions.Input)} -> {Describe(dimensions.Output ?? dimensions.Input)}";
    }

    ModelPartSpec IModelPartKind.Parse(JsonElement part, string manifestPath) => Parse(part, manifestPath);

    IReadOnlyList<string> IModelPartKind.FileNames(ModelPartSpec spec) =>
        FileFields(Cast(spec)).Select(f => f.FileName).OfType<string>().ToArray();

    ModelPartReport IModelPartKind.Check(ModelPartSpec spec, ModelPartContext context) => Check(Cast(spec), context);

    object IModelPartKind.Create(ModelPartSpec spec, ModelPartContext context) => Create(Cast(spec), context);

    ModelPartDimensions IModelPartKind.Dimensions(object part) => Dimensions((TPart)part);

    /// <summary>A file a manifest names must stay inside the set's folder (or the weight folders searched beside it).</summary>
    private void CheckFileName(string manifestPath, string field, string? fileName)
    {
        if (fileName is null)
        {
            return;
        }

        var problem = fileName.Length == 0 ? "is empty"
            : fileName.Any(char.IsControl) ? "holds control characters"
            : Path.IsPathRooted(fileName) || fileName.StartsWith('~') ? "is an absolute path"
            : fileName.Split('/', '\\').Any(part => part == "..") ? "climbs out of the set's folder with '..'"
            : null;
        if (problem is not null)
        {
            throw new ModelSetException(
                ModelSetErrorReason.InvalidManifest,
                $"{manifestPath}: {Slot}.{field} '{SafeText.Escape(fileName, 80)}' {problem}; name a file inside the set's folder (models/README.md says where files are found).",
                manifestPath);
        }
    }

    private static string Describe(int? dimension) => dimension is { } d ? $"{d}-d" : "any length";

    private TSpec Cast(ModelPartSpec spec) => spec as TSpec
        ?? throw new ArgumentException($"The {Name} kind reads {typeof(TSpec).Name}, not {spec.GetType().Name}.", nameof(spec));
}
