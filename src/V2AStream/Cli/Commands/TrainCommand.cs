using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using V2AStream.Cli.Progress;
using V2AStream.Core.Embedding;
using V2AStream.Core.Files;
using V2AStream.Core.Models;
using V2AStream.Core.Training;

namespace V2AStream.Cli.Commands;

/// <summary>
/// <c>v2a train mapper --data DIR... --out mapper.safetensors [--epochs 100] [--lr 1e-4] [--batch 64] [--val 0.1]
/// [--seed N] [--json]</c>: trains the Table I mapper on mapper datasets (clip.npy, clap.npy, segments.json) and
/// writes the best epoch's weights as the mlp mapper file the engine loads. A progress bar on a terminal, then one
/// summary line (or the whole run as JSON). Cancelled, it exits 130 (as a shell does for Ctrl-C) and the output file,
/// replaced atomically after each best epoch, holds the best epoch so far.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var defaults = new TrainingOptions();
        var data = new Option<string[]>("--data") { Description = "Dataset folders (clip.npy, clap.npy, segments.json); give several to train on all of them.", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = CommonOptions.Out("The mapper file to write (safetensors); it holds the best epoch so far while training runs.");
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training pairs.", DefaultValueFactory = _ => defaults.Epochs };
        var learningRate = new Option<double>("--lr") { Description = "AdamW learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        var batch = new Option<int>("--batch") { Description = "Pairs per optimizer step.", DefaultValueFactory = _ => defaults.BatchSize };
        var validation = new Option<double>("--val") { Description = "Share of each dataset held out for validation (whole videos when it has 10 or more), 0 for none.", DefaultValueFactory = _ => defaults.ValidationFraction };
        var seed = new Option<int>("--seed") { Description = "Seeds the initial weights, the split and the order of the pairs.", DefaultValueFactory = _ => defaults.Seed };
        var json = CommonOptions.Json("Print the run (options, every epoch, the best one) as JSON instead of the summary line.");
        var mapper = new Command("mapper", "Train the Table I mapper (CLIP frame embedding -> CLAP audio embedding): MSE, AdamW, best epoch kept.")
        {
            data, output, epochs, learningRate, batch, validation, seed, json,
        };
        mapper.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var options = new TrainingOptions
            {
                Epochs = parseResult.GetValue(epochs),
                LearningRate = parseResult.GetValue(learningRate),
                BatchSize = parseResult.GetValue(batch),
                ValidationFraction = parseResult.GetValue(validation),
                Seed = parseResult.GetValue(seed),
            };
            MapperTrainer trainer;
            try
            {
                trainer = new MapperTrainer(options);
            }
            catch (TrainingException ex)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return 2;
            }

            var outPath = Path.GetFullPath(parseResult.GetValue(output)!);
            var asJson = parseResult.GetValue(json);

            // The trainer replaces the file after each best epoch; a path it could not write is found now, not after the first epoch.
            OutputFile.Create(outPath).Dispose();
            try
            {
                var datasets = new List<MapperDataset>();
                foreach (var directory in parseResult.GetValue(data)!)
                {
                    datasets.Add(await MapperDataset.LoadAsync(directory, cancellationToken).ConfigureAwait(false));
                }

                var result = await TerminalProgress.RunAsync(stderr, asJson, ProgressKind.Steps, "training", options.Epochs, progress =>
                    trainer.TrainAsync(datasets, outPath, new CallbackProgress<TrainingProgress>(p => progress.Report(p.Epoch - 1 + ((double)p.Step / p.StepsPerEpoch), Describe(p))), cancellationToken)).ConfigureAwait(false);
                await stdout.WriteLineAsync(asJson ? JsonSerializer.Serialize(new TrainSummary(options, result), CliJson.Options) : Summarize(result)).ConfigureAwait(false);
                return 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                var kept = File.Exists(outPath) ? $"{outPath} holds the best epoch so far" : "no epoch finished, nothing was written";
                await stderr.WriteLineAsync($"interrupted: {kept}.").ConfigureAwait(false);
                throw;
            }
            catch (Exception ex) when (ex is TrainingException or ModelSetException or NpyFormatException or IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return new Command("train", "Train a model-set part from datasets.") { mapper };
    }

    private static string Describe(TrainingProgress progress)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"epoch {progress.Epoch}/{progress.Epochs}");
        return progress.LastEpoch is { } last
            ? text + (last.Validation is { } v
                ? string.Create(CultureInfo.InvariantCulture, $" · val MSE {v.Mse:G4} cos {v.MeanCosine:F4}")
                : string.Create(CultureInfo.InvariantCulture, $" · loss {last.TrainingLoss:G4}"))
            : text;
    }

    private static string Summarize(TrainingResult result)
    {
        var epochs = result.Epochs.Count;
        var duration = TimeSpan.FromSeconds(result.Seconds);
        var time = duration.TotalMinutes >= 1 ? $"{(int)duration.TotalMinutes}m {duration.Seconds:D2}s" : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:F1}s");
        var quality = result.BestValidation is { } v
            ? string.Create(CultureInfo.InvariantCulture, $"validation MSE {v.Mse:G4}, mean cosine {v.MeanCosine:F4}, top-1 retrieval {v.Top1Accuracy * 100:F1}% on {result.ValidationPairs} held-out pairs (split by {(result.SplitByVideo ? "video" : "segment")})")
            : string.Create(CultureInfo.InvariantCulture, $"training loss {result.Epochs[result.BestEpoch - 1].TrainingLoss:G4} (no validation split)");
        return string.Create(CultureInfo.InvariantCulture, $"wrote {result.OutputPath}: best epoch {result.BestEpoch} of {epochs}, {quality}; {result.TrainingPairs} training pairs, {time}");
    }

    private sealed record TrainSummary(TrainingOptions Options, TrainingResult Result);
}
