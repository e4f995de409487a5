using System.Globalization;

namespace V2AStream.Grpc.Protocol;

/// <summary>The grpc-timeout header: at most 8 ASCII digits then a unit H, M, S, m, u or n.</summary>
internal static class GrpcTimeout
{
    private const int MaxDigits = 8;
    private const long MaxValue = 99_999_999;

    /// <summary>Parses <paramref name="value"/>; false (with a reason) when it breaks the grammar.</summary>
    public static bool TryParse(string value, out TimeSpan timeout, out string error)
    {
        timeout = default;
        error = string.Empty;
        if (value.Length < 2 || value.Length > MaxDigits + 1)
        {
            error = $"grpc-timeout '{value}' is malformed: expected 1 to 8 digits followed by a unit H, M, S, m, u or n.";
            return false;
        }

        var digits = value.AsSpan(0, value.Length - 1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                error = $"grpc-timeout '{value}' is malformed: expected 1 to 8 digits followed by a unit H, M, S, m, u or n.";
                return false;
            }
        }

        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        long? ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * TimeSpan.TicksPerMicrosecond,
            // Round up so a sub-tick timeout is still a (tiny) deadline, not none.
            'n' => (amount + 99) / 100,
            _ => null,
        };
        if (ticks is null)
        {
            error = $"grpc-timeout '{value}' has unknown unit '{value[^1]}': use H, M, S, m, u or n.";
            return false;
        }

        timeout = TimeSpan.FromTicks(ticks.Value);
        return true;
    }

    /// <summary>Formats <paramref name="timeout"/> with the finest unit that fits in 8 digits, rounding up.</summary>
    public static string Format(TimeSpan timeout)
    {
        var ticks = Math.Max(timeout.Ticks, 0);
        ReadOnlySpan<(long TicksPerUnit, char Unit)> units =
        [
            (TimeSpan.TicksPerMicrosecond, 'u'),
            (TimeSpan.TicksPerMillisecond, 'm'),
            (TimeSpan.TicksPerSecond, 'S'),
            (TimeSpan.TicksPerMinute, 'M'),
            (TimeSpan.TicksPerHour, 'H'),
        ];
        foreach (var (ticksPerUnit, unit) in units)
        {
            var amount = (ticks + ticksPerUnit - 1) / ticksPerUnit;
            if (amount <= MaxValue)
            {
                return amount.ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return MaxValue.ToString(CultureInfo.InvariantCulture) + "H";
    }
}
