using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Core.Generation;
using V2AStream.Core.Mapping;
using V2AStream.Onnx;

namespace V2AStream.Core.Models;

/// <summary>
/// Checks that a model set's files exist and match the export contracts (tensor names, dtypes, shapes),
/// loading each ONNX file the way the engine will (with <paramref name="sessions"/>; without them, ONNX files are
/// reported as needing ONNX Runtime). Every part is checked even when an earlier one fails, so one run lists every
/// problem. Thread-safe.
/// </summary>
public sealed class ModelSetChecker(OrtSessionFactory? sessions)
{
    public ModelSetCheckReport Check(ModelSetManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var parts = new List<ModelPartCheck>
        {
            CheckEmbedder(manifest),
        };
        var mapper = CheckMapper(manifest, out var mapperOutput);
        parts.Add(mapper);
        parts.AddRange(CheckGenerator(manifest, mapper.Ok ? mapperOutput : null));
        return new ModelSetCheckReport(manifest.Name, manifest.Directory, parts);
    }

    private ModelPartCheck CheckEmbedder(ModelSetManifest manifest)
    {
        var spec = manifest.Embedder;
        if (spec.Kind == EmbedderSpec.BuiltinPixelKind)
        {
            return new ModelPartCheck("embedder", spec.Kind, null, true, $"built in, {spec.Dim}-d");
        }

        var path = Resolve(manifest, spec.File);
        return Guard("embedder", spec.Kind, path, () =>
        {
            using var session = OpenSession(path);
            if (string.IsNullOrEmpty(spec.Input) || string.IsNullOrEmpty(spec.Output))
            {
                throw new ModelSetException(ModelSetErrorReason.InvalidManifest, "The onnx-image embedder needs \"input\" and \"output\" names in the manifest.", path);
            }

            TensorContract.Require(path, "input", session.Inputs, spec.Input, [TensorElementType.Float], [-1, 3, spec.Size, spec.Size]);
            var output = session.Outputs.FirstOrDefault(o => o.Name == spec.Output);
            var outputDims = output?.Dimensions.Count is int rank and > 0 ? Enumerable.Repeat(-1L, rank - 1).Append(spec.Dim).ToArray() : [-1, spec.Dim];
            TensorContract.Require(path, "output", session.Outputs, spec.Output, [TensorElementType.Float], outputDims);
            return $"{spec.Input} [?,3,{spec.Size},{spec.Size}] -> {spec.Output} {spec.Dim}-d";
        });
    }

    private static ModelPartCheck CheckMapper(ModelSetManifest manifest, out int? outputDimension)
    {
        var spec = manifest.Mapper;
        int? output = null;
        var path = spec.File is null ? null : Resolve(manifest, spec.File);
        var check = Guard("mapper", spec.Kind, path, () =>
        {
            var mapper = ConditionMapperFactory.Create(spec, manifest.Directory);
            if (mapper.InputDimension is { } input && input != manifest.Embedder.Dim)
            {
                throw new ModelSetException(ModelSetErrorReason.ContractMismatch, $"The {spec.Kind} mapper takes {input}-d embeddings but the embedder makes {manifest.Embedder.Dim}-d ones.", path);
            }

            output = mapper.OutputDimension ?? manifest.Embedder.Dim;
            return $"{manifest.Embedder.Dim}-d -> {output}-d";
        });
        outputDimension = output;
        return check;
    }

    private IEnumerable<ModelPartCheck> CheckGenerator(ModelSetManifest manifest, int? conditionDimension)
    {
        var spec = manifest.Generator;
        if (spec.Kind == GeneratorSpec.BuiltinProceduralKind)
        {
            yield return new ModelPartCheck("generator", spec.Kind, null, true, "built in, any condition length");
            yield break;
        }

        if (spec.Kind != GeneratorSpec.AudioLdmKind)
        {
            yield return new ModelPartCheck("generator", spec.Kind, null, false, $"generator kind '{spec.Kind}' is unknown; use builtin-procedural or audioldm.");
            yield break;
        }

        var directory = manifest.Directory ?? ".";
        var resolved = Guard("generator", spec.Kind, null, () =>
        {
            // Resolve reports missing files and bad fields; each present file is checked below anyway.
            _ = AudioLdmFiles.Resolve(spec, directory);
            return $"scaling factor {spec.ScalingFactor}, {spec.Steps} steps, guidance {spec.Guidance}";
        });
        yield return resolved;

        yield return CheckOnnx("generator.unet", spec.Unet, directory, s => UnetSession.Validate(s.File, s.Session.Inputs, s.Session.Outputs));
        yield return CheckOnnx("generator.vae_decoder", spec.VaeDecoder, directory, s => VaeDecoderSession.Validate(s.File, s.Session.Inputs, s.Session.Outputs));
        yield return CheckOnnx("generator.vocoder", spec.Vocoder, directory, s => VocoderSession.Validate(s.File, s.Session.Inputs, s.Session.Outputs));
        var unconditional = spec.Unconditional is null ? null : Path.Combine(directory, spec.Unconditional);
        yield return Guard("generator.unconditional", spec.Kind, unconditional, () =>
        {
            RequireFile(unconditional, "unconditional");
            _ = AudioLdmFiles.ReadUnconditional(unconditional!);
            return $"{UnetSession.ConditionDimension} floats";
        });

        if (conditionDimension is { } dimension && dimension != UnetSession.ConditionDimension)
        {
            yield return new ModelPartCheck("generator", spec.Kind, null, false, $"the mapper makes {dimension}-d conditions but AudioLDM needs {UnetSession.ConditionDimension}-d CLAP vectors; use an mlp or prototype mapper.");
        }
    }

    private ModelPartCheck CheckOnnx(string part, string? file, string directory, Action<(string File, ModelSession Session)> validate)
    {
        var path = file is null ? null : Path.Combine(directory, file);
        return Guard(part, GeneratorSpec.AudioLdmKind, path, () =>
        {
            RequireFile(path, part);
            using var session = OpenSession(path!);
            validate((path!, session));
            return string.Join("; ", session.Inputs) + " -> " + string.Join("; ", session.Outputs);
        });
    }

    private ModelSession OpenSession(string path)
    {
        if (sessions is null)
        {
            throw new ModelSetException(ModelSetErrorReason.RuntimeUnavailable, $"{path} needs ONNX Runtime to be checked; run './v2a doctor' to see why it is not available.", path);
        }

        RequireFile(path, "model");
        try
        {
            return sessions.Open(path);
        }
        catch (OrtException ex) when (ex.Code != OrtErrorCode.ProviderUnavailable)
        {
            throw new ModelSetException(ModelSetErrorReason.CorruptFile, $"{path} cannot be loaded: {ex.Message}", path, innerException: ex);
        }
    }

    private static void RequireFile(string? path, string what)
    {
        if (path is null)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"The manifest names no file for {what}.");
        }

        if (!System.IO.File.Exists(path))
        {
            throw new ModelSetException(ModelSetErrorReason.MissingFile, $"{path} is missing; run the export in models/export or fix the manifest.", path);
        }
    }

    private static string Resolve(ModelSetManifest manifest, string? file) =>
        Path.Combine(manifest.Directory ?? ".", file ?? string.Empty);

    private static ModelPartCheck Guard(string part, string kind, string? file, Func<string> check)
    {
        try
        {
            return new ModelPartCheck(part, kind, file, true, check());
        }
        catch (ModelSetException ex)
        {
            return new ModelPartCheck(part, kind, ex.File ?? file, false, ex.Message, ex.Tensor);
        }
    }
}
