using Google.Protobuf;
using Google.Protobuf.Reflection;
using V2AStream.Grpc.Reflection.V1;
using V2AStream.Grpc.Server;
using Alpha = V2AStream.Grpc.Reflection.V1Alpha;

namespace V2AStream.Grpc.Reflection;

/// <summary>
/// grpc.reflection.v1 and v1alpha ServerReflectionInfo over the services of a
/// <see cref="GrpcServiceRegistry"/>. The two versions are the same messages with the same field
/// numbers, so v1alpha is answered by re-reading its bytes as v1.
/// </summary>
internal sealed class ReflectionService(GrpcServiceRegistry registry)
{
    public GrpcServiceDefinition CreateV1ServiceDefinition() =>
        new GrpcServiceBuilder(ReflectionReflection.Descriptor.Services[0])
            .AddDuplexStreaming<ServerReflectionRequest, ServerReflectionResponse>("ServerReflectionInfo", ServerReflectionInfoAsync)
            .Build();

    public GrpcServiceDefinition CreateV1AlphaServiceDefinition() =>
        new GrpcServiceBuilder(Alpha.ReflectionReflection.Descriptor.Services[0])
            .AddDuplexStreaming<Alpha.ServerReflectionRequest, Alpha.ServerReflectionResponse>("ServerReflectionInfo", ServerReflectionInfoV1AlphaAsync)
            .Build();

    public async Task ServerReflectionInfoAsync(IAsyncEnumerable<ServerReflectionRequest> requests, IServerStreamWriter<ServerReflectionResponse> responses, ServerCallContext context)
    {
        await foreach (var request in requests.WithCancellation(context.CancellationToken).ConfigureAwait(false))
        {
            await responses.WriteAsync(Answer(request), context.CancellationToken).ConfigureAwait(false);
        }
    }

    public async Task ServerReflectionInfoV1AlphaAsync(IAsyncEnumerable<Alpha.ServerReflectionRequest> requests, IServerStreamWriter<Alpha.ServerReflectionResponse> responses, ServerCallContext context)
    {
        await foreach (var request in requests.WithCancellation(context.CancellationToken).ConfigureAwait(false))
        {
            var answer = Answer(ServerReflectionRequest.Parser.ParseFrom(request.ToByteString()));
            await responses.WriteAsync(Alpha.ServerReflectionResponse.Parser.ParseFrom(answer.ToByteString()), context.CancellationToken).ConfigureAwait(false);
        }
    }

    internal ServerReflectionResponse Answer(ServerReflectionRequest request)
    {
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                var list = new ListServiceResponse();
                list.Service.AddRange(registry.Services.Select(s => new ServiceResponse { Name = s.Name }));
                response.ListServicesResponse = list;
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                var file = AllFiles().FirstOrDefault(f => f.Name == request.FileByFilename);
                SetFileOrError(response, file, $"File '{request.FileByFilename}' is not known to this server.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFileOrError(response, FindFileContainingSymbol(request.FileContainingSymbol), $"Symbol '{request.FileContainingSymbol}' is not known to this server.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                SetError(response, StatusCode.NotFound, $"Extension {request.FileContainingExtension.ExtensionNumber} of '{request.FileContainingExtension.ContainingType}' is not known to this server.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                if (FindMessage(request.AllExtensionNumbersOfType) is null)
                {
                    SetError(response, StatusCode.NotFound, $"Type '{request.AllExtensionNumbersOfType}' is not known to this server.");
                }
                else
                {
                    // proto3 messages have no extension ranges.
                    response.AllExtensionNumbersResponse = new ExtensionNumberResponse { BaseTypeName = request.AllExtensionNumbersOfType };
                }

                break;
            default:
                SetError(response, StatusCode.Unimplemented, "The request names no known reflection query.");
                break;
        }

        return response;
    }

    private static void SetFileOrError(ServerReflectionResponse response, FileDescriptor? file, string notFound)
    {
        if (file is null)
        {
            SetError(response, StatusCode.NotFound, notFound);
            return;
        }

        // The file first, then everything it imports, so a client can build it without asking again.
        var files = new FileDescriptorResponse();
        foreach (var f in WithDependencies(file))
        {
            files.FileDescriptorProto.Add(f.SerializedData);
        }

        response.FileDescriptorResponse = files;
    }

    private static void SetError(ServerReflectionResponse response, StatusCode code, string message) =>
        response.ErrorResponse = new ErrorResponse { ErrorCode = (int)code, ErrorMessage = message };

    private FileDescriptor? FindFileContainingSymbol(string symbol)
    {
        foreach (var file in AllFiles())
        {
            if (file.Services.Any(s => s.FullName == symbol || s.Methods.Any(m => $"{s.FullName}.{m.Name}" == symbol))
                || file.EnumTypes.Any(e => e.FullName == symbol)
                || Flatten(file.MessageTypes).Any(m => m.FullName == symbol || m.EnumTypes.Any(e => e.FullName == symbol)))
            {
                return file;
            }
        }

        return null;
    }

    private MessageDescriptor? FindMessage(string fullName) =>
        AllFiles().SelectMany(f => Flatten(f.MessageTypes)).FirstOrDefault(m => m.FullName == fullName);

    private IEnumerable<FileDescriptor> AllFiles() =>
        registry.Services
            .Where(s => s.Descriptor is not null)
            .SelectMany(s => WithDependencies(s.Descriptor!.File))
            .DistinctBy(f => f.Name);

    private static IEnumerable<FileDescriptor> WithDependencies(FileDescriptor file)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<FileDescriptor>([file]);
        while (pending.TryDequeue(out var next))
        {
            if (!seen.Add(next.Name))
            {
                continue;
            }

            yield return next;
            foreach (var dependency in next.Dependencies)
            {
                pending.Enqueue(dependency);
            }
        }
    }

    private static IEnumerable<MessageDescriptor> Flatten(IEnumerable<MessageDescriptor> messages) =>
        messages.SelectMany(m => Flatten(m.NestedTypes).Prepend(m));
}
