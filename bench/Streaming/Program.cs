// Streaming daemon benchmarks (bench/README.md, "## Streaming daemon").
//   dotnet run -c Release --project bench/Streaming -- grpc     [--runs 3] [--seconds 5]
//   dotnet run -c Release --project bench/Streaming -- pipeline [--runs 5] [--clip-seconds 60]
// Each prints markdown tables: figures of our side against a reference run in the same invocation.
using System.Globalization;
using V2AStream.Bench.Streaming;
using V2AStream.Bench;

var mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "grpc";
var runs = ArgValue("--runs", mode == "pipeline" ? 5 : 3);
if (mode == "echo-server")
{
    await GrpcEchoBench.ServeAsync();
    return 0;
}

var root = BenchSupport.FindRoot();
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {BenchSupport.LoadAverage()} at start, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
switch (mode)
{
    case "grpc":
        await new GrpcEchoBench(root, runs, TimeSpan.FromSeconds(ArgValue("--seconds", 5))).RunAsync();
        return 0;
    case "pipeline":
        await new PipelineBench(root, runs, ArgValue("--clip-seconds", 60), !args.Contains("--no-daemon")).RunAsync();
        return 0;
    default:
        Console.Error.WriteLine($"error: unknown bench '{mode}': use grpc or pipeline.");
        return 2;
}

int ArgValue(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
