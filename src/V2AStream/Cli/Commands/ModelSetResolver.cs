using V2AStream.Core.Models;

namespace V2AStream.Cli.Commands;

/// <summary>
/// Turns a --model-set value into a manifest: "builtin" or a folder holding model-set.json. The one place
/// to switch to a name catalog (models/NAME) later.
/// </summary>
internal static class ModelSetResolver
{
    public static ModelSetManifest Resolve(string nameOrDirectory)
    {
        if (string.Equals(nameOrDirectory, ModelSetManifest.BuiltinName, StringComparison.Ordinal))
        {
            return ModelSetManifest.Builtin;
        }

        if (!Directory.Exists(nameOrDirectory))
        {
            throw new ModelSetException(ModelSetErrorReason.NotFound, $"model set '{nameOrDirectory}' not found: give 'builtin' or a folder holding {ModelSetManifest.FileName} (see './v2a models list').");
        }

        return ModelSetManifestReader.Read(nameOrDirectory);
    }
}
