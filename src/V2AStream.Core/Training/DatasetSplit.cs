using System.Globalization;

namespace V2AStream.Core.Training;

/// <summary>
/// Which rows of one dataset train the mapper and which are held out for validation. Segments of the same video
/// look and sound alike, so a dataset of at least <see cref="MinVideosForVideoSplit"/> videos holds out whole
/// videos (taken in a seeded random order when they bring the held-out count nearer the share); a smaller one holds out single segments.
/// The split depends only on the dataset's content (<see cref="MapperDataset.Fingerprint"/>), the fraction and the
/// seed, so evaluation finds the held-out rows of a training dataset again.
/// </summary>
public sealed class DatasetSplit
{
    public const int MinVideosForVideoSplit = 10;

    private DatasetSplit(int[] training, int[] validation, bool byVideo)
    {
        TrainingRows = training;
        ValidationRows = validation;
        ByVideo = byVideo;
    }

    /// <summary>Rows that train, in ascending order.</summary>
    public IReadOnlyList<int> TrainingRows { get; }

    /// <summary>Rows held out, in ascending order.</summary>
    public IReadOnlyList<int> ValidationRows { get; }

    /// <summary>Whether whole videos were held out (otherwise single segments).</summary>
    public bool ByVideo { get; }

    public static DatasetSplit Create(MapperDataset dataset, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var rows = dataset.Count;
        var target = validationFraction <= 0 || rows < 2 ? 0 : Math.Clamp((int)Math.Round(validationFraction * rows), 1, rows - 1);
        var random = new Random(unchecked((seed * 1_000_003) + int.Parse(dataset.Fingerprint.AsSpan(0, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
        var videos = dataset.Description.Segments.Select(s => s.Video).Distinct(StringComparer.Ordinal).ToArray();
        var held = new bool[rows];
        var byVideo = videos.Length >= MinVideosForVideoSplit;
        if (byVideo)
        {
            random.Shuffle(videos);
            var heldVideos = new HashSet<string>(StringComparer.Ordinal);
            var count = 0;
            var rowsOfVideo = dataset.Description.Segments.CountBy(s => s.Video, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            foreach (var video in videos)
            {
                // Take a video when it brings the held-out count nearer the target, never all the rows.
                var after = count + rowsOfVideo[video];
                if (Math.Abs(after - target) < Math.Abs(count - target) && after < rows)
                {
                    heldVideos.Add(video);
                    count = after;
                }
            }

            for (var row = 0; row < rows; row++)
            {
                held[row] = heldVideos.Contains(dataset.Description.Segments[row].Video);
            }
        }
        else
        {
            var order = Enumerable.Range(0, rows).ToArray();
            random.Shuffle(order);
            foreach (var row in order.AsSpan(0, target))
            {
                held[row] = true;
            }
        }

        var training = Enumerable.Range(0, rows).Where(r => !held[r]).ToArray();
        var validation = Enumerable.Range(0, rows).Where(r => held[r]).ToArray();
        return new DatasetSplit(training, validation, byVideo);
    }
}
