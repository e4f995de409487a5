using System.Numerics.Tensors;
using V2AStream.Core.Embedding;

namespace V2AStream.Core.Training;

/// <summary>
/// The audio embedding of each segment of one video (a mapper dataset's clap.npy rows), from that video's samples as they
/// are decoded: the segments are sample ranges in order, without overlap, and the samples arrive once, front to back.
/// <para>
/// The audio tower takes fixed windows (CLAP: 10 s). A segment that fits in one window is repeated to fill it and the
/// rest is silence, which is CLAP's own "repeatpad" for short clips, so the tower sees what it was trained on. A longer
/// segment is cut into consecutive full windows and a last, shorter one (repeat-padded the same way); each window's
/// embedding is L2-normalized and weighted by the samples it covers, and the weighted mean is normalized again. The mean
/// over the whole segment, rather than one 10 s crop (CLAP's "rand_trunc"), matches the mapper's input, which is the mean
/// frame embedding of the whole segment; memory stays at a batch of windows whatever the segment's length.
/// </para>
/// Audio that ends before the last segment does is silence for the rest, as a player plays it. Not thread-safe.
/// </summary>
public sealed class SegmentAudioTargets
{
    private readonly IAudioEmbedder _embedder;
    private readonly (long Start, long End)[] _segments;
    private readonly double[][] _sums;
    private readonly float[] _window;
    private readonly float[] _batch;
    private readonly int[] _batchSegments;
    private readonly int[] _batchWeights;
    private int _batchCount;
    private int _windowFill;
    private int _segment;
    private long _position;

    /// <param name="segments">Sample ranges [start, end) at the embedder's rate, in order, not overlapping, none empty.</param>
    public SegmentAudioTargets(IAudioEmbedder embedder, IReadOnlyList<(long Start, long End)> segments)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(segments);
        for (var i = 0; i < segments.Count; i++)
        {
            if (segments[i].Start < 0 || segments[i].End <= segments[i].Start || (i > 0 && segments[i].Start < segments[i - 1].End))
            {
                throw new ArgumentException("Segments must be non-empty sample ranges in order, without overlap.", nameof(segments));
            }
        }

        _embedder = embedder;
        _segments = [.. segments];
        _sums = [.. segments.Select(_ => new double[embedder.Dim])];
        _window = new float[embedder.WindowSamples];
        var batch = Math.Max(1, embedder.MaxBatchSize);
        _batch = new float[batch * embedder.WindowSamples];
        _batchSegments = new int[batch];
        _batchWeights = new int[batch];
    }

    /// <summary>Takes the next <paramref name="samples"/> of the video's audio.</summary>
    public async Task AddAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        while (!samples.IsEmpty && _segment < _segments.Length)
        {
            var (start, end) = _segments[_segment];
            if (_position < start)
            {
                var skip = (int)Math.Min(samples.Length, start - _position);
                samples = samples[skip..];
                _position += skip;
                continue;
            }

            var take = (int)Math.Min(Math.Min(samples.Length, end - _position), _window.Length - _windowFill);
            samples.Span[..take].CopyTo(_window.AsSpan(_windowFill));
            samples = samples[take..];
            _windowFill += take;
            _position += take;
            if (_windowFill == _window.Length || _position == end)
            {
                await CloseWindowAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Ends the audio (the rest of the segments is silence) and returns one L2-normalized embedding per segment.</summary>
    public async Task<float[][]> CompleteAsync(CancellationToken cancellationToken)
    {
        var silence = new float[_window.Length];
        while (_segment < _segments.Length)
        {
            await AddAsync(silence.AsMemory(0, (int)Math.Min(silence.Length, _segments[^1].End - _position)), cancellationToken).ConfigureAwait(false);
        }

        await EmbedBatchAsync(cancellationToken).ConfigureAwait(false);
        return [.. _sums.Select(Normalize)];
    }

    /// <summary>
    /// CLAP's "repeatpad": <paramref name="samples"/> repeated as many whole times as fit in <paramref name="window"/>,
    /// then zeros (transformers' ClapFeatureExtractor: n_repeat = int(max_length / len), tile, pad with 0).
    /// </summary>
    internal static void RepeatPad(ReadOnlySpan<float> samples, Span<float> window)
    {
        if (samples.IsEmpty || samples.Length > window.Length)
        {
            throw new ArgumentException("Repeat-padding needs 1 to window-length samples.", nameof(samples));
        }

        var repeats = window.Length / samples.Length;
        for (var r = 0; r < repeats; r++)
        {
            samples.CopyTo(window[(r * samples.Length)..]);
        }

        window[(repeats * samples.Length)..].Clear();
    }

    private async Task CloseWindowAsync(CancellationToken cancellationToken)
    {
        var slot = _batchCount;
        var destination = _batch.AsSpan(slot * _window.Length, _window.Length);
        RepeatPad(_window.AsSpan(0, _windowFill), destination);
        _batchSegments[slot] = _segment;
        _batchWeights[slot] = _windowFill;
        _batchCount++;
        _windowFill = 0;
        if (_position == _segments[_segment].End)
        {
            _segment++;
        }

        if (_batchCount == _batchSegments.Length)
        {
            await EmbedBatchAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EmbedBatchAsync(CancellationToken cancellationToken)
    {
        if (_batchCount == 0)
        {
            return;
        }

        var dim = _embedder.Dim;
        var embeddings = new float[_batchCount * dim];
        await _embedder.EmbedAsync(_batch.AsMemory(0, _batchCount * _window.Length), embeddings, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < _batchCount; i++)
        {
            var embedding = embeddings.AsSpan(i * dim, dim);
            var norm = TensorPrimitives.Norm(embedding);
            if (!(norm > 0) || !float.IsFinite(norm))
            {
                continue;
            }

            var sum = _sums[_batchSegments[i]];
            var weight = _batchWeights[i] / (double)norm;
            for (var d = 0; d < dim; d++)
            {
                sum[d] += weight * embedding[d];
            }
        }

        _batchCount = 0;
    }

    private static float[] Normalize(double[] sum)
    {
        var norm = Math.Sqrt(sum.Sum(v => v * v));
        return norm > 0 ? [.. sum.Select(v => (float)(v / norm))] : new float[sum.Length];
    }
}
