using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using V2AStream.Protos.V1;
using V2AStream.Testing;
using V2AStreamApi = V2AStream.Protos.V1.V2AStream;

namespace V2AStream.Tests.Soak;

/// <summary>
/// A tiny in-process gRPC server (Grpc.AspNetCore) whose Generate reads the whole request, then answers 0.5 s audio
/// chunks at scripted moments: before each chunk it sets the shared clock to the chunk's arrival time and waits until
/// the client has seen the chunk, so the client's measurements are exact. Or it fails with a given status.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    public const double ChunkSeconds = 0.5;

    private readonly WebApplication _app;
    private readonly ScriptedService _service;

    private ScriptedServer(WebApplication app, ScriptedService service, Uri address)
    {
        _app = app;
        _service = service;
        Address = address;
    }

    public Uri Address { get; }

    public long BytesReceived => _service.BytesReceived;

    public static async Task<ScriptedServer> StartAsync(ScriptedTimeProvider clock, IReadOnlyList<double> arrivals, SemaphoreSlim chunkSeen, StatusCode? failWith = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var service = new ScriptedService(clock, arrivals, chunkSeen, failWith);
        builder.Services.AddSingleton(service);
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<ScriptedService>();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new ScriptedServer(app, service, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class ScriptedService(ScriptedTimeProvider clock, IReadOnlyList<double> arrivals, SemaphoreSlim chunkSeen, StatusCode? failWith) : V2AStreamApi.V2AStreamBase
    {
        public long BytesReceived { get; private set; }

        public override async Task Generate(IAsyncStreamReader<GenerateRequest> requestStream, IServerStreamWriter<GenerateResponse> responseStream, ServerCallContext context)
        {
            long bytes = 0;
            await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
            {
                if (failWith is { } status)
                {
                    throw new RpcException(new Status(status, "scripted failure"));
                }

                bytes += request.Media?.Length ?? 0;
            }

            BytesReceived = bytes;
            await responseStream.WriteAsync(new GenerateResponse { Started = new StreamStarted { RequestId = "scripted" } }, context.CancellationToken);
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
                await responseStream.WriteAsync(new GenerateResponse { Audio = chunk }, context.CancellationToken);
                if (!await chunkSeen.WaitAsync(TimeSpan.FromSeconds(30), context.CancellationToken))
                {
                    throw new RpcException(new Status(StatusCode.DeadlineExceeded, "the client never saw the chunk"));
                }
            }

            await responseStream.WriteAsync(new GenerateResponse { Summary = new StreamSummary { DurationUs = (long)(arrivals.Count * ChunkSeconds * 1e6) } }, context.CancellationToken);
        }
    }
}
