namespace V2AStream.Core.Scenes;

/// <summary>Median and median absolute deviation by selection (O(n) expected), reordering the scratch span in place.</summary>
internal static class RobustStatistics
{
    /// <summary>Scale that turns a MAD into a standard deviation for normal noise (1 / Phi^-1(3/4)).</summary>
    public const double MadToSigma = 1.4826;

    public static double Median(Span<double> values)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        var upperIndex = values.Length / 2;
        var upper = Select(values, upperIndex);
        if (values.Length % 2 == 1)
        {
            return upper;
        }

        // After selection everything left of upperIndex is <= upper; the lower middle is its maximum.
        var lower = double.NegativeInfinity;
        foreach (var value in values[..upperIndex])
        {
            lower = Math.Max(lower, value);
        }

        return (lower + upper) / 2;
    }

    /// <summary>Returns the median and overwrites <paramref name="values"/> with absolute deviations to get the MAD.</summary>
    public static (double Median, double Mad) MedianAndMad(Span<double> values)
    {
        var median = Median(values);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Abs(values[i] - median);
        }

        return (median, Median(values));
    }

    private static double Select(Span<double> values, int k)
    {
        var left = 0;
        var right = values.Length - 1;
        while (left < right)
        {
            // Median-of-three pivot keeps sorted and reversed histories linear.
            var middle = left + ((right - left) / 2);
            var pivot = MedianOfThree(values[left], values[middle], values[right]);
            var i = left;
            var j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }

    private static double MedianOfThree(double a, double b, double c) =>
        Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
}
