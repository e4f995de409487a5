using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using V2AStream.Daemon;
using V2AStream.Hosting;
using V2AStream.Protos.V1;
using V2AStreamApi = V2AStream.Protos.V1.V2AStream;

namespace V2AStream.Tests.Daemon;

/// <summary>TLS on the gRPC port from the daemon's certificate settings, and the warning for clear text beyond loopback.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("v2a-tls-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task GetInfo_OverTlsWithPemCertificate_AnswersAndClearTextIsRefused()
    {
        var (certificate, key, thumbprint) = WriteSelfSignedPem();
        var logs = new ScopeRecordingLoggerProvider();
        var options = new DaemonOptions { Listen = "127.0.0.1:0", MetricsListen = string.Empty, TlsCertificate = certificate, TlsKey = key };
        var host = await DaemonHost.StartAsync(options, logging => logging.AddProvider(logs), "test", CancellationToken.None);
        await using (host)
        {
            Assert.Equal("https", host.GrpcAddress.Scheme);
            using var trusting = GrpcChannel.ForAddress(host.GrpcAddress, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == thumbprint } },
            });
            var info = await new V2AStreamApi.V2AStreamClient(trusting).GetInfoAsync(new GetInfoRequest());
            Assert.Equal("builtin", info.DefaultModelSet);

            var clearText = new UriBuilder(host.GrpcAddress) { Scheme = "http" }.Uri;
            await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GetInfoAsync(clearText));
        }

        Assert.DoesNotContain(logs.Entries, e => e.EventId == 3010);
    }

    [Fact]
    public async Task Start_CertificateWithoutItsKey_OneLineConfigurationError()
    {
        var (certificate, _, _) = WriteSelfSignedPem();
        var options = new DaemonOptions { Listen = "127.0.0.1:0", MetricsListen = string.Empty, TlsCertificate = certificate };

        var error = await Assert.ThrowsAsync<DaemonConfigurationException>(() => DaemonHost.StartAsync(options, _ => { }, "test", CancellationToken.None));

        Assert.Contains($"TlsCertificate '{certificate}' cannot be loaded", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Start_ClearTextBeyondLoopback_Warns()
    {
        var logs = new ScopeRecordingLoggerProvider();
        var options = new DaemonOptions { Listen = "0.0.0.0:0", MetricsListen = string.Empty };
        var host = await DaemonHost.StartAsync(options, logging => logging.AddProvider(logs), "test", CancellationToken.None);
        await host.DisposeAsync();

        var warning = Assert.Single(logs.Entries, e => e.EventId == 3010);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("without TLS", warning.Message, StringComparison.Ordinal);
    }

    /// <summary>A self-signed certificate for 127.0.0.1 and localhost as PEM files; returns their paths and its SHA-1 thumbprint.</summary>
    private (string Certificate, string Key, string Thumbprint) WriteSelfSignedPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(_directory, "server.crt");
        var keyPath = Path.Combine(_directory, "server.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath, certificate.GetCertHashString());
    }
}
