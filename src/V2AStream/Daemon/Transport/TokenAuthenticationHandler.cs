using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace V2AStream.Daemon.Transport;

/// <summary>
/// The daemon's token as an ASP.NET Core authentication scheme: a request carrying "authorization: Bearer TOKEN" (compared
/// in constant time) is authenticated, any other is not. Authorization runs before the gRPC endpoint, so a refused call
/// is answered with HTTP 401 (UNAUTHENTICATED to every gRPC client) before a byte of its request body is read; a Grpc
/// interceptor would run only after Grpc.AspNetCore has read a unary or server-streaming call's message, up to 4 MiB.
/// </summary>
internal sealed class TokenAuthenticationHandler(IOptionsMonitor<TokenAuthenticationOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder)
    : AuthenticationHandler<TokenAuthenticationOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "Bearer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var given = Encoding.UTF8.GetBytes(Request.Headers.Authorization.ToString());
        var expected = Encoding.UTF8.GetBytes($"Bearer {Options.Token}");
        return Task.FromResult(CryptographicOperations.FixedTimeEquals(given, expected)
            ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(SchemeName)), SchemeName))
            : AuthenticateResult.NoResult());
    }
}
