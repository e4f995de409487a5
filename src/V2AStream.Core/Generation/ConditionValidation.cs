namespace V2AStream.Core.Generation;

/// <summary>Checks a condition at the generator's edge: non-empty, the right length, finite.</summary>
internal static class ConditionValidation
{
    public static void Check(ReadOnlySpan<float> condition, int? dimension)
    {
        if (condition.IsEmpty)
        {
            throw new ArgumentException("The condition is empty.", nameof(condition));
        }

        if (dimension is { } expected && condition.Length != expected)
        {
            throw new ArgumentException($"The condition has {condition.Length} values; this generator needs {expected} (a CLAP-space vector: use a mapper that outputs {expected}-d).", nameof(condition));
        }

        for (var i = 0; i < condition.Length; i++)
        {
            if (!float.IsFinite(condition[i]))
            {
                throw new ArgumentException($"The condition has a non-finite value ({condition[i]}) at index {i}.", nameof(condition));
            }
        }
    }
}
