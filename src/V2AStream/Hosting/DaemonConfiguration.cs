using Microsoft.Extensions.Configuration;

namespace V2AStream.Hosting;

/// <summary>
/// Builds <see cref="DaemonOptions"/> from appsettings.json (next to the program, or a file given),
/// then V2A__-prefixed environment variables (V2A__Daemon__MaxStreams=8), then command-line flags. A TokenFile is
/// read here, so the options come out with the token in <see cref="DaemonOptions.Token"/>.
/// </summary>
internal static class DaemonConfiguration
{
    public const string EnvironmentPrefix = "V2A__";

    /// <summary>The layered configuration; <paramref name="flags"/> are "Daemon:Key" pairs from the command line.</summary>
    public static IConfigurationRoot Build(string? settingsFile, IReadOnlyDictionary<string, string?> flags, IDictionary<string, string?>? environment = null)
    {
        var builder = new ConfigurationBuilder();
        var file = settingsFile ?? Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        if (settingsFile is not null && !File.Exists(settingsFile))
        {
            throw new DaemonConfigurationException($"Settings file '{settingsFile}' does not exist.");
        }

        builder.AddJsonFile(file, optional: settingsFile is null, reloadOnChange: false);
        if (environment is null)
        {
            builder.AddEnvironmentVariables(EnvironmentPrefix);
        }
        else
        {
            // Tests pass their own environment so they do not depend on, or change, the process's.
            builder.AddInMemoryCollection(environment
                .Where(e => e.Key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
                .Select(e => KeyValuePair.Create(e.Key[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), e.Value)));
        }

        builder.AddInMemoryCollection(flags);
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException ex)
        {
            throw new DaemonConfigurationException($"Settings file '{file}' is not valid JSON: {ex.InnerException?.Message ?? ex.Message}");
        }
    }

    /// <summary>Binds and validates the "Daemon" section; every problem is reported at once.</summary>
    public static DaemonOptions Bind(IConfiguration configuration)
    {
        DaemonOptions options;
        try
        {
            options = configuration.GetSection(DaemonOptions.SectionName).Get<DaemonOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new DaemonOptions();
        }
        catch (InvalidOperationException ex)
        {
            throw new DaemonConfigurationException($"Invalid daemon setting: {ex.Message}");
        }

        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new DaemonConfigurationException($"Invalid daemon settings: {string.Join(" ", problems)}");
        }

        return string.IsNullOrEmpty(options.TokenFile) ? options : options with { Token = ReadTokenFile(options.TokenFile) };
    }

    private static string ReadTokenFile(string path)
    {
        string token;
        try
        {
            token = File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DaemonConfigurationException($"TokenFile '{path}' cannot be read: {ex.Message}");
        }

        return token.Length >= 16 ? token : throw new DaemonConfigurationException($"The token in TokenFile '{path}' must be at least 16 characters.");
    }
}
