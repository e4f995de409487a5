using System.Globalization;
using V2AStream.Core.Embedding;
using V2AStream.Core.Media;
using V2AStream.Core.Scenes;

namespace V2AStream.Core.Training;

/// <summary>
/// Makes a mapper dataset (<see cref="MapperDataset"/>) from videos, the way V2A-SceneDetector trains its mapper: each
/// video's frames embedded by the set's embedder at <see cref="DatasetBuildSettings.Fps"/> (through the pipeline's one
/// ingest and embedding loop, <see cref="VideoEmbeddings"/>), its scenes found by the project's detector on those
/// embeddings (or the whole video as one segment), segments shorter than the minimum dropped, and per segment the mean
/// frame embedding and the audio embedding of the segment's sound (<see cref="SegmentAudioTargets"/>, decoded by
/// <see cref="AudioReader"/> at the audio embedder's rate). A video without audio, without a segment long enough, or
/// that ffmpeg cannot read whole is skipped and listed, never fatal. Finished videos go to the folder's
/// <see cref="DatasetJournal"/> one by one, so a rerun skips them; the three dataset files are written at the end, in the
/// order the videos were given.
/// </summary>
public sealed class MapperDatasetBuilder
{
    private readonly IFrameEmbedder _embedder;
    private readonly IAudioEmbedder _audioEmbedder;
    private readonly DatasetBuildSettings _settings;
    private readonly SceneDetectorOptions _detectorOptions;
    private readonly FrameReaderOptions _readerOptions;

    /// <summary>Throws <see cref="TrainingException"/> (InvalidOptions) for settings out of range.</summary>
    public MapperDatasetBuilder(IFrameEmbedder embedder, IAudioEmbedder audioEmbedder, DatasetBuildSettings settings)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(audioEmbedder);
        ArgumentNullException.ThrowIfNull(settings);
        if (!(settings.Fps >= FrameReaderOptions.MinSampleFps && settings.Fps <= FrameReaderOptions.MaxSampleFps))
        {
            throw Invalid($"fps must be {FrameReaderOptions.MinSampleFps} to {FrameReaderOptions.MaxSampleFps}, got {settings.Fps}");
        }

        if (!(settings.MinSegmentSeconds >= 0) || !double.IsFinite(settings.MinSegmentSeconds))
        {
            throw Invalid($"the minimum segment must be a finite number of seconds >= 0, got {settings.MinSegmentSeconds}");
        }

        if (settings.Segments is not (DatasetBuildSettings.ScenesSegmentation or DatasetBuildSettings.WholeSegmentation))
        {
            throw Invalid($"segments must be {DatasetBuildSettings.ScenesSegmentation} or {DatasetBuildSettings.WholeSegmentation}, got '{settings.Segments}'");
        }

        try
        {
            _detectorOptions = new SceneDetectorOptions { Detector = SceneDetectors.ParseKind(settings.Detector), Tau = settings.Tau, FramesPerSecond = settings.Fps };
            _detectorOptions.Validate();
        }
        catch (SceneDetectionException ex)
        {
            throw new TrainingException(TrainingErrorReason.InvalidOptions, ex.Message, innerException: ex);
        }

        _embedder = embedder;
        _audioEmbedder = audioEmbedder;
        _settings = settings;
        _readerOptions = new FrameReaderOptions { SampleFps = settings.Fps, Geometry = embedder.Geometry };
    }

    /// <summary>
    /// Builds the dataset of <paramref name="videos"/> (paths) in <paramref name="directory"/>, reporting after each video.
    /// Throws <see cref="TrainingException"/> when the folder's journal has other settings; a model that fails stops the
    /// build (its exception), a video that fails is skipped. Cancelled, the videos finished so far stay in the journal.
    /// </summary>
    public async Task<DatasetBuildResult> BuildAsync(IReadOnlyList<string> videos, string directory, IProgress<DatasetBuildProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(videos);
        var full = Path.GetFullPath(directory);
        var journal = await DatasetJournal.OpenAsync(full, _settings, cancellationToken).ConfigureAwait(false);
        var entries = new List<DatasetJournalEntry>(videos.Count);
        var resumed = 0;
        var rows = 0;
        foreach (var video in videos)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = DatasetJournalEntry.KeyOf(Path.GetFullPath(video));
            var entry = journal.Find(key);
            if (entry is not null)
            {
                resumed++;
            }
            else
            {
                entry = await ProcessAsync(video, key, cancellationToken).ConfigureAwait(false);
                await journal.AppendAsync(entry, cancellationToken).ConfigureAwait(false);
            }

            entries.Add(entry with { Video = video });
            rows += entry.Segments.Count;
            progress?.Report(new DatasetBuildProgress(entries.Count, videos.Count, video, rows));
        }

        var skipped = entries.Where(e => e.Skipped is not null).Select(e => new DatasetSkip(e.Video, e.Skipped!)).ToArray();
        if (rows == 0)
        {
            return new DatasetBuildResult(full, null, videos.Count, resumed, skipped);
        }

        var segments = entries.SelectMany(e => e.Segments.Select(s => (e.Video, Segment: s))).ToArray();
        var dataset = new MapperDataset(
            new NpyArray(segments.Length, _embedder.Dim, [.. segments.SelectMany(s => s.Segment.Clip)]),
            new NpyArray(segments.Length, _audioEmbedder.Dim, [.. segments.SelectMany(s => s.Segment.Clap)]),
            new DatasetDescription
            {
                ModelSet = _settings.ModelSet,
                Fps = _settings.Fps,
                Segments = [.. segments.Select(s => new DatasetSegment(s.Video, s.Segment.StartSeconds, s.Segment.EndSeconds, s.Segment.SceneIndex))],
                Skipped = skipped,
            },
            full);
        await dataset.WriteAsync(full, cancellationToken).ConfigureAwait(false);
        return new DatasetBuildResult(full, dataset, videos.Count, resumed, skipped);
    }

    private async Task<DatasetJournalEntry> ProcessAsync(string video, string key, CancellationToken cancellationToken)
    {
        var source = MediaSource.FromFile(Path.GetFullPath(video));
        try
        {
            var probe = await new MediaProber(_readerOptions).ProbeAsync(source, cancellationToken).ConfigureAwait(false);
            if (probe is { HasVideo: false })
            {
                return Skip("no video stream");
            }

            if (probe is { HasAudio: false })
            {
                return Skip("no audio track");
            }

            var frames = await VideoEmbeddings.EmbedAsync(source, new FrameReader(_readerOptions), _embedder, cancellationToken).ConfigureAwait(false);
            if (frames.Damage is { } damage)
            {
                // Its later frames and sound are missing: a row from what is left would pair a cut-off scene with its audio.
                return Skip($"damaged: {damage.Message}");
            }

            if (frames.Embeddings.Rows == 0)
            {
                return Skip("no frames");
            }

            var kept = FindSegments(frames).Where(s => s.EndSeconds - s.StartSeconds >= _settings.MinSegmentSeconds - 1e-9).ToArray();
            if (kept.Length == 0)
            {
                return Skip(string.Create(CultureInfo.InvariantCulture, $"no segment of {_settings.MinSegmentSeconds:0.###} s or more"));
            }

            var clap = await EmbedAudioAsync(source, kept, cancellationToken).ConfigureAwait(false);
            var segments = kept.Select((s, i) => new DatasetJournalSegment(s.StartSeconds, s.EndSeconds, s.Index, MeanOfRows(frames.Embeddings, s.StartFrame, s.EndFrame), clap[i]))
                .Where(s => s.Clap.Any(v => v != 0))
                .ToArray();
            return segments.Length == 0 ? Skip("the audio embedder gave no usable embedding") : new DatasetJournalEntry(key, video, segments, null);
        }
        catch (MediaException ex)
        {
            return Skip($"unreadable: {ex.Message}");
        }

        DatasetJournalEntry Skip(string reason) => new(key, video, [], reason);
    }

    /// <summary>
    /// The video's scenes (or the whole video), numbered in scene order, timed by their frames' media times (which keep
    /// a gap in the video's timestamps, where the audio has silence) rather than by frame counts.
    /// </summary>
    private IEnumerable<(int Index, int StartFrame, int EndFrame, double StartSeconds, double EndSeconds)> FindSegments(VideoEmbeddings frames)
    {
        var embeddings = frames.Embeddings;
        var scenes = _settings.Segments == DatasetBuildSettings.WholeSegmentation
            ? SceneDetectionResult.FromCuts(embeddings.Rows, _settings.Fps, []).Scenes
            : SceneDetectors.Create(_detectorOptions).Detect(embeddings.Data, embeddings.Columns).Scenes;
        var frameSeconds = 1 / _settings.Fps;
        return scenes.Select((s, i) => (i, s.StartFrame, s.EndFrame, frames.Timestamps[s.StartFrame], frames.Timestamps[s.EndFrame] + frameSeconds));
    }

    private async Task<float[][]> EmbedAudioAsync(MediaSource source, IReadOnlyList<(int Index, int StartFrame, int EndFrame, double StartSeconds, double EndSeconds)> segments, CancellationToken cancellationToken)
    {
        var rate = _audioEmbedder.SampleRate;
        var targets = new SegmentAudioTargets(_audioEmbedder, [.. segments.Select(s => ((long)Math.Round(s.StartSeconds * rate), (long)Math.Round(s.EndSeconds * rate)))]);
        await foreach (var samples in new AudioReader(_readerOptions).ReadSamplesAsync(source, rate, cancellationToken).ConfigureAwait(false))
        {
            await targets.AddAsync(samples, cancellationToken).ConfigureAwait(false);
        }

        return await targets.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The mean of rows <paramref name="first"/>..<paramref name="last"/> (inclusive), summed in double as the pipeline's scene means are.</summary>
    private static float[] MeanOfRows(NpyArray rows, int first, int last)
    {
        var sum = new double[rows.Columns];
        for (var r = first; r <= last; r++)
        {
            var row = rows.Row(r);
            for (var d = 0; d < sum.Length; d++)
            {
                sum[d] += row[d];
            }
        }

        var count = last - first + 1;
        return [.. sum.Select(v => (float)(v / count))];
    }

    private static TrainingException Invalid(string what) =>
        new(TrainingErrorReason.InvalidOptions, string.Create(CultureInfo.InvariantCulture, $"invalid dataset settings: {what}."));
}
