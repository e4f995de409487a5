using V2AStream.Onnx;

namespace V2AStream.Core.Models;

/// <summary>
/// Checks model sets the way loading builds them: every part by its kind (files found in the catalog's search order,
/// ONNX models opened with <paramref name="sessions"/> and <paramref name="sessionSettings"/>, tensor names, dtypes and
/// shapes against the export contracts), then whether the parts fit together (<see cref="ModelSetComposition"/>). Every
/// part is checked even when an earlier one fails, so one run lists every problem. Without sessions, ONNX parts are
/// reported as needing ONNX Runtime. What <c>v2a models check</c>, <c>models list</c>, <c>doctor</c> and the daemon's
/// GetInfo report. Thread-safe.
/// </summary>
public sealed class ModelSetChecker(ModelSetCatalog catalog, OrtSessionFactory? sessions, SessionSettings? sessionSettings = null)
{
    /// <summary>The part name a composition mismatch is reported under.</summary>
    public const string SetPart = "set";

    public ModelSetCheckReport Check(ModelSetManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var context = new ModelPartContext(manifest, catalog, sessions, sessionSettings);
        var checks = new List<ModelPartCheck>();
        var dimensions = new Dictionary<ModelPartSlot, ModelPartDimensions>();
        var allPassed = true;
        foreach (var part in manifest.Parts)
        {
            var report = part.Kind.Check(part.Spec, context);
            checks.AddRange(report.Checks);
            allPassed &= report.Ok;
            if (report is { Ok: true, Dimensions: { } partDimensions })
            {
                dimensions[part.Slot] = partDimensions;
            }
        }

        foreach (var ignored in manifest.IgnoredParts)
        {
            checks.Add(new ModelPartCheck(ignored, "-", null, true, "not used: no kind of this program reads this part (an export for a newer program), so loading leaves it out"));
        }

        if (allPassed && ModelSetComposition.FindMismatch(manifest, dimensions) is { } mismatch)
        {
            checks.Add(new ModelPartCheck(SetPart, manifest.Describe(), null, false, mismatch, Reason: ModelSetErrorReason.ContractMismatch));
        }

        return new ModelSetCheckReport(manifest.Name, manifest.Directory, checks);
    }

    /// <summary>
    /// Every set: the built-in one, then each folder of the catalog, with the first problem of its check (or of its
    /// manifest) when it cannot load.
    /// </summary>
    public IReadOnlyList<ModelSetEntry> List()
    {
        var entries = new List<ModelSetEntry> { Entry(ModelSetManifest.Builtin) };
        foreach (var folder in catalog.SetFolders())
        {
            ModelSetManifest manifest;
            try
            {
                manifest = ModelSetManifestReader.Read(folder, catalog.Registry);
            }
            catch (ModelSetException ex)
            {
                entries.Add(new ModelSetEntry { Name = Path.GetFileName(folder), Directory = folder, Problem = ex.Message, ProblemReason = ex.Reason });
                continue;
            }

            entries.Add(Entry(manifest));
        }

        return entries;
    }

    /// <summary>Whether <paramref name="manifest"/> can load: its check's first problem, if any.</summary>
    public ModelSetEntry Entry(ModelSetManifest manifest)
    {
        var entry = new ModelSetEntry { Name = manifest.Name, Directory = manifest.Directory, Manifest = manifest };
        var failed = Check(manifest).Parts.FirstOrDefault(p => !p.Ok);
        return failed is null ? entry : entry with { Problem = failed.Message, ProblemReason = failed.Reason };
    }
}
