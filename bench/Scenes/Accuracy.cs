using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using V2AStream.Core.Scenes;

namespace V2AStream.Bench.Scenes;

/// <summary>
/// Precision, recall and F1 of the paper and robust detectors, on the builtin and MobileNetV2 embeddings at 4 fps and at
/// each clip's own rate, on ../shared/data/cuts under cuts.json's rule (one-to-one
/// within the tolerance, detections inside gradual transitions ignored), side by side with PySceneDetect's adaptive and
/// content detectors (its CLI with default settings) on the same clips, in the same invocation.
/// </summary>
internal static class Accuracy
{
    /// <summary>The project's embedders: pixel features, and MobileNetV2 (its weights from ../shared/data/models).</summary>
    private static readonly string[] ModelSets = ["builtin", "mobilenet"];

    public static async Task RunAsync(string cutsFolder, string? pySceneDetectFolder)
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(cutsFolder, "cuts.json")));
        var tolerance = document.RootElement.GetProperty("tolerance_s").GetDouble();
        var totals = new Dictionary<string, (int Hits, int Truth, int False, double Seconds, int Frames)>();
        Console.WriteLine("| clip | detector | cuts found | false cuts | precision | recall | F1 | frames/s |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var video in document.RootElement.GetProperty("videos").EnumerateArray())
        {
            var file = video.GetProperty("file").GetString()!;
            var path = Path.GetFullPath(Path.Combine(cutsFolder, file));
            var fps = video.GetProperty("fps").ValueKind == JsonValueKind.Number ? video.GetProperty("fps").GetDouble() : 24000 / 1001.0;
            double[] truth = [.. video.GetProperty("cuts_s").EnumerateArray().Select(c => c.GetDouble())];
            (int, int)[] gradual = [.. video.GetProperty("gradual").EnumerateArray().Select(g => (g[0].GetInt32(), g[1].GetInt32()))];
            var runs = new List<(string Name, double[] Cuts, double Seconds, int Frames)>();

            var stopwatch = Stopwatch.StartNew();
            var frames = 0;
            foreach (var modelSet in ModelSets)
            {
                // The pipeline's 4 fps, and the clip's own rate (23.976 for the variable-rate clip).
                foreach (var sampleFps in new[] { 4.0, fps })
                {
                    stopwatch.Restart();
                    var (embeddings, dimension) = await ClipEmbeddings.EmbedAsync(modelSet, path, sampleFps, CancellationToken.None);
                    var embedSeconds = stopwatch.Elapsed.TotalSeconds;
                    var sampled = embeddings.Length / dimension;
                    frames = Math.Max(frames, sampled);
                    foreach (var kind in new[] { SceneDetectorKind.Robust, SceneDetectorKind.Paper })
                    {
                        stopwatch.Restart();
                        var result = SceneDetectors.Create(new SceneDetectorOptions { Detector = kind, FramesPerSecond = sampleFps }).Detect(embeddings, dimension);
                        var rate = sampleFps == 4.0 ? "4 fps" : "clip fps";
                        runs.Add(($"{kind.ToString().ToLowerInvariant()}, {modelSet}, {rate}", [.. result.Cuts.Select(c => c.TimeSeconds)], embedSeconds + stopwatch.Elapsed.TotalSeconds, sampled));
                    }
                }
            }

            if (pySceneDetectFolder is not null)
            {
                foreach (var detector in new[] { "adaptive", "content" })
                {
                    stopwatch.Restart();
                    var cuts = await RunPySceneDetectAsync(pySceneDetectFolder, path, detector);
                    runs.Add(($"PySceneDetect {detector}", cuts, stopwatch.Elapsed.TotalSeconds, frames));
                }
            }

            foreach (var (name, cuts, seconds, runFrames) in runs)
            {
                var (hits, falseCuts) = Match(truth, gradual, cuts, tolerance, fps);
                Console.WriteLine($"| {file} | {name} | {hits}/{truth.Length} | {falseCuts} | {Format(Precision(hits, falseCuts))} | {Format(Recall(hits, truth.Length))} | {Format(F1(hits, truth.Length, falseCuts))} | {runFrames / seconds:F0} |");
                var total = totals.GetValueOrDefault(name);
                totals[name] = (total.Hits + hits, total.Truth + truth.Length, total.False + falseCuts, total.Seconds + seconds, total.Frames + runFrames);
            }
        }

        foreach (var (name, total) in totals)
        {
            Console.WriteLine($"| all clips | {name} | {total.Hits}/{total.Truth} | {total.False} | {Format(Precision(total.Hits, total.False))} | {Format(Recall(total.Hits, total.Truth))} | {Format(F1(total.Hits, total.Truth, total.False))} | {total.Frames / total.Seconds:F0} |");
        }
    }

    private static (int Hits, int False) Match(double[] truth, (int First, int Last)[] gradual, double[] detected, double tolerance, double fps)
    {
        var unmatched = truth.ToList();
        var hits = 0;
        var falseCuts = 0;
        foreach (var time in detected)
        {
            var nearest = unmatched.Where(t => Math.Abs(t - time) <= tolerance).OrderBy(t => Math.Abs(t - time)).Take(1).ToList();
            if (nearest.Count == 1)
            {
                unmatched.Remove(nearest[0]);
                hits++;
            }
            else if (!gradual.Any(g => time * fps >= g.First - 1 && time * fps <= g.Last + 1))
            {
                falseCuts++;
            }
        }

        return (hits, falseCuts);
    }

    private static async Task<double[]> RunPySceneDetectAsync(string folder, string video, string detector)
    {
        var startInfo = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        startInfo.Environment["PYTHONPATH"] = folder;
        foreach (var argument in new[] { "-m", "scenedetect", "-i", video, $"detect-{detector}", "list-scenes", "-n" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lines = ((await stdout) + "\n" + (await stderr)).Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains("Comma-separated timecode list", StringComparison.Ordinal));
        if (process.ExitCode != 0 || index < 0)
        {
            throw new InvalidOperationException($"PySceneDetect failed on {video}: {await stderr}");
        }

        var list = index + 1 < lines.Length ? lines[index + 1].Trim() : "";
        return [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => TimeSpan.Parse(t.Trim(), CultureInfo.InvariantCulture).TotalSeconds)];
    }

    private static double Precision(int hits, int falseCuts) => hits + falseCuts == 0 ? 1 : hits / (double)(hits + falseCuts);

    private static double Recall(int hits, int truth) => truth == 0 ? 1 : hits / (double)truth;

    private static double F1(int hits, int truth, int falseCuts)
    {
        var (precision, recall) = (Precision(hits, falseCuts), Recall(hits, truth));
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    private static string Format(double value) => (100 * value).ToString("F1", CultureInfo.InvariantCulture);
}
