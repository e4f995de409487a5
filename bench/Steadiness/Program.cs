using System.Globalization;
using V2AStream.Bench;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Core.Pipeline;
using V2AStream.Testing.Audio;

// For each clip and mode: the builtin model set's pipeline in this process, its audio and its decided scenes, then the
// spectral change at cuts, at in-scene block boundaries and inside blocks (SpectralSteadiness). The objective of issue 17:
// boundary / inside <= 1.2 and cut / inside >= 2.
var places = args.Contains("--places");
var clips = args.Where(a => a != "--places").ToArray();
if (clips.Length == 0)
{
    Console.Error.WriteLine("usage: bench/steadiness.sh [--places] CLIP...   (--places: every cut and block boundary's change on stderr)");
    return 2;
}

await using var set = await new ModelSetLoader(ModelSetCatalog.CreateDefault()).LoadAsync(ModelSetManifest.BuiltinName, CancellationToken.None);
Console.WriteLine($"load average {BenchSupport.LoadAverage()}");
Console.WriteLine("| clip | mode | cuts | boundaries | at cuts | at block boundaries | inside blocks | boundary / inside | cut / inside |");
Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
var missed = 0;
foreach (var clip in clips)
{
    foreach (var mode in new[] { GenerationMode.Live, GenerationMode.Quality })
    {
        var pipeline = new StreamPipeline(set, new PipelineOptions { Mode = mode });
        var audio = new List<float>();
        var cuts = new List<double>();
        var sampleRate = set.Generator.SampleRate;
        await foreach (var item in pipeline.RunAsync(MediaSource.FromFile(clip)))
        {
            switch (item)
            {
                case AudioChunkReady chunk:
                    audio.AddRange(chunk.Samples);
                    sampleRate = chunk.SampleRate;
                    break;
                case SceneUpdate scene when scene.SceneIndex > 0:
                    cuts.Add(scene.StartSeconds);
                    break;
            }
        }

        var figures = SpectralSteadiness.Measure(audio.ToArray(), sampleRate, cuts);
        if (places)
        {
            await using (var raw = File.Create(Path.Combine(Path.GetTempPath(), $"steadiness-{Path.GetFileNameWithoutExtension(clip)}-{mode}.f32")))
            {
                raw.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(audio.ToArray().AsSpan()));
            }

            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(clip)} {mode}: cuts {string.Join(' ', cuts.Select(c => c.ToString("F2", CultureInfo.InvariantCulture)))}"));
            foreach (var (kind, at, change) in SpectralSteadiness.Places(audio.ToArray(), sampleRate, cuts))
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {kind} {at:F2} s: {change:F2}"));
            }
        }

        var met = figures.BoundaryRatio <= 1.2 && figures.CutRatio >= 2;
        missed += met ? 0 : 1;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {Path.GetFileName(clip)} | {mode.ToString().ToUpperInvariant()} | {figures.Cuts} | {figures.BlockBoundaries} | {figures.AtCuts:F2} | {figures.AtBlockBoundaries:F2} | {figures.InsideBlocks:F2} | {figures.BoundaryRatio:F2} | {figures.CutRatio:F2}{(met ? "" : " (missed)")} |"));
    }
}

return missed == 0 ? 0 : 1;
