using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace V2AStream.Daemon.Transport;

/// <summary>Hands a request's body to the rest of the pipeline through another reader.</summary>
internal sealed class RequestBodyFeature(PipeReader reader) : IRequestBodyPipeFeature
{
    public PipeReader Reader => reader;
}
