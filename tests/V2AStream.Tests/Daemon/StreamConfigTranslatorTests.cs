using V2AStream.Daemon;
using V2AStream.Protos.V1;
using EngineMode = V2AStream.Core.Pipeline.GenerationMode;

namespace V2AStream.Tests.Daemon;

public sealed class StreamConfigTranslatorTests
{
    private readonly StreamConfigTranslator _translator = new("builtin", ["builtin"], TimeSpan.FromMilliseconds(200));

    [Fact]
    public void Translate_RealtimeStream_LiveModeWithoutBatchWaitPacedAndLowDelay()
    {
        var settings = _translator.Translate(new StreamConfig { Realtime = true }, liveByDefault: false);
        Assert.Equal(EngineMode.Live, settings.Pipeline.Mode);
        Assert.Equal(TimeSpan.Zero, settings.Pipeline.MaxEmbedWait);
        Assert.Equal(TimeSpan.FromMilliseconds(200), settings.Pipeline.LiveJitterBuffer);
        Assert.True(settings.Pipeline.LowDelayDecode);
    }

    [Fact]
    public void Translate_RealtimeQualityStream_DecodesForLowDelay()
    {
        var settings = _translator.Translate(new StreamConfig { Realtime = true, Generation = new GenerationConfig { Mode = GenerationMode.Quality } }, liveByDefault: false);
        Assert.Equal(EngineMode.Quality, settings.Pipeline.Mode);
        Assert.True(settings.Pipeline.LowDelayDecode);
    }

    [Fact]
    public void Translate_ZeroJitterBuffer_SendsLiveAudioUnpaced()
    {
        var unpaced = new StreamConfigTranslator("builtin", ["builtin"], TimeSpan.Zero);
        var settings = unpaced.Translate(new StreamConfig { Realtime = true }, liveByDefault: false);
        Assert.Null(settings.Pipeline.LiveJitterBuffer);
    }

    [Fact]
    public void Translate_FileStream_QualityModeKeepsBatching()
    {
        var settings = _translator.Translate(new StreamConfig(), liveByDefault: false);
        Assert.Equal(EngineMode.Quality, settings.Pipeline.Mode);
        Assert.True(settings.Pipeline.MaxEmbedWait > TimeSpan.Zero);
        Assert.False(settings.Pipeline.LowDelayDecode);
        Assert.Equal(16000, settings.Output.SampleRate);
        Assert.Equal(1, settings.Output.Channels);
        Assert.Equal(AudioEncoding.PcmS16Le, settings.Output.Encoding);
    }
}
