using System.Text;
using V2AStream.Daemon;
using V2AStream.Hosting;
using V2AStream.Testing.Media;

namespace V2AStream.Tests.Daemon;

/// <summary>
/// The hostile-input corpus (issue 11): small bad and awkward inputs made here with ffmpeg and by hand, in one folder
/// that a real daemon (in this process, so its ffmpeg children are this process's) may open, with URL sources allowed
/// to 127.0.0.1, where a local HTTP server serves some of them.
/// </summary>
public sealed class HostileCorpus : IAsyncLifetime
{
    private DaemonHost? _host;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("v2a-hostile-").FullName;

    public string Outside { get; } = System.IO.Directory.CreateTempSubdirectory("v2a-hostile-outside-").FullName;

    public Uri Address => _host!.GrpcAddress;

    public LocalHttpServer Http { get; private set; } = null!;

    /// <summary>The corpus file of a case name.</summary>
    public string PathOf(string name) => Path.Combine(Directory, name);

    public async Task InitializeAsync()
    {
        var random = new Random(11);
        var d = Directory;
        var noise = new byte[200_000];
        random.NextBytes(noise);
        await File.WriteAllBytesAsync(PathOf("random-bytes.bin"), noise);
        await File.WriteAllBytesAsync(PathOf("empty.ts"), []);
        await File.WriteAllTextAsync(PathOf("notes.txt"), "hello, this is not a video\n");

        HostileMedia.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25", "-t", "10", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-movflags", "+faststart", PathOf("clean.mp4"));
        HostileMedia.Ffmpeg("-i", PathOf("clean.mp4"), "-c", "copy", "-f", "mpegts", PathOf("clean.ts"));
        HostileMedia.Tail(PathOf("clean.ts"), 0.3, "head-cut.ts");
        HostileMedia.Head(PathOf("clean.ts"), 0.5, "tail-cut.ts");
        HostileMedia.Head(PathOf("clean.mp4"), 0.5, "tail-cut-faststart.mp4");
        var damaged = await File.ReadAllBytesAsync(PathOf("clean.ts"));
        random.NextBytes(damaged.AsSpan(damaged.Length / 2, 4096));
        await File.WriteAllBytesAsync(PathOf("noise-in-middle.ts"), damaged);

        HostileMedia.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "2", PathOf("audio-only.wav"));
        HostileMedia.SinglePng(d);
        HostileMedia.OneFrameMp4(d);
        HostileMedia.FourKTs(d);
        HostileMedia.CorruptedPtsTs(d);
        HostileMedia.TimestampJumpMkv(d);
        HostileMedia.RestartingTs(d);
        HostileMedia.ResolutionChangeTs(d);
        HostileMedia.IndexAtEndMp4(d);
        HostileMedia.HugePictureMkv(d);

        // Fake headers: the first bytes of a format, then noise.
        var tail = new byte[64 * 1024];
        random.NextBytes(tail);
        await File.WriteAllBytesAsync(PathOf("fake-header.mp4"), [0, 0, 0, 24, .. "ftypisom"u8, 0, 0, 2, 0, .. "isomiso2"u8, .. tail]);
        await File.WriteAllBytesAsync(PathOf("fake-header.png"), [0x89, .. "PNG\r\n\u001a\n"u8, .. tail]);
        var fakeTs = (byte[])tail.Clone();
        for (var i = 0; i < fakeTs.Length; i += 188)
        {
            fakeTs[i] = 0x47;
        }

        await File.WriteAllBytesAsync(PathOf("fake-header.ts"), fakeTs);

        // A playlist inside the root that names a file outside it.
        File.Copy(PathOf("clean.ts"), Path.Combine(Outside, "elsewhere.ts"));
        await File.WriteAllTextAsync(PathOf("playlist.m3u8"), $"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile://{Path.Combine(Outside, "elsewhere.ts")}\n#EXT-X-ENDLIST\n", Encoding.ASCII);

        Http = new LocalHttpServer(new Dictionary<string, byte[]> { ["/clip.ts"] = await File.ReadAllBytesAsync(PathOf("clean.ts")) });
        _host = await DaemonHost.StartAsync(
            new DaemonOptions { Listen = "127.0.0.1:0", MetricsListen = string.Empty, MaxStreams = 2, AllowRoots = [Directory], AllowSchemes = ["http"], AllowHosts = ["127.0.0.1"] },
            _ => { },
            "test",
            CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await Http.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
        System.IO.Directory.Delete(Outside, recursive: true);
    }
}
