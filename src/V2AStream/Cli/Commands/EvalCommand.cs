using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using V2AStream.Core.Embedding;
using V2AStream.Core.Models;
using V2AStream.Core.Training;

namespace V2AStream.Cli.Commands;

/// <summary>
/// <c>v2a eval mapper --data DIR --mapper F [--json]</c>: MSE, mean cosine and top-1 retrieval accuracy of an mlp mapper
/// file on held-out pairs: the split its training held out when DIR is one of its training datasets, else all of DIR.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "A dataset folder (clip.npy, clap.npy, segments.json).", Required = true };
        var mapperFile = new Option<string>("--mapper") { Description = "The mapper file (safetensors, Table I), e.g. from 'v2a train mapper'.", Required = true };
        var json = CommonOptions.Json("Print the scores as JSON.");
        var mapper = new Command("mapper", "Score a Table I mapper on held-out pairs: MSE, mean cosine, top-1 retrieval.") { data, mapperFile, json };
        mapper.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            InputFile.Require(parseResult.GetValue(mapperFile)!, "--mapper");
            var mapperPath = Path.GetFullPath(parseResult.GetValue(mapperFile)!);
            try
            {
                var dataset = await MapperDataset.LoadAsync(parseResult.GetValue(data)!, cancellationToken).ConfigureAwait(false);
                var evaluation = await MapperEvaluator.EvaluateAsync(dataset, mapperPath, Environment.ProcessorCount, cancellationToken).ConfigureAwait(false);
                var metrics = evaluation.Metrics;
                var heldOut = evaluation.HeldOutSplitOnly ? "the split its training held out" : "the whole dataset, which did not train it";
                if (parseResult.GetValue(json))
                {
                    var summary = new EvalSummary(dataset.Directory!, mapperPath, metrics.Pairs, evaluation.DatasetPairs, evaluation.HeldOutSplitOnly ? "validation_split" : "whole_dataset", metrics.Mse, metrics.MeanCosine, metrics.Top1Accuracy);
                    await stdout.WriteLineAsync(JsonSerializer.Serialize(summary, CliJson.Options)).ConfigureAwait(false);
                }
                else
                {
                    await stdout.WriteLineAsync(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{Path.GetFileName(mapperPath)} on {dataset.Directory}: MSE {metrics.Mse:G4}, mean cosine {metrics.MeanCosine:F4}, top-1 retrieval {metrics.Top1Accuracy * 100:F1}% ({metrics.Pairs} of {evaluation.DatasetPairs} pairs: {heldOut})")).ConfigureAwait(false);
                }

                return ExitCodes.Ok;
            }
            catch (Exception ex) when (ex is TrainingException or ModelSetException or NpyFormatException or IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
        });
        return new Command("eval", "Score a model-set part on a dataset.") { mapper };
    }

    private sealed record EvalSummary(string Dataset, string Mapper, int Pairs, int DatasetPairs, string HeldOut, double Mse, double MeanCosine, double? Top1Accuracy);
}
