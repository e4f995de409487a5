using FsCheck;
using FsCheck.Fluent;

namespace V2AStream.Core.Tests.Fuzzing;

/// <summary>
/// Mutation fuzzing with FsCheck: inputs made from a valid seed by 1 to 8 edits (a byte overwritten with a random or an
/// "interesting" value, a run inserted, deleted or overwritten, the tail cut off), and a check that a parser meets
/// every one of at least <see cref="CasesPerParser"/> inputs with either a result or its own exception type carrying a
/// one-line message, never anything else.
/// </summary>
internal static class Mutants
{
    public const int CasesPerParser = 10_000;

    /// <summary>The seed's mutants; <paramref name="alphabet"/> holds the byte values worth trying (digits, brackets, quotes...).</summary>
    public static Gen<byte[]> Of(byte[] seed, byte[] alphabet)
    {
        var value = Gen.OneOf(Gen.Elements(alphabet), Gen.Choose(0, 255).Select(b => (byte)b));
        var edit = from kind in Gen.Choose(0, 4)
                   from position in Gen.Choose(0, int.MaxValue)
                   from b in value
                   from length in Gen.Choose(1, 16)
                   select (Kind: kind, Position: position, Value: b, Length: length);
        return from count in Gen.Choose(1, 8)
               from edits in edit.ArrayOf(count)
               select Apply(seed, edits);
    }

    /// <summary>Runs <paramref name="parse"/> on <see cref="CasesPerParser"/> inputs; fails with the input when it throws anything but <typeparamref name="TOwn"/>.</summary>
    public static int Check<TOwn>(Gen<byte[]> inputs, Action<byte[]> parse)
        where TOwn : Exception
    {
        var cases = 0;
        var refused = 0;
        Prop.ForAll(Arb.From(inputs), input =>
        {
            cases++;
            try
            {
                parse(input);
                return true;
            }
            catch (TOwn own)
            {
                refused++;
                if (own.Message.Length is 0 or > 600 || own.Message.Contains('\n', StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{typeof(TOwn).Name} without a one-line message: {own.Message}");
                }

                return true;
            }
            catch (Exception other)
            {
                throw new InvalidOperationException($"{other.GetType().Name} ({other.Message}) on input {Convert.ToBase64String(input)}", other);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(CasesPerParser).WithQuietOnSuccess(true));
        Assert.Equal(CasesPerParser, cases);
        return refused;
    }

    private static byte[] Apply(byte[] seed, (int Kind, int Position, byte Value, int Length)[] edits)
    {
        var bytes = new List<byte>(seed);
        foreach (var (kind, position, value, length) in edits)
        {
            var at = position % (bytes.Count + 1);
            switch (kind)
            {
                case 0 when at < bytes.Count:
                    bytes[at] = value;
                    break;
                case 1:
                    bytes.InsertRange(at, Enumerable.Repeat(value, length));
                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(length, bytes.Count - at));
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    for (var i = at; i < Math.Min(at + length, bytes.Count); i++)
                    {
                        bytes[i] = value;
                    }

                    break;
            }
        }

        return [.. bytes];
    }
}
