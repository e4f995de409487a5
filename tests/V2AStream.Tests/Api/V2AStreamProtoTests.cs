using Google.Protobuf.Reflection;
using V2AStream.Protos.V1;

namespace V2AStream.Tests.Api;

/// <summary>The API contract of DESIGN.md section 6, as compiled from protos/v2astream/v1/v2astream.proto.</summary>
public sealed class V2AStreamProtoTests
{
    private static readonly ServiceDescriptor Service = V2AstreamReflection.Descriptor.FindTypeByName<ServiceDescriptor>("V2AStream");

    [Fact]
    public void Service_Methods_HaveTheDesignedShapes()
    {
        Assert.Equal("v2astream.v1.V2AStream", Service.FullName);
        Assert.Equal(
            [("Generate", true, true), ("GenerateFromSource", false, true), ("DetectScenes", false, true), ("GetInfo", false, false)],
            Service.Methods.Select(m => (m.Name, m.IsClientStreaming, m.IsServerStreaming)));
    }

    [Fact]
    public void Messages_KeepTheDesignedFieldNumbers()
    {
        Assert.Equal(1, GenerateRequest.ConfigFieldNumber);
        Assert.Equal(2, GenerateRequest.MediaFieldNumber);
        Assert.Equal(3, GenerateRequest.FrameFieldNumber);
        Assert.Equal(1, SourceRequest.SourceFieldNumber);
        Assert.Equal(2, SourceRequest.ConfigFieldNumber);
        Assert.Equal(
            [1, 2, 3, 4, 5],
            new[] { GenerateResponse.StartedFieldNumber, GenerateResponse.AudioFieldNumber, GenerateResponse.SceneFieldNumber, GenerateResponse.ProgressFieldNumber, GenerateResponse.SummaryFieldNumber });
        Assert.Equal(3, AudioChunk.DurationUsFieldNumber);
        Assert.Equal(["AUDIO_ENCODING_UNSPECIFIED", "PCM_S16LE", "PCM_F32LE", "WAV"], EnumValueNames(typeof(AudioEncoding)));
        Assert.Equal(["GENERATION_MODE_UNSPECIFIED", "LIVE", "QUALITY"], EnumValueNames(typeof(GenerationMode)));
    }

    private static IEnumerable<string> EnumValueNames(Type enumType) =>
        V2AstreamReflection.Descriptor.EnumTypes.Single(e => e.ClrType == enumType).Values.Select(v => v.Name);
}
