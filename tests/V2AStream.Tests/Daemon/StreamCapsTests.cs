using V2AStream.Daemon;
using V2AStream.Protos.V1;

namespace V2AStream.Tests.Daemon;

/// <summary>Client-chosen settings are capped by the server's (window, lookahead, fps, block multiple), naming the cap.</summary>
[Collection(HostileCorpusCollection.Name)]
public sealed class StreamCapsTests(HostileCorpus corpus)
{
    [Theory]
    [InlineData("scenes.window_seconds", "MaxWindowSeconds")]
    [InlineData("scenes.lookahead_frames", "MaxLookaheadFrames")]
    [InlineData("scenes.sample_fps", "MaxSampleFps")]
    [InlineData("generation.block_multiple", "MaxBlockMultiple")]
    public async Task Generate_SettingOverTheServersCap_InvalidArgumentNamingFieldAndCap(string field, string setting)
    {
        var config = DaemonCalls.Config();
        config.Scenes = new SceneConfig();
        config.Generation = new GenerationConfig();
        switch (setting)
        {
            case "MaxWindowSeconds": config.Scenes.WindowSeconds = 2048; break; // 8192 frames at 4 fps
            case "MaxLookaheadFrames": config.Scenes.LookaheadFrames = 1000; break;
            case "MaxSampleFps": config.Scenes.SampleFps = 30; break;
            default: config.Generation.BlockMultiple = 8; break;
        }

        var outcome = await DaemonCalls.GenerateOutcomeAsync(corpus.Address, DaemonCalls.ConfigThenFile(config, corpus.PathOf("clean.ts")));

        Assert.Equal("InvalidArgument", outcome.Status);
        Assert.Contains(field, outcome.Detail, StringComparison.Ordinal);
        Assert.Contains($"Daemon:{setting}", outcome.Detail, StringComparison.Ordinal);
        Assert.Empty(outcome.Responses);
    }

    [Fact]
    public async Task Generate_SettingsAtTheCaps_Audio()
    {
        var config = DaemonCalls.Config();
        var caps = new StreamCaps();
        config.Scenes = new SceneConfig { WindowSeconds = caps.MaxWindowSeconds, LookaheadFrames = (uint)caps.MaxLookaheadFrames, SampleFps = caps.MaxSampleFps };
        config.Generation = new GenerationConfig { BlockMultiple = (uint)caps.MaxBlockMultiple };

        var outcome = await DaemonCalls.GenerateOutcomeAsync(corpus.Address, DaemonCalls.ConfigThenFile(config, corpus.PathOf("clean.ts")));

        Assert.True(outcome.Status == "OK", outcome.Detail);
        Assert.Equal(160_000, outcome.SamplesReceived);
    }

    [Fact]
    public void Translate_LowerCapsFromTheServersSettings_RefusesWhatTheDefaultsAllow()
    {
        var translator = new StreamConfigTranslator("builtin", ["builtin"], TimeSpan.Zero, new StreamCaps { MaxSampleFps = 6 });

        var error = Assert.ThrowsAny<Exception>(() => translator.Translate(new StreamConfig { Scenes = new SceneConfig { SampleFps = 8 } }, liveByDefault: false));

        Assert.Contains("scenes.sample_fps 8 is over this server's cap of 6", error.Message, StringComparison.Ordinal);
    }
}
