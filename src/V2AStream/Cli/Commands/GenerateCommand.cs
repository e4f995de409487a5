using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using V2AStream.Cli.Progress;
using V2AStream.Core.Embedding;
using V2AStream.Core.Files;
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
        var condition = new Option<string>("--condition") { Description = "Embeddings (.npy float32, one row or several: their mean is used).", Required = true, HelpName = "FILE" };
        var seconds = new Option<double>("--seconds") { Description = "Length of the audio in seconds.", Required = true };
        var seed = new Option<long>("--seed") { Description = "Noise seed; block i uses seed + i.", DefaultValueFactory = _ => 0 };
        var output = CommonOptions.Out("The WAV file to write (16 kHz mono, 16-bit).");
        var json = CommonOptions.Json("Print the summary as JSON on stdout (out, seconds, samples, sample_rate, model_set, blocks, labels, realtime_factor).");
        var multiple = new Option<int>("--block-multiple") { Description = "k: blocks of 2.5·k s.", DefaultValueFactory = _ => 1 };
        var device = DeviceOption.Create();
        var command = new Command("generate", "Generate audio for one condition vector and write it as WAV.")
        {
            modelSet, condition, seconds, seed, output, multiple, device, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var stdout = parseResult.InvocationConfiguration.Output;
            var printJson = parseResult.GetValue(json);
            var duration = parseResult.GetValue(seconds);
            if (!double.IsFinite(duration) || duration <= 0 || duration > 24 * 3600)
            {
                throw new CliUsageException(string.Create(CultureInfo.InvariantCulture, $"--seconds must be a number above 0 (and at most a day), not {duration}."));
            }

            var k = parseResult.GetValue(multiple);
            if (k < 1 || k > BlockTiming.MaxMultiple)
            {
                throw new CliUsageException($"--block-multiple must be between 1 and {BlockTiming.MaxMultiple}.");
            }

            var conditionPath = parseResult.GetValue(condition)!;
            InputFile.Require(conditionPath, "--condition");

            // Checked, and its temporary file made, before any work; the WAV appears only when all of it is written.
            using var wav = OutputFile.Create(parseResult.GetValue(output)!);
            try
            {
                var embedding = await ReadConditionAsync(conditionPath, cancellationToken).ConfigureAwait(false);
                var loader = new ModelSetLoader(ModelSetCatalog.CreateDefault(), new ModelSetLoaderOptions { Device = parseResult.GetValue(device)! });
                var set = await loader.LoadAsync(parseResult.GetValue(modelSet)!, [ModelPartSlot.Mapper, ModelPartSlot.Generator], cancellationToken).ConfigureAwait(false);
                await using var loaded = set.ConfigureAwait(false);
                var manifest = set.Manifest;
                var mapper = set.Mapper;
                var generator = set.Generator;
                var mapped = mapper.Map(embedding);
                if (generator.ConditionDimension is { } needed && mapped.Condition.Length != needed)
                {
                    throw new ArgumentException($"the condition has {mapped.Condition.Length} values after the {mapper.Kind} mapper; the {generator.Kind} generator needs {needed}.");
                }

                var total = BlockTiming.ToSamples(duration, BlockTiming.SampleRate);
                var started = TimeProvider.System.GetTimestamp();
                var blocks = await TerminalProgress.RunAsync(error, printJson, ProgressKind.MediaSeconds, "generating", duration, progress =>
                    WriteAsync(wav.TemporaryPath, generator, mapped.Condition, k, parseResult.GetValue(seed), total, progress, cancellationToken)).ConfigureAwait(false);
                wav.Commit();
                var wall = Math.Max(1e-3, TimeProvider.System.GetElapsedTime(started).TotalSeconds);
                var summary = new GenerateSummary(wav.Path, duration, total, generator.SampleRate, manifest.Name, blocks, [.. mapped.Labels.Select(l => new LabelJson(l.Label, l.Weight))], duration / wall);
                if (printJson)
                {
                    await stdout.WriteLineAsync(JsonSerializer.Serialize(summary, CliJson.Options)).ConfigureAwait(false);
                    return ExitCodes.Ok;
                }

                if (mapped.Labels.Count > 0)
                {
                    await stdout.WriteLineAsync($"labels: {string.Join(", ", mapped.Labels.Select(l => $"{l.Label} {l.Weight:F2}"))}").ConfigureAwait(false);
                }

                await stdout.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"wrote {duration:F2} s of audio ({total} samples at {generator.SampleRate} Hz, {manifest.Name}, {blocks} blocks) to {wav.Path} in {wall:F1} s: {summary.RealtimeFactor:F1}x real time")).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (Exception ex) when (ex is ModelSetException or ArgumentException or InvalidDataException or NpyFormatException or OrtException or IOException or UnauthorizedAccessException)
            {
                var message = ex is ArgumentException { ParamName: { } name } ? ex.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : ex.Message;
                await error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
                return ExitCodes.Failed;
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

    /// <summary>Generates and stitches the blocks into a 16-bit WAV at <paramref name="path"/>; returns how many blocks it took.</summary>
    private static async Task<long> WriteAsync(string path, IAudioGenerator generator, float[] condition, int multiple, long seed, long totalSamples, WorkProgress progress, CancellationToken cancellationToken)
    {
        await using var writer = Pcm16Wav.Create(path, generator.SampleRate, 1);
        var stitcher = new AudioStitcher();
        var planner = new BlockPlanner(multiple);
        var index = 0L;
        foreach (var block in planner.Complete(totalSamples))
        {
            var audio = await generator.GenerateAsync(condition, multiple, seed + index++, cancellationToken).ConfigureAwait(false);
            stitcher.Push(block.SceneIndex, block.StartSample, audio);
            await writer.WriteSamplesAsync(stitcher.ReadAvailable(), cancellationToken).ConfigureAwait(false);
            progress.Report(Math.Min(totalSamples, block.StartSample + audio.Length) / (double)generator.SampleRate);
        }

        stitcher.Complete(totalSamples);
        await writer.WriteSamplesAsync(stitcher.ReadAvailable(), cancellationToken).ConfigureAwait(false);
        return index;
    }

    private sealed record LabelJson(string Label, double Weight);

    private sealed record GenerateSummary(string Out, double Seconds, long Samples, int SampleRate, string ModelSet, long Blocks, IReadOnlyList<LabelJson> Labels, double RealtimeFactor);
}
