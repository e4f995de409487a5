using V2AStream.Onnx;

namespace V2AStream.Core.Models;

/// <summary>
/// What a kind needs to check or build its part of <see cref="Set"/>: the catalog's search order for the files the
/// manifest names, ONNX Runtime on the set's device (null when it is not loaded), the session settings every ONNX model
/// of the set is opened with, and the cancellation of the load. One per load or check.
/// </summary>
public sealed class ModelPartContext(ModelSetManifest set, ModelSetCatalog catalog, OrtSessionFactory? sessions, SessionSettings? sessionSettings = null, CancellationToken cancellationToken = default)
{
    public ModelSetManifest Set { get; } = set;

    /// <summary>Opens ONNX models on the set's device; null when ONNX Runtime is not available (see <see cref="RequireSessions"/>).</summary>
    public OrtSessionFactory? Sessions { get; } = sessions;

    public SessionSettings SessionSettings { get; } = sessionSettings ?? SessionSettings.Default;

    /// <summary>Building a part checks it between files, so that a cancelled load stops early.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>
    /// The full path of the file the manifest names in <paramref name="field"/> of <paramref name="kind"/>'s part, found in
    /// the catalog's documented order (the set's folder, then each weight folder); throws <see cref="ModelSetException"/>:
    /// InvalidManifest when the field is empty, MissingFile listing where it looked.
    /// </summary>
    public string ResolveFile(IModelPartKind kind, string? fileName, string field)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (string.IsNullOrEmpty(fileName))
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"Model set '{Set.Name}': the {kind.Name} {kind.Slot} needs \"{field}\" in the manifest.", Set.Directory);
        }

        return catalog.ResolveFile(Set, fileName);
    }

    /// <summary><see cref="Sessions"/>, or a <see cref="ModelSetException"/> (RuntimeUnavailable) saying what to do.</summary>
    public OrtSessionFactory RequireSessions(IModelPartKind kind, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return Sessions ?? throw new ModelSetException(
            ModelSetErrorReason.RuntimeUnavailable,
            $"Model set '{Set.Name}': the {kind.Name} {kind.Slot} needs ONNX Runtime, which is not available: run './v2a doctor', or use --model-set builtin.",
            file);
    }

    /// <summary>
    /// Opens <paramref name="path"/> with <see cref="RequireSessions"/>; a file ORT cannot load is a
    /// <see cref="ModelSetException"/> (CorruptFile) naming it. A device that cannot run stays an <see cref="OrtException"/>.
    /// </summary>
    public ModelSession OpenModel(IModelPartKind kind, string path)
    {
        var sessions = RequireSessions(kind, path);
        CancellationToken.ThrowIfCancellationRequested();
        try
        {
            return sessions.Open(path, SessionSettings);
        }
        catch (OrtException ex) when (ex.Code != OrtErrorCode.ProviderUnavailable)
        {
            throw new ModelSetException(ModelSetErrorReason.CorruptFile, $"{path} cannot be loaded by ONNX Runtime: {ex.Message}", path, innerException: ex);
        }
    }
}
