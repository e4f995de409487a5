using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1;
using Microsoft.Extensions.Logging;
using V2AStream.Client;
using V2AStream.Daemon;
using V2AStream.Hosting;
using V2AStream.Protos.V1;
using V2AStream.Tests.Cli;

namespace V2AStream.Tests.Daemon;

/// <summary>A daemon started with a token: every call but health checks needs it, and each refusal is logged with the peer.</summary>
public sealed class TokenTests : IAsyncLifetime
{
    private const string Token = "token-for-the-tests-0123456789";

    private readonly string _directory = Directory.CreateTempSubdirectory("v2a-token-tests-").FullName;
    private readonly ScopeRecordingLoggerProvider _logs = new();
    private DaemonHost? _host;

    private Uri Address => _host!.GrpcAddress;

    private string Clip => Path.Combine(_directory, "two-seconds.mp4");

    public async Task InitializeAsync()
    {
        await DaemonFixture.TestsrcClipAsync(Clip, seconds: 2);
        var options = new DaemonOptions { Listen = "127.0.0.1:0", MetricsListen = "127.0.0.1:0", MaxStreams = 2, Token = Token };
        _host = await DaemonHost.StartAsync(options, logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(_logs), "test", CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task GetInfo_WithoutToken_UnauthenticatedAndLoggedWithThePeer()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GetInfoAsync(Address));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        var refusal = Assert.Single(_logs.Entries, e => e.EventId == 3008);
        Assert.Equal(LogLevel.Information, refusal.Level);
        Assert.Contains("/v2astream.v1.V2AStream/GetInfo", refusal.Message, StringComparison.Ordinal);
        Assert.Matches(@"from ipv4:127\.0\.0\.1:\d+: Unauthenticated", refusal.Message);
        Assert.DoesNotContain(Token, string.Join('\n', _logs.Entries.Select(e => e.Message)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer wrong-token-0123456789abc")]
    [InlineData("Bearer " + Token + "x")]
    [InlineData(Token)]
    public async Task GetInfo_WrongToken_Unauthenticated(string authorization)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GetInfoAsync(Address, new CallOptions(new Metadata { { "authorization", authorization } })));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task GetInfo_WithToken_Answers()
    {
        var info = await DaemonCalls.GetInfoAsync(Address, new CallOptions(new Metadata { { "authorization", $"Bearer {Token}" } }));

        Assert.Equal("builtin", info.DefaultModelSet);
    }

    [Fact]
    public async Task Generate_WithoutToken_Unauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GenerateAsync(Address, DaemonCalls.ConfigThenFile(DaemonCalls.Config(), Clip)));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task HealthCheck_WithoutToken_Serving()
    {
        using var channel = DaemonChannel.Create(Address);
        var health = new Health.HealthClient(channel);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "v2astream.v1.V2AStream" })).Status);
    }

    [Fact]
    public async Task Reflection_WithoutToken_Unauthenticated()
    {
        using var channel = DaemonChannel.Create(Address);
        using var call = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();

        // The daemon refuses before it reads a request, so the refusal can reach the client while it is still writing.
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Stream_TokenFromFile_AudioForTheWholeClip()
    {
        var tokenFile = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        var wav = Path.Combine(_directory, "out.wav");

        var (exitCode, _, error) = await CliRunner.RunAsync("stream", Clip, "--server", Address.ToString(), "--token-file", tokenFile, "--out", wav);

        Assert.True(exitCode == 0, error);
        Assert.Equal(2 * 16000, Core.Media.WavReader.Read(wav).Frames);
    }

    [Fact]
    public async Task Stream_NoToken_ExitOneSayingHowToSendOne()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("stream", Clip, "--server", Address.ToString(), "--out", Path.Combine(_directory, "refused.wav"));

        Assert.Equal(1, exitCode);
        Assert.StartsWith("error: the daemon needs a token (--token-file, --token or V2A_TOKEN), or refused the one sent", error, StringComparison.Ordinal);
    }
}
