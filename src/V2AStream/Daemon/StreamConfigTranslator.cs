using Grpc.Core;
using V2AStream.Core.Pipeline;
using V2AStream.Core.Scenes;
using V2AStream.Core.Stitching;
using V2AStream.Protos.V1;
using EngineMode = V2AStream.Core.Pipeline.GenerationMode;
using WireMode = V2AStream.Protos.V1.GenerationMode;

namespace V2AStream.Daemon;

/// <summary>
/// Checks a client's StreamConfig at the edge and turns it into <see cref="StreamSettings"/>: zero means the
/// server's default, anything out of range or over the server's <see cref="StreamCaps"/> ends the call with
/// INVALID_ARGUMENT and a one-line reason naming the field and the cap.
/// </summary>
/// <param name="liveJitterBuffer">How far a LIVE stream's first chunk is held back for a player's sake; zero sends every chunk as soon as it is ready.</param>
/// <param name="caps">The server's caps on client-chosen settings (default: <see cref="StreamCaps"/>'s defaults).</param>
internal sealed class StreamConfigTranslator(string defaultModelSet, IReadOnlyCollection<string> knownModelSets, TimeSpan liveJitterBuffer, StreamCaps? caps = null)
{
    private readonly StreamCaps _caps = caps ?? new StreamCaps();

    /// <summary>Container formats a client may name: ones ffmpeg reads from a pipe and that cannot make it open other files or URLs.</summary>
    public static readonly IReadOnlyList<string> InputFormats = ["mpegts", "matroska", "webm", "mp4", "mov", "flv", "nut", "avi", "ogg", "h264", "hevc", "ivf", "mjpeg", "mxf"];

    private static readonly int[] SampleRates = [16000, 44100, 48000];

    public StreamSettings Translate(StreamConfig? config, bool liveByDefault)
    {
        if (config is null)
        {
            throw Invalid("the first message must be a StreamConfig.");
        }

        var requestId = string.IsNullOrWhiteSpace(config.RequestId) ? Guid.NewGuid().ToString("N")[..12] : config.RequestId.Trim();
        if (requestId.Length > 64 || !requestId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw Invalid("request_id must be at most 64 letters, digits, '-', '_' or '.'.");
        }

        var input = config.Input ?? new InputConfig();
        string? format = null;
        if (!string.IsNullOrEmpty(input.Format))
        {
            format = input.Format.Trim().ToLowerInvariant();
            if (!InputFormats.Contains(format))
            {
                throw Invalid($"input.format '{input.Format}' is not accepted; use one of {string.Join(", ", InputFormats)}, or leave it empty to probe.");
            }
        }

        var output = config.Output ?? new OutputConfig();
        var encoding = output.Encoding == AudioEncoding.Unspecified ? AudioEncoding.PcmS16Le : output.Encoding;
        if (!Enum.IsDefined(encoding))
        {
            throw Invalid($"output.encoding {(int)output.Encoding} is unknown; use PCM_S16LE, PCM_F32LE or WAV.");
        }

        var sampleRate = output.SampleRate == 0 ? BlockTiming.SampleRate : (int)output.SampleRate;
        if (!SampleRates.Contains(sampleRate))
        {
            throw Invalid($"output.sample_rate {output.SampleRate} is not supported; use 16000, 44100 or 48000.");
        }

        var channels = output.Channels == 0 ? 1 : (int)output.Channels;
        if (channels is not (1 or 2))
        {
            throw Invalid($"output.channels {output.Channels} is not supported; use 1 or 2.");
        }

        var chunkMs = output.ChunkDurationMs == 0 ? 500 : (int)Math.Min(output.ChunkDurationMs, int.MaxValue);

        var scenes = config.Scenes ?? new SceneConfig();
        var detectorKind = SceneDetectorKind.Robust;
        if (!string.IsNullOrEmpty(scenes.Detector))
        {
            if (!scenes.Detector.Equals("robust", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid($"scenes.detector '{scenes.Detector}' cannot run on a stream; use robust (the paper detector needs the whole video: v2a scenes).");
            }
        }

        CheckCaps(scenes, config.Generation ?? new GenerationConfig());
        var generation = config.Generation ?? new GenerationConfig();
        var modelSet = string.IsNullOrEmpty(generation.ModelSet) ? defaultModelSet : generation.ModelSet;
        if (!knownModelSets.Contains(modelSet))
        {
            throw Invalid($"generation.model_set '{modelSet}' is not served here; GetInfo lists the sets: {string.Join(", ", knownModelSets)}.");
        }

        var mode = generation.Mode switch
        {
            WireMode.Unspecified => liveByDefault || config.Realtime ? EngineMode.Live : EngineMode.Quality,
            WireMode.Live => EngineMode.Live,
            WireMode.Quality => EngineMode.Quality,
            _ => throw Invalid($"generation.mode {(int)generation.Mode} is unknown; use LIVE or QUALITY."),
        };

        var pipeline = new PipelineOptions
        {
            SampleFps = scenes.SampleFps == 0 ? 4 : scenes.SampleFps,
            Mode = mode,
            BlockMultiple = generation.BlockMultiple == 0 ? 1 : (int)Math.Min(generation.BlockMultiple, int.MaxValue),
            CutCrossfadeMilliseconds = generation.CrossfadeMs == 0 ? 120 : generation.CrossfadeMs,
            Seed = unchecked((long)generation.Seed),
            ChunkMilliseconds = chunkMs,

            // A live stream's frames come one every 1/fps seconds: waiting to fill a batch only adds latency.
            MaxEmbedWait = mode == EngineMode.Live ? TimeSpan.Zero : new PipelineOptions().MaxEmbedWait,
            LiveJitterBuffer = liveJitterBuffer > TimeSpan.Zero ? liveJitterBuffer : null,
            LowDelayDecode = mode == EngineMode.Live || config.Realtime,
        };
        var problems = pipeline.Validate();
        if (problems.Count > 0)
        {
            throw Invalid(string.Join(" ", problems));
        }

        var detector = new SceneDetectorOptions
        {
            Detector = detectorKind,
            FramesPerSecond = pipeline.SampleFps,
            Tau = scenes.Threshold == 0 ? new SceneDetectorOptions().Tau : scenes.Threshold,
            WindowSeconds = scenes.WindowSeconds == 0 ? new SceneDetectorOptions().WindowSeconds : scenes.WindowSeconds,
            LookaheadFrames = scenes.LookaheadFrames == 0 ? new SceneDetectorOptions().LookaheadFrames : (int)Math.Min(scenes.LookaheadFrames, int.MaxValue),
            MinSceneSeconds = scenes.MinSceneSeconds == 0 ? new SceneDetectorOptions().MinSceneSeconds : scenes.MinSceneSeconds,
        };
        try
        {
            detector.Validate();
        }
        catch (SceneDetectionException ex)
        {
            throw Invalid($"scenes: {ex.Message}");
        }

        return new StreamSettings(requestId, modelSet, pipeline, detector, new AudioOutputFormat(encoding, sampleRate, channels, chunkMs), format, config.Realtime);
    }

    private void CheckCaps(SceneConfig scenes, GenerationConfig generation)
    {
        if (scenes.SampleFps > _caps.MaxSampleFps)
        {
            throw OverCap("scenes.sample_fps", scenes.SampleFps, _caps.MaxSampleFps, nameof(Hosting.DaemonOptions.MaxSampleFps));
        }

        if (scenes.WindowSeconds > _caps.MaxWindowSeconds)
        {
            throw OverCap("scenes.window_seconds", scenes.WindowSeconds, _caps.MaxWindowSeconds, nameof(Hosting.DaemonOptions.MaxWindowSeconds));
        }

        if (scenes.LookaheadFrames > _caps.MaxLookaheadFrames)
        {
            throw OverCap("scenes.lookahead_frames", scenes.LookaheadFrames, _caps.MaxLookaheadFrames, nameof(Hosting.DaemonOptions.MaxLookaheadFrames));
        }

        if (generation.BlockMultiple > _caps.MaxBlockMultiple)
        {
            throw OverCap("generation.block_multiple", generation.BlockMultiple, _caps.MaxBlockMultiple, nameof(Hosting.DaemonOptions.MaxBlockMultiple));
        }
    }

    private static RpcException OverCap(string field, double value, double cap, string setting) =>
        Invalid(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{field} {value} is over this server's cap of {cap} (setting Daemon:{setting}); ask for {cap} or less."));

    private static RpcException Invalid(string reason) => new(new Status(StatusCode.InvalidArgument, $"Invalid StreamConfig: {reason}"));
}
