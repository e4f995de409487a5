using System.CommandLine;
using V2AStream.Client;

namespace V2AStream.Cli;

/// <summary>
/// An option naming a server (<c>--server</c>, <c>--metrics</c>): <see cref="ServerAddress"/>'s forms, checked when the
/// command line is parsed (a usage error otherwise), shown in help as typed.
/// </summary>
internal sealed class AddressOption : Option<string>
{
    /// <param name="defaultAddress">The address used when the option is not given; null for none.</param>
    /// <param name="example">An address of the kind this option names, for help and errors (the daemon's gRPC or health port).</param>
    public AddressOption(string name, string description, string? defaultAddress, string example)
        : base(name)
    {
        Description = $"{description} {ServerAddress.Forms}, e.g. {example}.";
        HelpName = "HOST:PORT";
        if (defaultAddress is not null)
        {
            DefaultValueFactory = _ => defaultAddress;
        }

        Validators.Add(result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : null;
            if (text is not null && !ServerAddress.TryParse(text, out _))
            {
                result.AddError($"{name} '{text}' is not an address: use {ServerAddress.Forms}, e.g. {example}.");
            }
        });
    }

    /// <summary>The address given (or defaulted) as an http:// or https:// URI; null when absent with no default.</summary>
    public Uri? ValueOf(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return parseResult.GetValue(this) is { } text && ServerAddress.TryParse(text, out var address) ? address : null;
    }
}
