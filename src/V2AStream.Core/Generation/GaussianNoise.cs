namespace V2AStream.Core.Generation;

/// <summary>
/// Seeded standard-normal noise that is the same on every machine and .NET version (System.Random's
/// algorithm is not a contract). Counter-based: value i of seed s is a Box–Muller transform of two
/// uniforms u1, u2 in (0, 1), each the top 53 bits of SplitMix64's output mixer applied to
/// s·0x9E3779B97F4A7C15 + 2i (+1 for u2), plus half an ulp so neither is 0:
/// z = sqrt(-2 ln u1) · cos(2π u2), computed in double and rounded to float.
/// Any element can be computed alone, so a latent of any shape is reproducible from (seed, index).
/// </summary>
public static class GaussianNoise
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>Fills <paramref name="destination"/> with values <paramref name="offset"/>.. of the sequence for <paramref name="seed"/>.</summary>
    public static void Fill(long seed, Span<float> destination, long offset = 0)
    {
        var key = unchecked((ulong)seed * Golden);
        for (var i = 0; i < destination.Length; i++)
        {
            var counter = unchecked(key + (2UL * (ulong)(offset + i)));
            var u1 = ToUnit(Mix(counter));
            var u2 = ToUnit(Mix(counter + 1));
            destination[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
    }

    /// <summary>SplitMix64's output function (Steele, Lea, Flood 2014), a bijective 64-bit mixer.</summary>
    internal static ulong Mix(ulong z)
    {
        unchecked
        {
            z += Golden;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    private static double ToUnit(ulong bits) => ((bits >> 11) + 0.5) * (1.0 / (1UL << 53));
}
