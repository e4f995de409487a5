using System.Globalization;
using System.Text.RegularExpressions;

namespace V2AStream.Tests.Daemon.Metrics;

/// <summary>
/// A strict reader of the Prometheus text format 0.0.4, for tests: every family has exactly one HELP and one
/// TYPE line before its samples, names and label names are valid, label values use only the three escapes,
/// samples belong to the family just declared, no sample repeats, counters are not negative, and every
/// histogram's buckets are cumulative, end at le="+Inf" and agree with its _count, beside a _sum.
/// Throws <see cref="FormatException"/> naming the line on the first violation.
/// </summary>
internal static partial class PrometheusTextParser
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public sealed record Family(string Name, string Type, string Help, List<Sample> Samples);

    public static Dictionary<string, Family> Parse(string text)
    {
        if (!text.EndsWith('\n'))
        {
            throw new FormatException("The exposition must end with a newline.");
        }

        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        Family? current = null;
        string? pendingHelpName = null;
        string? pendingHelp = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = text[..^1].Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            var where = $"line {n + 1} '{line}'";
            if (line.Length == 0)
            {
                throw new FormatException($"Empty {where}.");
            }

            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line[7..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                var name = space < 0 ? rest : rest[..space];
                RequireName(name, where);
                if (families.ContainsKey(name) || pendingHelpName is not null)
                {
                    throw new FormatException($"Second or misplaced HELP at {where}.");
                }

                pendingHelpName = name;
                pendingHelp = UnescapeHelp(space < 0 ? string.Empty : rest[(space + 1)..], where);
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line[7..].Split(' ');
                if (parts.Length != 2 || parts[0] != pendingHelpName)
                {
                    throw new FormatException($"TYPE must follow its family's HELP at {where}.");
                }

                if (parts[1] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                {
                    throw new FormatException($"Unknown type at {where}.");
                }

                current = new Family(parts[0], parts[1], pendingHelp!, []);
                families.Add(current.Name, current);
                pendingHelpName = null;
                continue;
            }

            if (line.StartsWith('#'))
            {
                throw new FormatException($"Unexpected comment at {where}.");
            }

            if (current is null || pendingHelpName is not null)
            {
                throw new FormatException($"Sample outside a declared family at {where}.");
            }

            var sample = ParseSample(line, where);
            var allowed = current.Type == "histogram"
                ? new[] { current.Name + "_bucket", current.Name + "_sum", current.Name + "_count" }
                : [current.Name];
            if (!allowed.Contains(sample.Name))
            {
                throw new FormatException($"Sample {sample.Name} does not belong to family {current.Name} at {where}.");
            }

            var key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";
            if (!seen.Add(key))
            {
                throw new FormatException($"Repeated sample at {where}.");
            }

            if (current.Type == "counter" && (sample.Value < 0 || double.IsNaN(sample.Value)))
            {
                throw new FormatException($"Negative counter at {where}.");
            }

            current.Samples.Add(sample);
        }

        if (pendingHelpName is not null)
        {
            throw new FormatException($"HELP for {pendingHelpName} without a TYPE.");
        }

        foreach (var family in families.Values.Where(f => f.Type == "histogram"))
        {
            CheckHistogram(family);
        }

        return families;
    }

    private static void CheckHistogram(Family family)
    {
        var series = family.Samples.GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));
        foreach (var one in series)
        {
            var buckets = one.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).ToList();
            if (buckets.Count == 0 || buckets.Any(b => !b.Labels.ContainsKey("le")))
            {
                throw new FormatException($"Histogram {family.Name}{{{one.Key}}} needs _bucket lines with le.");
            }

            var bounds = buckets.Select(b => ParseValue(b.Labels["le"], family.Name)).ToList();
            for (var i = 1; i < buckets.Count; i++)
            {
                if (bounds[i] <= bounds[i - 1] || buckets[i].Value < buckets[i - 1].Value)
                {
                    throw new FormatException($"Histogram {family.Name}{{{one.Key}}}: buckets must rise in le and be cumulative.");
                }
            }

            if (buckets[^1].Labels["le"] != "+Inf")
            {
                throw new FormatException($"Histogram {family.Name}{{{one.Key}}}: the last bucket must be le=\"+Inf\".");
            }

            var count = one.SingleOrDefault(s => s.Name == family.Name + "_count") ?? throw new FormatException($"Histogram {family.Name}{{{one.Key}}} has no _count.");
            _ = one.SingleOrDefault(s => s.Name == family.Name + "_sum") ?? throw new FormatException($"Histogram {family.Name}{{{one.Key}}} has no _sum.");
            if (count.Value != buckets[^1].Value)
            {
                throw new FormatException($"Histogram {family.Name}{{{one.Key}}}: _count differs from the +Inf bucket.");
            }
        }
    }

    private static Sample ParseSample(string line, string where)
    {
        var match = NameRegex().Match(line);
        if (!match.Success)
        {
            throw new FormatException($"Bad metric name at {where}.");
        }

        var name = match.Value;
        var position = name.Length;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var labelMatch = LabelNameRegex().Match(line, position);
                if (!labelMatch.Success || labelMatch.Index != position)
                {
                    throw new FormatException($"Bad label name at {where}.");
                }

                position += labelMatch.Length;
                if (line[position] != '=' || line[position + 1] != '"')
                {
                    throw new FormatException($"Label without =\" at {where}.");
                }

                position += 2;
                var value = new System.Text.StringBuilder();
                while (line[position] != '"')
                {
                    if (line[position] == '\\')
                    {
                        value.Append(line[position + 1] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"Bad escape in a label value at {where}."),
                        });
                        position += 2;
                    }
                    else
                    {
                        value.Append(line[position++]);
                    }
                }

                position++;
                if (!labels.TryAdd(labelMatch.Value, value.ToString()))
                {
                    throw new FormatException($"Repeated label at {where}.");
                }

                if (line[position] == ',')
                {
                    position++;
                }
                else if (line[position] != '}')
                {
                    throw new FormatException($"Labels must be separated by commas at {where}.");
                }
            }

            position++;
        }

        if (position >= line.Length || line[position] != ' ')
        {
            throw new FormatException($"One space must separate the sample from its value at {where}.");
        }

        var fields = line[(position + 1)..].Split(' ');
        if (fields.Length > 2)
        {
            throw new FormatException($"Too many fields at {where}.");
        }

        if (fields.Length == 2 && !long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw new FormatException($"A timestamp must be an integer at {where}.");
        }

        return new Sample(name, labels, ParseValue(fields[0], where));
    }

    private static double ParseValue(string text, string where) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when ValueRegex().IsMatch(text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"Bad value '{text}' at {where}."),
    };

    private static string UnescapeHelp(string help, string where)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < help.Length; i++)
        {
            if (help[i] != '\\')
            {
                text.Append(help[i]);
                continue;
            }

            text.Append(i + 1 < help.Length ? help[++i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                _ => throw new FormatException($"Bad escape in HELP at {where}."),
            } : throw new FormatException($"Dangling backslash in HELP at {where}."));
        }

        return text.ToString();
    }

    private static void RequireName(string name, string where)
    {
        var match = NameRegex().Match(name);
        if (!match.Success || match.Length != name.Length)
        {
            throw new FormatException($"Bad family name at {where}.");
        }
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex NameRegex();

    [GeneratedRegex("[a-zA-Z_][a-zA-Z0-9_]*")]
    private static partial Regex LabelNameRegex();

    [GeneratedRegex(@"^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")]
    private static partial Regex ValueRegex();
}
