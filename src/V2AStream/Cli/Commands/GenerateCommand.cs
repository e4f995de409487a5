using System.CommandLine;
using V2AStream.Core.Embedding;
using V2AStream.Core.Generation;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Core.Stitching;
using V2AStream.Onnx;

namespace V2AStream.Cli.Commands;

/// <summary>
/// <c>v2a generate --model-set builtin|DIR --condition EMB.npy --seconds S --seed N --out out.wav</c>:
/// one condition (the .npy's single row, or the mean of its rows, through the set's mapper) generated in
/// blocks and stitched into a 16 kHz mono WAV of exactly round(S·16000) samples. Block i uses seed N + i.
/// The WAV is written to a temporary file and renamed only on success.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var modelSet = new Option<string>("--model-set") { Description = "'builtin' or a model-set folder.", DefaultValueFactory = _ => ModelSetManifest.BuiltinName };
        var condition = new Option<FileInfo>("--condition") { Description = "Embeddings (.npy float32, one row or several: their mean is used).", Required = true };
        var seconds = new Option<double>("--seconds") { Description = "Length of the audio in seconds.", Required = true };
        var seed = new Option<long>("--seed") { Description = "Noise seed; block i uses seed + i.", DefaultValueFactory = _ => 0 };
        var output = new Option<FileInfo>("--out") { Description = "The WAV file to write (16 kHz mono, 16-bit).", Required = true };
        var multiple = new Option<int>("--block-multiple") { Description = "k: blocks of 2.5·k s.", DefaultValueFactory = _ => 1 };
        var device = DeviceOption.Create();
        var command = new Command("generate", "Generate audio for one condition vector and write it as WAV.")
        {
            modelSet, condition, seconds, seed, output, multiple, device,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var duration = parseResult.GetValue(seconds);
            if (!double.IsFinite(duration) || duration <= 0 || duration > 24 * 3600)
            {
                await error.WriteLineAsync($"error: --seconds must be a number above 0 (and at most a day), not {duration}.").ConfigureAwait(false);
                return 2;
            }

            var k = parseResult.GetValue(multiple);
            if (k < 1 || k > BlockTiming.MaxMultiple)
            {
                await error.WriteLineAsync($"error: --block-multiple must be between 1 and {BlockTiming.MaxMultiple}.").ConfigureAwait(false);
                return 2;
            }

            try
            {
                var embedding = await ReadConditionAsync(parseResult.GetValue(condition)!.FullName, cancellationToken).ConfigureAwait(false);
                var loader = new ModelSetLoader(ModelSetCatalog.CreateDefault(), new ModelSetLoaderOptions { Device = parseResult.GetValue(device)! });
                var set = await loader.LoadAsync(parseResult.GetValue(modelSet)!, [ModelPartSlot.Mapper, ModelPartSlot.Generator], cancellationToken).ConfigureAwait(false);
                await using var loaded = set.ConfigureAwait(false);
                var mapper = set.Mapper;
                var generator = set.Generator;
                var mapped = mapper.Map(embedding);
                if (generator.ConditionDimension is { } needed && mapped.Condition.Length != needed)
                {
                    throw new ArgumentException($"the condition has {mapped.Condition.Length} values after the {mapper.Kind} mapper; the {generator.Kind} generator needs {needed}.");
                }

                var total = BlockTiming.ToSamples(duration, BlockTiming.SampleRate);
                await WriteAsync(parseResult.GetValue(output)!.FullName, generator, mapped.Condition, k, parseResult.GetValue(seed), total, cancellationToken).ConfigureAwait(false);
                if (mapped.Labels.Count > 0)
                {
                    await parseResult.InvocationConfiguration.Output.WriteLineAsync($"labels: {string.Join(", ", mapped.Labels.Select(l => $"{l.Label} {l.Weight:F2}"))}").ConfigureAwait(false);
                }

                return 0;
            }
            catch (Exception ex) when (ex is ModelSetException or ArgumentException or InvalidDataException or NpyFormatException or OrtException or IOException or UnauthorizedAccessException)
            {
                var message = ex is ArgumentException { ParamName: { } name } ? ex.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : ex.Message;
                await error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static async Task<float[]> ReadConditionAsync(string path, CancellationToken cancellationToken)
    {
        var rows = await NpyArray.ReadFileAsync(path, cancellationToken, vectorAsRow: true).ConfigureAwait(false);
        if (rows.Rows == 0)
        {
            throw new InvalidDataException($"{path} holds no rows: the condition needs at least one embedding.");
        }

        var mean = new float[rows.Columns];
        for (var r = 0; r < rows.Rows; r++)
        {
            var row = rows.Row(r);
            for (var i = 0; i < mean.Length; i++)
            {
                mean[i] += row[i] / rows.Rows;
            }
        }

        for (var i = 0; i < mean.Length; i++)
        {
            if (!float.IsFinite(mean[i]))
            {
                throw new InvalidDataException($"{path} has a non-finite value in column {i}.");
            }
        }

        return mean;
    }

    private static async Task WriteAsync(string path, IAudioGenerator generator, float[] condition, int multiple, long seed, long totalSamples, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path) ?? ".";
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
        try
        {
            await using (var writer = Pcm16Wav.Create(temporary, generator.SampleRate, 1))
            {
                var stitcher = new AudioStitcher();
                var planner = new BlockPlanner(multiple);
                var index = 0L;
                foreach (var block in planner.Complete(totalSamples))
                {
                    var audio = await generator.GenerateAsync(condition, multiple, seed + index++, cancellationToken).ConfigureAwait(false);
                    stitcher.Push(block.SceneIndex, block.StartSample, audio);
                    await writer.WriteSamplesAsync(stitcher.ReadAvailable(), cancellationToken).ConfigureAwait(false);
                }

                stitcher.Complete(totalSamples);
                await writer.WriteSamplesAsync(stitcher.ReadAvailable(), cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
