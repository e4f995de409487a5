using System.Globalization;
using System.Text;
using System.Text.Json;
using V2AStream.Core.Files;
using V2AStream.Core.Scenes;

namespace V2AStream.Cli;

/// <summary>
/// Every boundary a detector decided, one row each: frame, time_s, score, threshold, floor, change, min_change, cut. CSV
/// (header first, empty cells for what the detector does not have) when the path ends in .csv, otherwise JSON lines
/// (null for what it does not have).
/// </summary>
internal static class BoundaryScoresFile
{
    public static async Task WriteAsync(OutputFile file, IReadOnlyList<BoundaryScore> boundaries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var csv = file.Path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
        var text = new StringBuilder();
        if (csv)
        {
            text.Append("frame,time_s,score,threshold,floor,change,min_change,cut\n");
        }

        foreach (var b in boundaries)
        {
            text.Append(csv ? CsvRow(b) : JsonRow(b)).Append('\n');
        }

        await File.WriteAllTextAsync(file.TemporaryPath, text.ToString(), cancellationToken).ConfigureAwait(false);
        file.Commit();
    }

    private static string CsvRow(BoundaryScore b) => string.Join(
        ',',
        b.Frame.ToString(CultureInfo.InvariantCulture),
        Number(b.TimeSeconds),
        Number(b.Score),
        Number(b.Threshold),
        b.Floor is { } floor ? Number(floor) : string.Empty,
        b.Change is { } change ? Number(change) : string.Empty,
        b.MinimumChange is { } minimum ? Number(minimum) : string.Empty,
        b.IsCut ? "1" : "0");

    private static string JsonRow(BoundaryScore b) => JsonSerializer.Serialize(new
    {
        frame = b.Frame,
        time_s = b.TimeSeconds,
        score = b.Score,
        threshold = b.Threshold,
        floor = b.Floor,
        change = b.Change,
        min_change = b.MinimumChange,
        cut = b.IsCut,
    });

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
