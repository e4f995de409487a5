using System.Diagnostics;
using System.Text.Json;
using V2AStream.Testing;

namespace V2AStream.Tests.Interop;

/// <summary>Runs grpcio_client.py (Debian's python3-grpcio) against a server and returns the JSON it prints.</summary>
internal static class GrpcioClient
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    public static async Task<JsonElement> RunAsync(Uri server, string testCase)
    {
        var script = Path.Combine(RepositoryPaths.Root, "tests", "V2AStream.Tests", "Interop", "grpcio_client.py");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add($"{server.Host}:{server.Port}");
        start.ArgumentList.Add(testCase);
        start.Environment["PYTHONIOENCODING"] = "utf-8";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"grpcio_client.py {testCase} did not finish in {RunTimeout}: {await stderr}");
        }

        var output = await stdout;
        var errors = await stderr;
        Assert.True(process.ExitCode == 0, $"grpcio_client.py {testCase} exited {process.ExitCode} (is python3-grpcio installed? './v2a test' installs it): {errors}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
