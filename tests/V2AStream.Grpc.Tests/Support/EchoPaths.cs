namespace V2AStream.Grpc.Tests.Support;

internal static class EchoPaths
{
    public const string Unary = "/v2astream.testing.echo.Echo/Unary";
    public const string ServerStream = "/v2astream.testing.echo.Echo/ServerStream";
    public const string ClientStream = "/v2astream.testing.echo.Echo/ClientStream";
    public const string Duplex = "/v2astream.testing.echo.Echo/Duplex";
    public const string Hold = "/v2astream.testing.echo.Echo/Hold";
    public const string Wait = "/v2astream.testing.echo.Echo/Wait";

    public static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);

    public static async IAsyncEnumerable<T> Sequence<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }
}
