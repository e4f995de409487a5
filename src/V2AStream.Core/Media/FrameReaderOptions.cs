namespace V2AStream.Core.Media;

/// <summary>How a <see cref="FrameReader"/> samples and sizes frames and bounds its ffmpeg child. Validated by the reader.</summary>
public sealed record FrameReaderOptions
{
    public const double MinSampleFps = 1;
    public const double MaxSampleFps = 30;
    public const long DefaultMemoryLimitBytes = 1L << 30;
    public const long DefaultMaxPixels = 8192L * 4320;

    /// <summary>The ffmpeg program (name on PATH or a path).</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>The ffprobe program (name on PATH or a path).</summary>
    public string FfprobePath { get; init; } = "ffprobe";

    /// <summary>Frames per second of media time, 1 to 30 (default 4); frame k sits at k / SampleFps.</summary>
    public double SampleFps { get; init; } = 4;

    /// <summary>Size and resize rule of the delivered frames (default CLIP 224).</summary>
    public FrameGeometry Geometry { get; init; } = FrameGeometry.Clip(224);

    /// <summary>A read that waits longer than this for the next frame ends with <see cref="MediaErrorReason.Stalled"/>.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a stopping ffmpeg gets after 'q' / closed stdin before its tree is killed.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>ffmpeg's -probesize: bytes it may read to find the streams (bounds memory and start-up on hostile input).</summary>
    public long ProbeSizeBytes { get; init; } = 5_000_000;

    /// <summary>
    /// Decode for latency rather than throughput: no frame threading, whose pipeline holds back one decoded frame
    /// per extra thread (80 ms at 25 fps on a 2-core machine); slice threading still runs in parallel. For live streams.
    /// </summary>
    public bool LowDelay { get; init; }

    /// <summary>Lines of ffmpeg's stderr kept for error messages.</summary>
    public int StderrTailLines { get; init; } = 24;

    /// <summary>
    /// A jump in the input's timestamps larger than this, forward or backward, starts a new segment on the media clock
    /// instead of being filled with repeated frames (DESIGN.md section 3); default 2 s.
    /// </summary>
    public TimeSpan MaxTimestampGap { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The most private memory (RLIMIT_DATA: heap, anonymous mappings, thread stacks) one ffmpeg/ffprobe child may use;
    /// a child over it fails with <see cref="MediaErrorReason.ResourceLimit"/>. Null: no bound. Default 1 GiB.
    /// </summary>
    public long? MemoryLimitBytes { get; init; } = DefaultMemoryLimitBytes;

    /// <summary>The largest picture, in pixels, the decoder accepts (ffmpeg's -max_pixels); default DCI 8K, 8192 x 4320.</summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;


    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(FfmpegPath);
        ArgumentException.ThrowIfNullOrEmpty(FfprobePath);
        ArgumentNullException.ThrowIfNull(Geometry);
        if (!(SampleFps >= MinSampleFps && SampleFps <= MaxSampleFps))
        {
            throw new ArgumentOutOfRangeException(nameof(SampleFps), SampleFps, $"The sample rate must be between {MinSampleFps} and {MaxSampleFps} frames per second.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StallTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(StopGracePeriod, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(ProbeSizeBytes, 32);
        ArgumentOutOfRangeException.ThrowIfLessThan(StderrTailLines, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxTimestampGap, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxTimestampGap, TimeSpan.FromHours(1));
        if (MemoryLimitBytes is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, 64L << 20, nameof(MemoryLimitBytes));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPixels, 64L * 64);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxPixels, int.MaxValue);
    }
}
