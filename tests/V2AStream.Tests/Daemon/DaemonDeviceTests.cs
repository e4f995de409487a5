using Microsoft.Extensions.Logging;
using V2AStream.Daemon;
using V2AStream.Hosting;
using V2AStream.Onnx;
using V2AStream.Onnx.Cuda;

namespace V2AStream.Tests.Daemon;

/// <summary>A Daemon:Device that cannot run here stops the daemon at start-up with the reason, before it listens.</summary>
public sealed class DaemonDeviceTests
{
    [Fact]
    public async Task StartAsync_CudaWhereCudaIsNotUsable_FailsBeforeListeningWithTheReason()
    {
        var cuda = new CudaProbe().Check(OrtRuntime.Load(), 0);
        if (cuda.Usable)
        {
            return;
        }

        var options = new DaemonOptions { Listen = "127.0.0.1:0", MetricsListen = string.Empty, Device = "cuda" };

        var error = await Assert.ThrowsAsync<OrtException>(() => DaemonHost.StartAsync(options, logging => logging.ClearProviders(), "test", CancellationToken.None));

        Assert.Equal(OrtErrorCode.ProviderUnavailable, error.Code);
        Assert.Equal($"Device cuda:0 is not usable: {cuda.Detail}. Or run on the CPU with --device cpu.", error.Message);
    }
}
