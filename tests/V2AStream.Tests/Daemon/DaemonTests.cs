using System.Buffers.Binary;
using Google.Protobuf;
using Grpc.Core;
using V2AStream.Protos.V1;

namespace V2AStream.Tests.Daemon;

/// <summary>The daemon end to end through the real gRPC client: results, and every error of DESIGN.md sections 6 and 8.</summary>
public sealed class DaemonTests(DaemonFixture daemon) : IClassFixture<DaemonFixture>
{
    [Fact]
    public async Task Generate_SixtySecondStream_ExactSamplesThreeScenesAndSummaryLast()
    {
        var responses = await DaemonCalls.GenerateAsync(daemon.Address, DaemonCalls.ConfigThenFile(DaemonCalls.Config(), daemon.Mp4));

        Assert.Equal(GenerateResponse.EventOneofCase.Started, responses[0].EventCase);
        Assert.Equal(GenerateResponse.EventOneofCase.Summary, responses[^1].EventCase);
        var audio = responses.Where(r => r.EventCase == GenerateResponse.EventOneofCase.Audio).Select(r => r.Audio).ToList();
        Assert.Equal(60 * 16000, audio.Sum(a => a.Data.Length / 2));
        Assert.Equal(60 * 16000UL, responses[^1].Summary.TotalSamples);
        for (var i = 1; i < audio.Count; i++)
        {
            Assert.Equal(audio[i - 1].StartUs + audio[i - 1].DurationUs, audio[i].StartUs);
            Assert.Equal((ulong)i, audio[i].Sequence);
        }

        Assert.All(audio, a => Assert.True(a.DurationUs > 0));
        var scenes = responses.Where(r => r.EventCase == GenerateResponse.EventOneofCase.Scene).Select(r => r.Scene).ToList();
        Assert.Equal([0u, 1u, 2u], scenes.Select(s => s.SceneIndex));
        Assert.All(scenes, s => Assert.True(s.Final));
        Assert.InRange(scenes[1].StartUs, 19_750_000, 20_250_000);
        Assert.InRange(scenes[2].StartUs, 39_750_000, 40_250_000);
        Assert.Equal(60_000_000, scenes[2].EndUs);
        Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Generate_MpegTsAt48kStereoWav_HeaderOnceAndExactFrames()
    {
        var config = DaemonCalls.Config(AudioEncoding.Wav, 48000);
        config.Output.Channels = 2;
        config.Input = new InputConfig { Format = "mpegts" };
        var responses = await DaemonCalls.GenerateAsync(daemon.Address, DaemonCalls.ConfigThenFile(config, daemon.Ts));

        var audio = responses.Where(r => r.EventCase == GenerateResponse.EventOneofCase.Audio).Select(r => r.Audio).ToList();
        var first = audio[0].Data.Span;
        Assert.True(first[..4].SequenceEqual("RIFF"u8));
        Assert.Equal(48000u, BinaryPrimitives.ReadUInt32LittleEndian(first[24..]));
        var pcmBytes = audio.Sum(a => a.Data.Length) - 44;
        Assert.Equal(60 * 48000 * 2 * 2, pcmBytes);
        Assert.All(audio.Skip(1), a => Assert.False(a.Data.Span[..4].SequenceEqual("RIFF"u8)));
    }

    [Fact]
    public async Task Generate_SameFileTwice_SameScenesAsDetectScenesAndGenerateFromSource()
    {
        var fromGenerate = (await DaemonCalls.GenerateAsync(daemon.Address, DaemonCalls.ConfigThenFile(DaemonCalls.Config(), daemon.Mp4)))
            .Where(r => r.EventCase == GenerateResponse.EventOneofCase.Scene).Select(r => (r.Scene.StartUs, r.Scene.EndUs)).ToList();
        var request = new SourceRequest { Source = daemon.Mp4, Config = DaemonCalls.Config() };
        request.Config.Generation = new GenerationConfig { Mode = GenerationMode.Quality };
        var fromSource = (await DaemonCalls.ServerStreamingAsync<GenerateResponse>(daemon.Address, "GenerateFromSource", request))
            .Where(r => r.EventCase == GenerateResponse.EventOneofCase.Scene).Select(r => (r.Scene.StartUs, r.Scene.EndUs)).ToList();
        var detected = (await DaemonCalls.ServerStreamingAsync<SceneEvent>(daemon.Address, "DetectScenes", request)).Select(s => (s.StartUs, s.EndUs)).ToList();

        Assert.Equal(3, fromGenerate.Count);
        Assert.Equal(fromGenerate, fromSource);
        Assert.Equal(fromGenerate, detected);
    }

    [Fact]
    public async Task Generate_SixtySecondStream_ScenesMatchTheScenesCommandOnTheSameFile()
    {
        var fromDaemon = (await DaemonCalls.GenerateAsync(daemon.Address, DaemonCalls.ConfigThenFile(DaemonCalls.Config(), daemon.Mp4)))
            .Where(r => r.EventCase == GenerateResponse.EventOneofCase.Scene).Select(r => (r.Scene.StartUs / 1e6, r.Scene.EndUs / 1e6)).ToList();

        var output = new StringWriter();
        Assert.Equal(0, await V2AStream.Cli.CliApp.InvokeAsync(["scenes", daemon.Mp4, "--json"], output, new StringWriter(), CancellationToken.None));
        using var json = System.Text.Json.JsonDocument.Parse(output.ToString());
        var fromCli = json.RootElement.GetProperty("scenes").EnumerateArray()
            .Select(s => (s.GetProperty("start_s").GetDouble(), s.GetProperty("end_s").GetDouble())).ToList();

        Assert.Equal(3, fromDaemon.Count);
        Assert.Equal(fromCli.Count, fromDaemon.Count);
        foreach (var (daemonScene, cliScene) in fromDaemon.Zip(fromCli))
        {
            Assert.Equal(cliScene.Item1, daemonScene.Item1, 1e-6);
            Assert.Equal(cliScene.Item2, daemonScene.Item2, 1e-6);
        }
    }

    [Fact]
    public async Task Generate_MediaBeforeConfig_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GenerateAsync(daemon.Address, DaemonCalls.Messages(new GenerateRequest { Media = ByteString.CopyFromUtf8("bytes") })));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("first message must be a StreamConfig", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_NoMessages_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GenerateAsync(daemon.Address, DaemonCalls.Messages()));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("before its StreamConfig", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_ConfigTwice_InvalidArgumentAndNoChildLeft()
    {
        var requests = DaemonCalls.ConfigThenFile(DaemonCalls.Config(), daemon.Ts, index => index == 3 ? new GenerateRequest { Config = DaemonCalls.Config() } : null);
        var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GenerateAsync(daemon.Address, requests));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("sent twice", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Generate_NotAVideo_InvalidArgumentWithFfmpegsReason()
    {
        var junk = new byte[200_000];
        new Random(3).NextBytes(junk);
        var requests = DaemonCalls.Messages(new GenerateRequest { Config = DaemonCalls.Config() }, new GenerateRequest { Media = ByteString.CopyFrom(junk) });
        var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GenerateAsync(daemon.Address, requests));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.DoesNotContain('\n', error.Status.Detail);
    }

    [Fact]
    public async Task Generate_TruncatedStream_AudioForWhatArrived()
    {
        var bytes = await File.ReadAllBytesAsync(daemon.Ts);
        var half = bytes[..(bytes.Length / 2)];
        var requests = DaemonCalls.Messages(new GenerateRequest { Config = DaemonCalls.Config() }, new GenerateRequest { Media = ByteString.CopyFrom(half) });
        var responses = await DaemonCalls.GenerateAsync(daemon.Address, requests);
        var summary = responses[^1].Summary;
        Assert.InRange(summary.DurationUs, 5_000_000, 55_000_000);
        Assert.Equal((ulong)Math.Round(summary.DurationUs / 1e6 * 16000), summary.TotalSamples);
    }

    [Fact]
    public async Task Generate_OversizedMessage_ResourceExhausted()
    {
        var requests = DaemonCalls.Messages(new GenerateRequest { Config = DaemonCalls.Config() }, new GenerateRequest { Media = ByteString.CopyFrom(new byte[5 * 1024 * 1024]) });
        var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GenerateAsync(daemon.Address, requests));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Theory]
    [InlineData("scenes.sample_fps", 0)]
    [InlineData("output.sample_rate", 1)]
    [InlineData("output.channels", 2)]
    [InlineData("generation.model_set", 3)]
    [InlineData("input.format", 4)]
    public async Task Generate_BadConfig_InvalidArgumentNamingTheField(string field, int variant)
    {
        var config = DaemonCalls.Config();
        switch (variant)
        {
            case 0: config.Scenes = new SceneConfig { SampleFps = 500 }; break;
            case 1: config.Output.SampleRate = 22050; break;
            case 2: config.Output.Channels = 6; break;
            case 3: config.Generation = new GenerationConfig { ModelSet = "no-such-set" }; break;
            default: config.Input = new InputConfig { Format = "concat" }; break;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GenerateAsync(daemon.Address, DaemonCalls.Messages(new GenerateRequest { Config = config })));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field.Split('.')[1], error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_DeadlinePassesMidStream_DeadlineExceededAndNoChildLeft()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GenerateAsync(daemon.Address, SlowRequests(), new CallOptions(deadline: DateTime.UtcNow.AddSeconds(1))));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Generate_ClientCancelsMidStream_NoFfmpegChildLeft()
    {
        using var cancellation = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var response in DaemonCalls.GenerateStreamAsync(daemon.Address, SlowRequests(), null, cancellation.Token))
            {
                if (response.EventCase == GenerateResponse.EventOneofCase.Progress)
                {
                    Assert.True(FfmpegChildren.Count() > 0, "the stream's ffmpeg should be running");
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Generate_ManyCancelledStreams_MemoryComesBack()
    {
        await CancelOneStreamAsync();
        var before = SettledHeapBytes();
        for (var i = 0; i < 8; i++)
        {
            await CancelOneStreamAsync();
        }

        var growth = SettledHeapBytes() - before;
        Assert.True(growth < 16 * 1024 * 1024, $"the managed heap grew by {growth / 1024.0 / 1024.0:F1} MiB over 8 cancelled streams");
        Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
    }

    private async Task CancelOneStreamAsync()
    {
        using var cancellation = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var response in DaemonCalls.GenerateStreamAsync(daemon.Address, SlowRequests(cancellation.Token), null, cancellation.Token))
            {
                if (response.EventCase == GenerateResponse.EventOneofCase.Audio)
                {
                    await cancellation.CancelAsync();
                }
            }
        });
        await WaitForStreamsAsync(0);
    }

    private static long SettledHeapBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    [Fact]
    public async Task Generate_ClientStopsReadingAudio_ServerStopsReadingMedia()
    {
        long offered = 0;
        async IAsyncEnumerable<GenerateRequest> FloodAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            yield return new GenerateRequest { Config = DaemonCalls.Config() };
            var bytes = await File.ReadAllBytesAsync(daemon.Ts, cancellationToken);
            for (var offset = 0; !cancellationToken.IsCancellationRequested; offset = (offset + 65536) % bytes.Length)
            {
                Interlocked.Add(ref offered, 65536);
                yield return new GenerateRequest { Media = ByteString.CopyFrom(bytes, offset, Math.Min(65536, bytes.Length - offset)) };
            }
        }

        using var cancellation = new CancellationTokenSource();
        var responses = DaemonCalls.GenerateStreamAsync(daemon.Address, FloodAsync(cancellation.Token), null, cancellation.Token).GetAsyncEnumerator(cancellation.Token);
        try
        {
            Assert.True(await responses.MoveNextAsync());
            Assert.Equal(GenerateResponse.EventOneofCase.Started, responses.Current.EventCase);

            // The client reads nothing more. Without backpressure the looped feed would flow at loopback speed forever;
            // with it, the sender stalls once the pipeline, the pipe and the HTTP/2 windows are full.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            long last = -1;
            var steadySince = DateTime.UtcNow;
            while (DateTime.UtcNow < deadline && DateTime.UtcNow - steadySince < TimeSpan.FromSeconds(3))
            {
                var now = Interlocked.Read(ref offered);
                if (now != last)
                {
                    last = now;
                    steadySince = DateTime.UtcNow;
                }

                await Task.Delay(100);
            }

            Assert.True(DateTime.UtcNow - steadySince >= TimeSpan.FromSeconds(3), $"the client could still send after {last / 1024 / 1024} MiB");
            Assert.InRange(last, 1, 64L * 1024 * 1024);
            var info = await DaemonCalls.GetInfoAsync(daemon.Address);
            Assert.Equal(1u, info.Limits.ActiveStreams);
        }
        finally
        {
            await cancellation.CancelAsync();
            await responses.DisposeAsync();
            await WaitForStreamsAsync(0);
        }
    }

    [Fact]
    public async Task GenerateFromSource_OutsideAllowedRoots_PermissionDenied()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.ServerStreamingAsync<GenerateResponse>(daemon.Address, "GenerateFromSource", new SourceRequest { Source = "/etc/passwd" }));
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);

        var escape = Path.Combine(daemon.Directory, "..", "..", "etc", "passwd");
        error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.ServerStreamingAsync<GenerateResponse>(daemon.Address, "GenerateFromSource", new SourceRequest { Source = escape }));
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task GenerateFromSource_UrlWithSchemeNotAllowed_PermissionDenied()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.ServerStreamingAsync<GenerateResponse>(daemon.Address, "GenerateFromSource", new SourceRequest { Source = "http://169.254.169.254/latest/meta-data" }));
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("allows no URL sources", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_MoreStreamsThanAllowed_ResourceExhausted()
    {
        using var hold = new CancellationTokenSource();
        var running = Enumerable.Range(0, daemon.Options.MaxStreams).Select(_ => DaemonCalls.GenerateAsync(daemon.Address, SlowRequests(hold.Token), cancellationToken: hold.Token)).ToList();
        try
        {
            await WaitForStreamsAsync(daemon.Options.MaxStreams);
            var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GenerateAsync(daemon.Address, DaemonCalls.ConfigThenFile(DaemonCalls.Config(), daemon.Ts)));
            Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        }
        finally
        {
            await hold.CancelAsync();
            foreach (var call in running)
            {
                await Assert.ThrowsAnyAsync<Exception>(() => call);
            }

            await WaitForStreamsAsync(0);
        }
    }

    [Fact]
    public async Task GetInfo_ListsBuiltinSetAndLimits()
    {
        var info = await DaemonCalls.GetInfoAsync(daemon.Address);
        Assert.Equal("builtin", info.DefaultModelSet);
        Assert.Contains(info.ModelSets, s => s.Name == "builtin" && s.Available);
        Assert.Equal((uint)daemon.Options.MaxStreams, info.Limits.MaxStreams);
        Assert.Equal(4u * 1024 * 1024, info.Limits.MaxReceiveMessageBytes);
        Assert.Empty(info.Limits.AllowedSchemes);
        Assert.True(info.Limits.SourceRootsConfigured);
    }

    /// <summary>The config and then the TS a little at a time, never ending on its own: a live feed.</summary>
    private async IAsyncEnumerable<GenerateRequest> SlowRequests([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return new GenerateRequest { Config = DaemonCalls.Config() };
        var bytes = await File.ReadAllBytesAsync(daemon.Ts, cancellationToken);
        for (var offset = 0; !cancellationToken.IsCancellationRequested; offset = (offset + 65536) % bytes.Length)
        {
            yield return new GenerateRequest { Media = ByteString.CopyFrom(bytes, offset, Math.Min(65536, bytes.Length - offset)) };
            if (offset > bytes.Length / 4)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private async Task WaitForStreamsAsync(int streams)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var info = await DaemonCalls.GetInfoAsync(daemon.Address);
            if (streams == 0 ? info.Limits.ActiveStreams == 0 : info.Limits.ActiveStreams >= streams)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The server did not reach {streams} running streams within 30 s.");
    }
}
