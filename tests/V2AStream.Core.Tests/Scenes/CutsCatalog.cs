using System.Text.Json;
using V2AStream.Testing;

namespace V2AStream.Core.Tests.Scenes;

/// <summary>../shared/data/cuts/cuts.json: clips with their true hard cuts, the tolerance and the gradual transitions.</summary>
internal sealed record CutsCatalog(double ToleranceSeconds, IReadOnlyList<CutsCatalog.Clip> Clips)
{
    public static CutsCatalog Load()
    {
        var path = RepositoryPaths.SharedData("cuts/cuts.json") ?? throw new InvalidOperationException("../shared/data/cuts/cuts.json is absent");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var clips = root.GetProperty("videos").EnumerateArray().Select(video => new Clip(
            video.GetProperty("file").GetString()!,
            video.GetProperty("fps").ValueKind == JsonValueKind.Number ? video.GetProperty("fps").GetDouble() : null,
            [.. video.GetProperty("cuts_s").EnumerateArray().Select(c => c.GetDouble())],
            [.. video.GetProperty("gradual").EnumerateArray().Select(g => (g[0].GetInt32(), g[1].GetInt32()))])).ToArray();
        return new CutsCatalog(root.GetProperty("tolerance_s").GetDouble(), clips);
    }

    public Clip this[string file] => Clips.Single(c => c.File == file);

    /// <summary>Hits, misses and false cuts under cuts.json's rule: one-to-one within the tolerance, detections inside a gradual transition ignored.</summary>
    public (int Hits, IReadOnlyList<double> Missed, IReadOnlyList<double> False) Match(Clip clip, IEnumerable<double> detectedSeconds, double framesPerSecond)
    {
        var unmatched = clip.CutsSeconds.ToList();
        var falseCuts = new List<double>();
        var hits = 0;
        foreach (var time in detectedSeconds)
        {
            var nearest = unmatched.Where(t => Math.Abs(t - time) <= ToleranceSeconds).OrderBy(t => Math.Abs(t - time)).Take(1).ToList();
            if (nearest.Count == 1)
            {
                unmatched.Remove(nearest[0]);
                hits++;
            }
            else if (!clip.Gradual.Any(g => time * (clip.FramesPerSecond ?? framesPerSecond) >= g.First - 1 && time * (clip.FramesPerSecond ?? framesPerSecond) <= g.Last + 1))
            {
                falseCuts.Add(time);
            }
        }

        return (hits, unmatched, falseCuts);
    }

    internal sealed record Clip(string File, double? FramesPerSecond, IReadOnlyList<double> CutsSeconds, IReadOnlyList<(int First, int Last)> Gradual);
}
