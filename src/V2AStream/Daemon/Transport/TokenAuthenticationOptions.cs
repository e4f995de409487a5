using Microsoft.AspNetCore.Authentication;

namespace V2AStream.Daemon.Transport;

/// <summary>The token <see cref="TokenAuthenticationHandler"/> expects after "Bearer ".</summary>
internal sealed class TokenAuthenticationOptions : AuthenticationSchemeOptions
{
    public string Token { get; set; } = string.Empty;
}
