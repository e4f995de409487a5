using V2AStream.Daemon;
using V2AStream.Hosting;
using V2AStream.Protos.V1;
using V2AStream.Tests.Daemon;

using V2AStream.Testing.MediaServers;

namespace V2AStream.Tests.Relay;

/// <summary>
/// What the relay tests share: a 16 s clip of four 4 s scenes as OBS would send it (H.264 with a key frame every second,
/// AAC sound of its own), a daemon in this process, and the reference sound: what that daemon makes of the clip in
/// LIVE mode (16 kHz mono), which a relay that started with the clip's first frame must publish, in step with the video.
/// </summary>
public sealed class RelayFixture : IAsyncLifetime
{
    public const double SceneSeconds = 4;
    public const int Scenes = 4;
    public const double ClipSeconds = SceneSeconds * Scenes;
    public const int ReferenceRate = 16000;

    private DaemonHost? _host;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("v2a-relay-tests-").FullName;

    public string Clip => Path.Combine(Directory, "four-scenes-16s.mp4");

    public Uri Daemon => _host!.GrpcAddress;

    /// <summary>The daemon's LIVE-mode sound for the clip, mono at <see cref="ReferenceRate"/>.</summary>
    public float[] Reference { get; private set; } = [];

    /// <summary>The start of each scene the daemon found in the clip, in seconds.</summary>
    public List<double> ReferenceScenes { get; private set; } = [];

    /// <summary>The MD5 of each of the clip's decoded video frames.</summary>
    public List<string> ClipFrames { get; private set; } = [];

    public async Task InitializeAsync()
    {
        string[] sources = ["testsrc2", "smptebars", "mandelbrot", "rgbtestsrc"];
        var arguments = new List<string>();
        foreach (var source in sources)
        {
            arguments.AddRange(["-f", "lavfi", "-t", "4", "-i", $"{source}=size=320x240:rate=25"]);
        }

        arguments.AddRange(["-f", "lavfi", "-t", "16", "-i", "sine=frequency=440:sample_rate=48000",
            "-filter_complex", "[0:v]setsar=1[a];[1:v]setsar=1[b];[2:v]setsar=1[c];[3:v]setsar=1[d];[a][b][c][d]concat=n=4:v=1:a=0,format=yuv420p[v]",
            "-map", "[v]", "-map", "4:a", "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-c:a", "aac", "-movflags", "+faststart", "-y", Clip]);
        await DaemonFixture.FfmpegAsync(arguments);
        _host = await DaemonHost.StartAsync(new DaemonOptions { Listen = "127.0.0.1:0", MetricsListen = string.Empty, MaxStreams = 4 }, _ => { }, "test", CancellationToken.None);

        var config = DaemonCalls.Config();
        config.Generation = new GenerationConfig { Mode = GenerationMode.Live };
        var responses = await DaemonCalls.GenerateAsync(Daemon, DaemonCalls.ConfigThenFile(config, Clip));
        Reference = responses.Where(r => r.EventCase == GenerateResponse.EventOneofCase.Audio)
            .SelectMany(r => Enumerable.Range(0, r.Audio.Data.Length / 2).Select(i => BitConverter.ToInt16(r.Audio.Data.Span[(2 * i)..]) / 32768f))
            .ToArray();
        ReferenceScenes = responses.Where(r => r.EventCase == GenerateResponse.EventOneofCase.Scene).Select(r => r.Scene.StartUs / 1e6).ToList();
        ClipFrames = await MediaProbe.FrameHashesAsync(Clip);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    public string OutputPath(string name) => Path.Combine(Directory, $"{Guid.NewGuid():N}-{name}");
}
