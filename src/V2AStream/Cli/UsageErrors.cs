using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace V2AStream.Cli;

/// <summary>
/// The one line a command line that does not parse gets: what is wrong, the likely intended name for a mistyped command
/// or option, and where the usage is. The first problem is the one reported: the others (a mistyped option's value
/// taken for an argument, a required option that was mistyped) usually follow from it.
/// </summary>
internal static partial class UsageErrors
{
    public static string Describe(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var path = CommandPath(result.CommandResult);
        var help = $"See '{path} --help'.";
        if (result.UnmatchedTokens.Count > 0)
        {
            return $"{Unmatched(result.UnmatchedTokens[0], result.CommandResult, path)} {help}";
        }

        var error = result.Errors[0];
        return $"{Reword(error)} {help}";
    }

    /// <summary>"v2a models check": the command as typed, from the root.</summary>
    public static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (var current = result; current is not null; current = current.Parent as CommandResult)
        {
            names.Insert(0, current.Command is RootCommand ? "v2a" : current.Command.Name);
        }

        return string.Join(' ', names);
    }

    private static string Unmatched(string token, CommandResult commandResult, string path)
    {
        var command = commandResult.Command;
        if (token.StartsWith('-'))
        {
            return $"unknown option '{token}' for '{path}'{DidYouMean(token, OptionNames(commandResult))}";
        }

        if (command.Subcommands.Count > 0 && command.Arguments.Count == 0)
        {
            var names = command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name));
            return $"'{token}' is not a command of '{path}'{DidYouMean(token, names)}";
        }

        return $"unexpected argument '{token}' for '{path}'{DidYouMean(token, OptionNames(commandResult).Select(n => n.TrimStart('-')))}";
    }

    /// <summary>": did you mean 'x'?" when a name is close to <paramref name="typed"/>, else "." to end the sentence.</summary>
    private static string DidYouMean(string typed, IEnumerable<string> names) =>
        SpellingSuggestion.Closest(typed, names) is { } suggestion ? $": did you mean '{suggestion}'?" : ".";

    /// <summary>The options a command takes: its own, and recursive ones (--help) of the commands above it.</summary>
    private static IEnumerable<string> OptionNames(CommandResult commandResult)
    {
        var options = new List<Option>(commandResult.Command.Options);
        for (var parent = commandResult.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
        {
            options.AddRange(parent.Command.Options.Where(o => o.Recursive));
        }

        return options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name));
    }

    /// <summary>System.CommandLine's message, with .NET type names turned into what the value should look like.</summary>
    private static string Reword(ParseError error)
    {
        var message = error.Message;
        if (CannotParse().Match(message) is { Success: true } cannotParse)
        {
            var value = cannotParse.Groups["value"].Value;
            var expected = Expected(cannotParse.Groups["type"].Value);
            return cannotParse.Groups["option"].Success ? $"{cannotParse.Groups["option"].Value} '{value}' is not {expected}." : $"'{value}' is not {expected}.";
        }

        if (RequiredOption().Match(message) is { Success: true } required)
        {
            return $"{required.Groups["option"].Value} is required.";
        }

        if (RequiredArgument().Match(message) is { Success: true } missing)
        {
            return $"'{missing.Groups["command"].Value}' needs its <{missing.Groups["argument"].Value}> argument.";
        }

        return message.EndsWith('.') ? message : message + ".";
    }

    /// <summary>What a value of the .NET type named must look like (nullable types name their underlying type inside).</summary>
    private static string Expected(string typeName) =>
        typeName.Contains("Int", StringComparison.Ordinal) ? "a whole number"
        : typeName.Contains("Double", StringComparison.Ordinal) || typeName.Contains("Single", StringComparison.Ordinal) ? "a number"
        : typeName.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
        : "valid here";

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option '(?<option>[^']+)'|command '[^']+') as expected type '(?<type>[^']+)'\.")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^Option '(?<option>[^']+)' is required\.$")]
    private static partial Regex RequiredOption();

    [GeneratedRegex(@"^Required argument '(?<argument>[^']+)' missing for command: '(?<command>[^']+)'\.$")]
    private static partial Regex RequiredArgument();
}
