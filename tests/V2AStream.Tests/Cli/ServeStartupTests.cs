using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace V2AStream.Tests.Cli;

/// <summary>
/// <c>v2a serve</c> with a setting it cannot start with: besides its log records (the default set is loaded, and
/// logged, before the ports are bound) stderr is one line naming the setting to change (no stack trace from the host),
/// and exit code 2. Run as a child process, as a user meets it.
/// </summary>
public sealed partial class ServeStartupTests
{
    [Fact]
    public async Task GrpcPortInUse_OneLineNamingListen()
    {
        using var taken = Listen();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (code, error) = await ServeAsync("--listen", $"127.0.0.1:{port}", "--health-listen", "127.0.0.1:0");

        Assert.Equal(2, code);
        Assert.Equal(
            $"error: the gRPC port 127.0.0.1:{port} is already in use (another 'v2a serve'?): give the daemon a free one with --listen HOST:PORT (setting Daemon:Listen).",
            error.TrimEnd());
    }

    [Fact]
    public async Task HealthPortInUse_OneLineNamingHealthListen()
    {
        using var taken = Listen();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (code, error) = await ServeAsync("--listen", "127.0.0.1:0", "--health-listen", $"127.0.0.1:{port}");

        Assert.Equal(2, code);
        Assert.Equal(
            $"error: the health port 127.0.0.1:{port} is already in use (another 'v2a serve'?): give it a free one with --health-listen HOST:PORT (setting Daemon:MetricsListen), or turn it off with --health-listen ''.",
            error.TrimEnd());
    }

    [Fact]
    public async Task CertificateNotACertificate_OneLineNamingTheSetting()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "not a certificate");

            var (code, error) = await ServeAsync("--listen", "127.0.0.1:0", "--health-listen", "", "--tls-cert", file);

            Assert.Equal(2, code);
            Assert.Single(error.TrimEnd().Split('\n'));
            Assert.StartsWith($"error: TlsCertificate '{file}' cannot be loaded: ", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task UnknownModelSet_OneLineNamingModelSet()
    {
        var (code, error) = await ServeAsync("--listen", "127.0.0.1:0", "--health-listen", "", "--model-set", "no-such-set");

        Assert.Equal(2, code);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("error: No model set 'no-such-set'", error, StringComparison.Ordinal);
        Assert.EndsWith("choose the default set with --model-set (setting Daemon:ModelSet).", error.TrimEnd(), StringComparison.Ordinal);
    }

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static async Task<(int ExitCode, string Error)> ServeAsync(params string[] args)
    {
        using var serve = CliProcess.Start(["serve", .. args]);
        var output = serve.StandardOutput.ReadToEndAsync();
        var error = serve.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await serve.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!serve.HasExited)
            {
                serve.Kill(entireProcessTree: true);
            }
        }

        await output;
        var lines = (await error).Split('\n').Where(line => !LogRecord().IsMatch(line));
        return (serve.ExitCode, string.Join('\n', lines));
    }

    /// <summary>A line of the daemon's console log: "09:46:25.415 info: Category[id] message".</summary>
    [GeneratedRegex(@"^\d\d:\d\d:\d\d\.\d{3} \w+: ")]
    private static partial Regex LogRecord();
}
