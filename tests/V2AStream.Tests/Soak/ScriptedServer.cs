using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using V2AStream.Grpc;
using V2AStream.Grpc.Server;
using V2AStream.Protos.V1;
using V2AStream.Testing;

namespace V2AStream.Tests.Soak;

/// <summary>
/// A tiny in-process gRPC server whose Generate reads the whole request, then answers 0.5 s audio chunks at scripted
/// moments: before each chunk it sets the shared clock to the chunk's arrival time and waits until the client has
/// seen the chunk, so the client's measurements are exact. Or it fails with a given status.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    public const double ChunkSeconds = 0.5;

    private readonly WebApplication _app;

    private ScriptedServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public long BytesReceived { get; private set; }

    public static async Task<ScriptedServer> StartAsync(ScriptedTimeProvider clock, IReadOnlyList<double> arrivals, SemaphoreSlim chunkSeen, StatusCode? failWith = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpcTransport(_ => { });
        var app = builder.Build();
        ScriptedServer? server = null;
        async Task GenerateAsync(IAsyncEnumerable<GenerateRequest> requests, IServerStreamWriter<GenerateResponse> responses, ServerCallContext context)
        {
            long bytes = 0;
            await foreach (var request in requests)
            {
                if (failWith is { } status)
                {
                    throw new RpcException(status, "scripted failure");
                }

                bytes += request.Media?.Length ?? 0;
            }

            server!.BytesReceived = bytes;
            await responses.WriteAsync(new GenerateResponse { Started = new StreamStarted { RequestId = "scripted" } }, context.CancellationToken);
            for (var k = 0; k < arrivals.Count; k++)
            {
                clock.Set(arrivals[k]);
                var chunk = new AudioChunk
                {
                    Sequence = (ulong)k,
                    StartUs = (long)(k * ChunkSeconds * 1e6),
                    DurationUs = (long)(ChunkSeconds * 1e6),
                    Encoding = AudioEncoding.PcmF32Le,
                    SampleRate = 16000,
                    Channels = 1,
                    Data = ByteString.CopyFrom(new byte[64]),
                };
                await responses.WriteAsync(new GenerateResponse { Audio = chunk }, context.CancellationToken);
                if (!await chunkSeen.WaitAsync(TimeSpan.FromSeconds(30), context.CancellationToken))
                {
                    throw new RpcException(StatusCode.DeadlineExceeded, "the client never saw the chunk");
                }
            }

            await responses.WriteAsync(new GenerateResponse { Summary = new StreamSummary { DurationUs = (long)(arrivals.Count * ChunkSeconds * 1e6) } }, context.CancellationToken);
        }

        app.MapGrpcService(new GrpcServiceBuilder(V2AstreamReflection.Descriptor.Services[0]).AddDuplexStreaming<GenerateRequest, GenerateResponse>("Generate", GenerateAsync).Build());
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        server = new ScriptedServer(app, address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
