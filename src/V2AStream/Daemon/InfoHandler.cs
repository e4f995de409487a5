using System.Reflection;
using Grpc.Core;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Protos.V1;

namespace V2AStream.Daemon;

/// <summary>GetInfo: versions, the model sets and whether each can run, execution providers and the limits in force.</summary>
internal sealed class InfoHandler(ModelSetRegistry modelSets, StreamLimiter streams, SourcePolicy policy, Hosting.DaemonOptions options, string ffmpegVersion)
{
    public Task<ServerInfo> GetInfoAsync(GetInfoRequest request, ServerCallContext context)
    {
        var runtime = modelSets.Loader.TryGetSessions()?.Runtime;
        var info = new ServerInfo
        {
            ServerVersion = typeof(InfoHandler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            OnnxruntimeVersion = runtime?.Version ?? string.Empty,
            FfmpegVersion = ffmpegVersion,
            DefaultModelSet = modelSets.DefaultSet,
            Limits = new Limits
            {
                MaxReceiveMessageBytes = (uint)options.MaxReceiveMessageBytes,
                MaxStreams = (uint)streams.MaxStreams,
                ActiveStreams = (uint)streams.Active,
                MaxStreamDurationUs = (long)options.MaxStreamDuration.TotalMicroseconds,
                MaxFrameWidth = FrameGeometry.MaxSide,
                MaxFrameHeight = FrameGeometry.MaxSide,
                SourceRootsConfigured = options.AllowRoots.Count > 0,
            },
        };
        info.Limits.AllowedSchemes.AddRange(policy.Schemes.Order(StringComparer.Ordinal));
        info.ExecutionProviders.AddRange(runtime?.Providers ?? []);
        foreach (var entry in modelSets.Entries)
        {
            info.ModelSets.Add(new ModelSetInfo
            {
                Name = entry.Name,
                Embedder = entry.Manifest?.KindOf(ModelPartSlot.Embedder) ?? string.Empty,
                Mapper = entry.Manifest?.KindOf(ModelPartSlot.Mapper) ?? string.Empty,
                Generator = entry.Manifest?.KindOf(ModelPartSlot.Generator) ?? string.Empty,
                SampleRate = (uint)(entry.Manifest?.Find(ModelPartSlot.Generator)?.Spec is GeneratorSpec generator ? generator.SampleRate : 0),
                Available = entry.CanLoad && modelSets.Names.Contains(entry.Name),
                Problem = entry.Problem ?? string.Empty,
            });
        }

        return Task.FromResult(info);
    }
}
