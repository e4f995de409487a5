using System.CommandLine;

namespace V2AStream.Cli;

/// <summary>
/// An option that takes one of a few named values (<c>--mode live|quality</c>, <c>--format wav|s16le|f32le</c>,
/// <c>--sample-rate 16000|44100|48000</c>): shown in help as <c>--mode &lt;live|quality&gt;</c> with its default in the
/// same spelling, parsed case-insensitively, and a value not among them is a usage error that lists them. The parsed
/// value is the choice's canonical name; <see cref="ValueOf"/> gives what it stands for.
/// </summary>
internal sealed class ChoiceOption<T> : Option<string>
{
    private readonly IReadOnlyList<(string Name, T Value)> _choices;
    private readonly T _absent;

    /// <param name="choices">Each choice's name as typed (lower case) and its value.</param>
    /// <param name="defaultName">The choice used when the option is not given; null for none (then <see cref="ValueOf"/> gives <paramref name="absent"/>).</param>
    public ChoiceOption(string name, string description, IReadOnlyList<(string Name, T Value)> choices, string? defaultName, T absent = default!)
        : base(name)
    {
        _choices = choices;
        _absent = absent;
        var names = choices.Select(c => c.Name).ToArray();
        Description = description;
        HelpName = string.Join('|', names);
        CompletionSources.Add(names);
        if (defaultName is not null)
        {
            DefaultValueFactory = _ => defaultName;
        }

        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            var match = names.FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                result.AddError($"{name} '{text}' is not valid: use {Listing(names)}.");
            }

            return match;
        };
    }

    /// <summary>The value of the choice given (or defaulted).</summary>
    public T ValueOf(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var name = parseResult.GetValue(this);
        return name is null ? _absent : _choices.First(c => c.Name == name).Value;
    }

    /// <summary>"a, b or c".</summary>
    internal static string Listing(IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} or {names[^1]}";
}
