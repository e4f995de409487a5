using V2AStream.Daemon;
using V2AStream.Hosting;
using V2AStream.Tests.Daemon;

namespace V2AStream.Tests.Interop;

/// <summary>
/// A real daemon on a free loopback port for the sample clients, with GenerateFromSource allowed under one temp
/// folder, and a clip made there once with lavfi: two distinct 8 s scenes (16 s) as a faststart MP4.
/// </summary>
public sealed class InteropFixture : IAsyncLifetime
{
    public const double SceneSeconds = 8;
    public const double ClipSeconds = 2 * SceneSeconds;

    private DaemonHost? _host;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("v2a-interop-tests-").FullName;

    public string Clip => Path.Combine(Directory, "two-scenes-16s.mp4");

    /// <summary>HOST:PORT, as the sample clients take it.</summary>
    public string Server => $"{_host!.GrpcAddress.Host}:{_host.GrpcAddress.Port}";

    public async Task InitializeAsync()
    {
        await DaemonFixture.FfmpegAsync([
            "-f", "lavfi", "-t", "8", "-i", "testsrc2=size=160x120:rate=25",
            "-f", "lavfi", "-t", "8", "-i", "smptebars=size=160x120:rate=25",
            "-filter_complex", "[0:v]setsar=1[a];[1:v]setsar=1[b];[a][b]concat=n=2:v=1:a=0,format=yuv420p[v]",
            "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", "-movflags", "+faststart", "-y", Clip]);
        var options = new DaemonOptions { Listen = "127.0.0.1:0", MetricsListen = string.Empty, MaxStreams = 3, AllowRoots = [Directory] };
        _host = await DaemonHost.StartAsync(options, _ => { }, "test", CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>A path in the fixture's folder for a client to write; the folder goes with the fixture.</summary>
    public string OutputPath(string name) => Path.Combine(Directory, $"{Guid.NewGuid():N}-{name}");
}
