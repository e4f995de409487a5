using V2AStream.Hosting;

namespace V2AStream.Tests.Hosting;

public sealed class DaemonConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("v2a-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Bind_NothingConfigured_SafeDefaults()
    {
        var options = DaemonConfiguration.Bind(DaemonConfiguration.Build(null, new Dictionary<string, string?>(), new Dictionary<string, string?>()));
        Assert.Equal("127.0.0.1:50051", options.Listen);
        Assert.Equal(4, options.MaxStreams);
        Assert.Empty(options.AllowRoots);
        Assert.Empty(options.AllowSchemes);
        Assert.Null(options.Token);
        Assert.Equal(4 * 1024 * 1024, options.MaxReceiveMessageBytes);
        Assert.Equal(4096, options.MaxControlRequestBytes);
        Assert.Equal(64, options.MaxConnections);
        Assert.Equal(32, options.MaxStreamsPerConnection);
        Assert.Equal(TimeSpan.FromSeconds(10), options.FirstMessageTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.OutputProgressTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.KeepAlivePingDelay);
        Assert.Null(options.TlsCertificate);
        Assert.Equal("cpu", options.Device);
    }

    [Fact]
    public void Bind_TokenFromTheEnvironment_IsTheToken()
    {
        var environment = new Dictionary<string, string?> { ["V2A__Daemon__Token"] = "from-the-environment-0123" };

        var options = DaemonConfiguration.Bind(DaemonConfiguration.Build(null, new Dictionary<string, string?>(), environment));

        Assert.Equal("from-the-environment-0123", options.Token);
    }

    [Fact]
    public void Bind_TokenFile_ItsTrimmedContentIsTheToken()
    {
        var file = Path.Combine(_directory, "token");
        File.WriteAllText(file, "  from-a-file-0123456789\n");
        var flags = new Dictionary<string, string?> { ["Daemon:TokenFile"] = file };

        var options = DaemonConfiguration.Bind(DaemonConfiguration.Build(null, flags, new Dictionary<string, string?>()));

        Assert.Equal("from-a-file-0123456789", options.Token);
    }

    [Theory]
    [InlineData("short", null, "must be at least 16 characters")]
    [InlineData("long-enough-token-0123", "long-enough-token-0123", "Token and TokenFile are both set")]
    [InlineData(null, null, "does not exist")]
    public void Bind_BadTokenFile_SaysWhy(string? fileContent, string? token, string expected)
    {
        var file = Path.Combine(_directory, "token");
        if (fileContent is not null)
        {
            File.WriteAllText(file, fileContent);
        }

        var flags = new Dictionary<string, string?> { ["Daemon:TokenFile"] = file, ["Daemon:Token"] = token };

        var error = Assert.Throws<DaemonConfigurationException>(() => DaemonConfiguration.Bind(DaemonConfiguration.Build(null, flags, new Dictionary<string, string?>())));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_TransportLimitsOutOfRange_ReportsEachInOneMessage()
    {
        var flags = new Dictionary<string, string?>
        {
            ["Daemon:MaxConnections"] = "1",
            ["Daemon:MaxStreamsPerConnection"] = "0",
            ["Daemon:MaxControlRequestBytes"] = "10",
            ["Daemon:FirstMessageTimeout"] = "00:00:00",
            ["Daemon:OutputProgressTimeout"] = "-00:00:01",
            ["Daemon:KeepAlivePingDelay"] = "00:00:00.500",
            ["Daemon:TlsKey"] = "/no/such/key.pem",
        };

        var error = Assert.Throws<DaemonConfigurationException>(() => DaemonConfiguration.Bind(DaemonConfiguration.Build(null, flags, new Dictionary<string, string?>())));

        Assert.Contains("MaxConnections 1 must be between 2 and 100000", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxStreamsPerConnection 0 must be between 1 and 1000", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxControlRequestBytes 10 must be between 64 and 65536", error.Message, StringComparison.Ordinal);
        Assert.Contains("FirstMessageTimeout must be more than zero", error.Message, StringComparison.Ordinal);
        Assert.Contains("OutputProgressTimeout must be more than zero", error.Message, StringComparison.Ordinal);
        Assert.Contains("KeepAlivePingDelay must be at least 1 second", error.Message, StringComparison.Ordinal);
        Assert.Contains("TlsKey is set without TlsCertificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_DeviceFromEnvironmentThenFlag_LaterLayerWins()
    {
        var environment = new Dictionary<string, string?> { ["V2A__Daemon__Device"] = "cuda:1" };

        Assert.Equal("cuda:1", DaemonConfiguration.Bind(DaemonConfiguration.Build(null, new Dictionary<string, string?>(), environment)).Device);
        Assert.Equal("cpu", DaemonConfiguration.Bind(DaemonConfiguration.Build(null, new Dictionary<string, string?> { ["Daemon:Device"] = "cpu" }, environment)).Device);
    }

    [Fact]
    public void Bind_UnknownDevice_SaysWhatIsValid()
    {
        var error = Assert.Throws<DaemonConfigurationException>(() => DaemonConfiguration.Bind(DaemonConfiguration.Build(null, new Dictionary<string, string?> { ["Daemon:Device"] = "gpu" }, new Dictionary<string, string?>())));
        Assert.Equal("Invalid daemon settings: Device 'gpu' is not cpu, cuda or cuda:N.", error.Message);
    }

    [Fact]
    public void Bind_FileThenEnvironmentThenFlags_LaterLayerWins()
    {
        var file = Path.Combine(_directory, "appsettings.json");
        File.WriteAllText(file, """{ "Daemon": { "MaxStreams": 2, "Listen": "127.0.0.1:6000", "AllowSchemes": ["srt"], "ModelSet": "mobilenet" } }""");
        var environment = new Dictionary<string, string?> { ["V2A__Daemon__MaxStreams"] = "6", ["V2A__Daemon__Listen"] = "127.0.0.1:7000", ["OTHER"] = "x" };
        var flags = new Dictionary<string, string?> { ["Daemon:Listen"] = "[::1]:8000" };

        var options = DaemonConfiguration.Bind(DaemonConfiguration.Build(file, flags, environment));

        Assert.Equal(6, options.MaxStreams);
        Assert.Equal("[::1]:8000", options.Listen);
        Assert.Equal(["srt"], options.AllowSchemes);
        Assert.Equal("mobilenet", options.ModelSet);
    }

    [Fact]
    public void Bind_InvalidValues_ReportsEveryProblemInOneMessage()
    {
        var flags = new Dictionary<string, string?>
        {
            ["Daemon:Listen"] = "not-an-endpoint",
            ["Daemon:MaxStreams"] = "0",
            ["Daemon:AllowRoots:0"] = "relative/dir",
            ["Daemon:Token"] = "short",
        };
        var error = Assert.Throws<DaemonConfigurationException>(() => DaemonConfiguration.Bind(DaemonConfiguration.Build(null, flags, new Dictionary<string, string?>())));
        Assert.Contains("Listen 'not-an-endpoint'", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxStreams 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("'relative/dir' must be an absolute path", error.Message, StringComparison.Ordinal);
        Assert.Contains("Token must be at least 16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_SourceAndChildBounds_FromSettingsIntoTheReaderAndTheCaps()
    {
        var environment = new Dictionary<string, string?>
        {
            ["V2A__Daemon__AllowHosts__0"] = "10.0.0.0/8",
            ["V2A__Daemon__AllowHosts__1"] = "media.internal",
            ["V2A__Daemon__ChildMemoryLimitBytes"] = "0",
            ["V2A__Daemon__MaxPixels"] = "8294400",
            ["V2A__Daemon__MaxTimestampGap"] = "00:00:05",
            ["V2A__Daemon__MaxSampleFps"] = "8",
        };

        var options = DaemonConfiguration.Bind(DaemonConfiguration.Build(null, new Dictionary<string, string?>(), environment));

        Assert.Equal(["10.0.0.0/8", "media.internal"], options.AllowHosts);
        var reader = options.ToReaderOptions();
        Assert.Null(reader.MemoryLimitBytes);
        Assert.Equal(8294400, reader.MaxPixels);
        Assert.Equal(TimeSpan.FromSeconds(5), reader.MaxTimestampGap);
        Assert.Equal(8, options.ToCaps().MaxSampleFps);
        Assert.Equal(1L << 30, new DaemonOptions().ToReaderOptions().MemoryLimitBytes);
    }

    [Fact]
    public void Bind_BadHostOrBounds_ReportsEach()
    {
        var flags = new Dictionary<string, string?>
        {
            ["Daemon:AllowHosts:0"] = "http://evil/",
            ["Daemon:ChildMemoryLimitBytes"] = "1000",
            ["Daemon:MaxSampleFps"] = "60",
            ["Daemon:MaxBlockMultiple"] = "9",
        };

        var error = Assert.Throws<DaemonConfigurationException>(() => DaemonConfiguration.Bind(DaemonConfiguration.Build(null, flags, new Dictionary<string, string?>())));

        Assert.Contains("AllowHosts entry 'http://evil/'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ChildMemoryLimitBytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxSampleFps", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxBlockMultiple", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownSetting_IsAnErrorNotIgnored()
    {
        var flags = new Dictionary<string, string?> { ["Daemon:MaxStream"] = "3" };
        var error = Assert.Throws<DaemonConfigurationException>(() => DaemonConfiguration.Bind(DaemonConfiguration.Build(null, flags, new Dictionary<string, string?>())));
        Assert.Contains("MaxStream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MissingOrBrokenSettingsFile_SaysWhich()
    {
        var missing = Path.Combine(_directory, "nope.json");
        Assert.Contains(missing, Assert.Throws<DaemonConfigurationException>(() => DaemonConfiguration.Build(missing, new Dictionary<string, string?>(), new Dictionary<string, string?>())).Message, StringComparison.Ordinal);

        var broken = Path.Combine(_directory, "broken.json");
        File.WriteAllText(broken, "{ \"Daemon\": ");
        Assert.Contains("not valid JSON", Assert.Throws<DaemonConfigurationException>(() => DaemonConfiguration.Build(broken, new Dictionary<string, string?>(), new Dictionary<string, string?>())).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:50051", true)]
    [InlineData("localhost:1", true)]
    [InlineData("[::1]:50051", true)]
    [InlineData("0.0.0.0:65535", true)]
    [InlineData("127.0.0.1:65536", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("example.com:80", false)]
    public void TryParseEndpoint_AcceptsOnlyAddressAndPort(string value, bool valid)
    {
        Assert.Equal(valid, DaemonOptions.TryParseEndpoint(value, out _));
    }
}
