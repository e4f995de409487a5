namespace V2AStream.Client;

/// <summary>The token a client sends: --token, else the content of --token-file, else the V2A_TOKEN environment variable.</summary>
internal static class ClientToken
{
    public const string EnvironmentVariable = "V2A_TOKEN";

    /// <summary>The token, or null for none; throws <see cref="IOException"/> when the token file cannot be read.</summary>
    public static string? Resolve(string? token, string? tokenFile)
    {
        if (!string.IsNullOrEmpty(token))
        {
            return token;
        }

        if (!string.IsNullOrEmpty(tokenFile))
        {
            try
            {
                return File.ReadAllText(tokenFile).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"--token-file '{tokenFile}' cannot be read: {ex.Message}", ex);
            }
        }

        return Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
    }
}
