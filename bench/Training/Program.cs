using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using V2AStream.Bench;
using V2AStream.Core.Embedding;
using V2AStream.Core.Training;
using V2AStream.Testing.Training;
using static TorchSharp.torch;

// Epoch time of the mapper trainer against TorchSharp (libtorch) on the same synthetic dataset, the same model,
// loss, optimizer, batch size and validation pass. Usage: TrainingBench [PAIRS=10000] [EPOCHS=4] [ROUNDS=2]
var pairs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
const int Batch = 64;
const double ValidationFraction = 0.1;

var dataset = SyntheticMapperDataset.Create(pairs, videos: 200, seed: 7);
var split = DatasetSplit.Create(dataset, ValidationFraction, seed: 1);
Console.WriteLine($"# {pairs} pairs ({split.TrainingRows.Count} train, {split.ValidationRows.Count} validation), batch {Batch}, {epochs} epochs per run (the first is warm-up), {rounds} alternating rounds; load average {BenchSupport.LoadAverage()}");
var torchError = TryLoadTorch();
var results = new Dictionary<(string, int), List<double>>();
for (var round = 0; round < rounds; round++)
{
    foreach (var threads in new[] { Environment.ProcessorCount, 1 }.Distinct())
    {
        Add(("v2a trainer", threads), await OwnEpochsAsync(dataset, epochs, threads));
        if (torchError is null)
        {
            Add(("TorchSharp", threads), TorchSharpEpochs(dataset, split, epochs, threads));
        }
    }
}

Console.WriteLine();
Console.WriteLine("| threads | v2a trainer (s/epoch) | TorchSharp 0.107.0 + libtorch 2.10 CPU (s/epoch) | ratio v2a/TorchSharp |");
Console.WriteLine("| ---: | ---: | ---: | ---: |");
foreach (var threads in new[] { Environment.ProcessorCount, 1 }.Distinct())
{
    var own = BenchSupport.Median(results[("v2a trainer", threads)]);
    var torchText = torchError is null ? $"{BenchSupport.Median(results[("TorchSharp", threads)]):F2}" : "did not load";
    var ratio = torchError is null ? $"{own / BenchSupport.Median(results[("TorchSharp", threads)]):F2}" : "-";
    Console.WriteLine($"| {threads} | {own:F2} | {torchText} | {ratio} |");
}

if (torchError is not null)
{
    Console.WriteLine($"\nTorchSharp: {torchError}");
}

void Add((string, int) key, IEnumerable<double> seconds)
{
    if (!results.TryGetValue(key, out var list))
    {
        results[key] = list = [];
    }

    list.AddRange(seconds);
    Console.WriteLine($"{key.Item1}, {key.Item2} thread(s): {string.Join(" ", seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))} s");
}

static async Task<double[]> OwnEpochsAsync(MapperDataset dataset, int epochs, int threads)
{
    var output = Path.Combine(Path.GetTempPath(), $"v2a-bench-mapper-{Environment.ProcessId}.safetensors");
    try
    {
        var result = await new MapperTrainer(new TrainingOptions { Epochs = epochs, Seed = 1, Threads = threads, ValidationFraction = ValidationFraction })
            .TrainAsync([dataset], output, progress: null, CancellationToken.None);
        return result.Epochs.Skip(1).Select(e => e.Seconds).ToArray();
    }
    finally
    {
        File.Delete(output);
    }
}

static string? TryLoadTorch()
{
    try
    {
        _ = torch.zeros(1);
        return null;
    }
    catch (Exception ex) when (ex is TypeInitializationException or NotSupportedException or DllNotFoundException)
    {
        return (ex.InnerException ?? ex).Message.Split('\n')[0];
    }
}

static double[] TorchSharpEpochs(MapperDataset dataset, DatasetSplit split, int epochs, int threads)
{
    torch.set_num_threads(threads);
    torch.manual_seed(1);
    using var x = Rows(dataset.Clip, split.TrainingRows);
    using var t = Rows(dataset.Clap, split.TrainingRows);
    using var xValidation = Rows(dataset.Clip, split.ValidationRows);
    using var tValidation = Rows(dataset.Clap, split.ValidationRows);
    var model = nn.Sequential(("0", nn.Linear(512, 1024)), ("1", nn.ReLU()), ("2", nn.Linear(1024, 512)), ("3", nn.Linear(512, 512)), ("4", nn.Linear(512, 512)));
    var optimizer = optim.AdamW(model.parameters(), lr: 1e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.01);
    var loss = nn.MSELoss();
    var count = split.TrainingRows.Count;
    var seconds = new List<double>();
    for (var epoch = 0; epoch < epochs; epoch++)
    {
        var started = Stopwatch.GetTimestamp();
        using (var scope = torch.NewDisposeScope())
        {
            var order = torch.randperm(count);
            for (var first = 0; first < count; first += Batch)
            {
                using var step = torch.NewDisposeScope();
                var rows = order.narrow(0, first, Math.Min(Batch, count - first));
                optimizer.zero_grad();
                var value = loss.forward(model.forward(x.index_select(0, rows)), t.index_select(0, rows));
                value.backward();
                optimizer.step();
            }

            using (torch.no_grad())
            {
                var predicted = model.forward(xValidation);
                var mse = nn.functional.mse_loss(predicted, tValidation).item<float>();
                var cosine = nn.functional.cosine_similarity(predicted, tValidation, dim: 1).mean().item<float>();
                GC.KeepAlive((mse, cosine));
            }
        }

        seconds.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    return seconds.Skip(1).ToArray();
}

static Tensor Rows(NpyArray array, IReadOnlyList<int> rows)
{
    var values = new float[rows.Count * array.Columns];
    for (var i = 0; i < rows.Count; i++)
    {
        array.Row(rows[i]).CopyTo(values.AsSpan(i * array.Columns));
    }

    return torch.tensor(values, [rows.Count, array.Columns]);
}
