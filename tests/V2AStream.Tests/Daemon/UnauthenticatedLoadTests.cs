using System.Globalization;
using System.Net;
using V2AStream.Soak;
using V2AStream.Tests.Grpc;

namespace V2AStream.Tests.Daemon;

/// <summary>
/// DESIGN.md section 8, "nothing unauthenticated costs the daemon more than a few kilobytes or a few seconds": a
/// `v2a serve --token-file` child gets calls that announce 4 MiB messages and hold them open, half of them health checks
/// (which skip the token). Each is answered at once, before its body is read, and the daemon's memory barely moves.
/// </summary>
public sealed class UnauthenticatedLoadTests : IAsyncLifetime
{
    private const int AnnouncedBytes = 4 * 1024 * 1024 - 64;
    private const int SentBytes = AnnouncedBytes - 1;

    private static readonly string[] NonHealthMethods =
    [
        "/v2astream.v1.V2AStream/Generate",
        "/v2astream.v1.V2AStream/GetInfo",
        "/v2astream.v1.V2AStream/GenerateFromSource",
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("v2a-unauthenticated-load-").FullName;
    private SpawnedDaemon? _daemon;

    public async Task InitializeAsync()
    {
        var tokenFile = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(tokenFile, "load-test-token-0123456789");
        _daemon = await SpawnedDaemon.StartAsync(2, "builtin", ["--token-file", tokenFile], TimeSpan.FromSeconds(60), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task HeldFourMegabyteCalls_AnsweredWithinASecondAndRssGrowsLessThan16MiB()
    {
        // One round first: the code paths are compiled and the pools filled once, as they are in a daemon that has run a while.
        foreach (var request in await SendRoundAsync(4))
        {
            request.Dispose();
        }

        var before = Rss();
        var held = await SendRoundAsync(24);
        try
        {
            var growth = Rss() - before;

            Assert.All(held, request => Assert.True(request.AnsweredAfter < TimeSpan.FromSeconds(1), $"answered after {request.AnsweredAfter.TotalSeconds:F2} s"));
            var health = held.Where(r => r.Response.RequestMessage!.RequestUri!.AbsolutePath.StartsWith("/grpc.health", StringComparison.Ordinal)).ToList();
            Assert.Equal(12, health.Count);
            Assert.All(health, r => Assert.Equal("8", r.HeaderStatus));
            Assert.All(held.Except(health), r => Assert.Equal(HttpStatusCode.Unauthorized, r.Response.StatusCode));
            Assert.True(growth < 16L * 1024 * 1024, $"the daemon's RSS grew by {growth / 1024.0 / 1024.0:F1} MiB");
        }
        finally
        {
            foreach (var request in held)
            {
                request.Dispose();
            }
        }
    }

    /// <summary>Half health checks, half the other methods in turn, each on its own connection, all at once; held until disposed.</summary>
    private async Task<List<HeldGrpcRequest>> SendRoundAsync(int calls)
    {
        var sends = Enumerable.Range(0, calls).Select(i => HeldGrpcRequest.SendAsync(
            _daemon!.Grpc,
            i % 2 == 0 ? "/grpc.health.v1.Health/Check" : NonHealthMethods[i / 2 % NonHealthMethods.Length],
            AnnouncedBytes,
            SentBytes,
            TimeSpan.FromSeconds(30)));
        return [.. await Task.WhenAll(sends)];
    }

    private long Rss()
    {
        foreach (var line in File.ReadLines($"/proc/{_daemon!.ProcessId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("No VmRSS line for the daemon.");
    }
}
