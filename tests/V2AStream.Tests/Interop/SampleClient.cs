using System.Diagnostics;
using V2AStream.Testing;

namespace V2AStream.Tests.Interop;

/// <summary>Runs samples/python/v2a_client.py (Debian's python3-grpcio) and samples/node/client.js (@grpc/grpc-js) as child processes.</summary>
internal static class SampleClient
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Runs the sample client named <paramref name="client"/>: "python" or "node".</summary>
    public static Task<SampleRun> ByNameAsync(string client, params string[] arguments) => client switch
    {
        "python" => PythonAsync(arguments),
        "node" => NodeAsync(arguments),
        _ => throw new ArgumentOutOfRangeException(nameof(client), client, "The sample clients are python and node."),
    };

    public static Task<SampleRun> PythonAsync(params string[] arguments) =>
        RunAsync(Python, Path.Combine(RepositoryPaths.Root, "samples", "python", "v2a_client.py"), arguments,
            "is python3-grpcio installed? './v2a test' installs it");

    public static Task<SampleRun> NodeAsync(params string[] arguments)
    {
        var folder = Path.Combine(RepositoryPaths.Root, "samples", "node");
        Assert.True(System.IO.Directory.Exists(Path.Combine(folder, "node_modules", "@grpc", "grpc-js")),
            "samples/node/node_modules is missing: run 'npm ci' in samples/node ('./v2a test' does).");
        return RunAsync("node", Path.Combine(folder, "client.js"), arguments, "is node installed?");
    }

    private static async Task<SampleRun> RunAsync(string program, string script, string[] arguments, string hint)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program} ({hint}).");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(RunTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Path.GetFileName(script)} {string.Join(' ', arguments)} did not finish in {RunTimeout}.");
            }

            return new SampleRun(process.ExitCode, await output, await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }
}
