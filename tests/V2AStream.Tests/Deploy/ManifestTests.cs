using System.Globalization;
using V2AStream.Daemon;
using V2AStream.Daemon.Metrics;
using V2AStream.Hosting;
using YamlDotNet.RepresentationModel;
using static V2AStream.Tests.Deploy.KubernetesManifests;

namespace V2AStream.Tests.Deploy;

/// <summary>
/// deploy/ against the daemon: every manifest parses, and the ports, probe service names, drain and metric names they
/// use are the ones the daemon serves (read from its options, health services and metrics, not typed again here).
/// </summary>
public sealed class ManifestTests
{
    public static TheoryData<string> Deployments => new() { "v2astream", "v2astream-gpu" };

    [Fact]
    public void Manifests_Parse_IntoTheExpectedObjects()
    {
        var kinds = ManifestFiles.SelectMany(Read).Select(d => $"{Text(d, "kind")}/{Text(d, "metadata", "name")}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            ["Deployment/v2astream", "Deployment/v2astream-gpu", "HorizontalPodAutoscaler/v2astream", "HorizontalPodAutoscaler/v2astream-gpu", "PodDisruptionBudget/v2astream", "Service/v2astream", "Service/v2astream-pods"],
            kinds);
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void Deployment_PortsAndProbes_AreTheDaemonsOwn(string name)
    {
        var defaults = new DaemonOptions();
        var container = Container(name);
        var ports = Items(container, "ports").ToDictionary(p => Text(p, "name"), p => Text(p, "containerPort"));

        Assert.Equal(Port(defaults.Listen), ports["grpc"]);
        Assert.Equal(Port(defaults.MetricsListen), ports["metrics"]);
        Assert.Equal(Port(defaults.MetricsListen), Text(Node(Deployment(name), "spec", "template"), "metadata", "annotations", "prometheus.io/port"));
        Assert.Equal(Port(defaults.Listen), Text(container, "readinessProbe", "grpc", "port"));
        Assert.Equal(HealthServices.Readiness, Text(container, "readinessProbe", "grpc", "service"));
        Assert.Equal(HealthServices.Liveness, Text(container, "livenessProbe", "grpc", "service"));
        Assert.Equal(HealthServices.Liveness, Text(container, "startupProbe", "grpc", "service"));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void Deployment_GracePeriod_CoversPreStopAndTheDrain(string name)
    {
        var container = Container(name);
        var drain = TimeSpan.Parse(Env(container, "V2A__Daemon__ShutdownTimeout") ?? new DaemonOptions().ShutdownTimeout.ToString(), CultureInfo.InvariantCulture);
        var preStop = Strings(container, "lifecycle", "preStop", "exec", "command");
        var grace = int.Parse(Text(Deployment(name), "spec", "template", "spec", "terminationGracePeriodSeconds"), CultureInfo.InvariantCulture);

        Assert.Equal("sleep", preStop[0]);
        Assert.True(
            grace >= int.Parse(preStop[1], CultureInfo.InvariantCulture) + drain.TotalSeconds + 5,
            $"{name}: terminationGracePeriodSeconds {grace} leaves no time after preStop {preStop[1]} s and the drain {drain.TotalSeconds} s");
        Assert.NotNull(Find(container, "resources", "requests", "cpu"));
        Assert.NotNull(Find(container, "resources", "requests", "memory"));
    }

    [Fact]
    public void GpuDeployment_AsksForOneGpuAndTheCudaDevice()
    {
        var container = Container("v2astream-gpu");

        Assert.Equal("1", Text(container, "resources", "limits", "nvidia.com/gpu"));
        Assert.Equal("cuda", Env(container, "V2A__Daemon__Device"));
        Assert.Null(Find(Container("v2astream"), "resources", "limits", "nvidia.com/gpu"));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public async Task Autoscaler_Metric_IsAGaugeTheDaemonExportsAndTheAdapterServes(string name)
    {
        var autoscaler = OfKind("HorizontalPodAutoscaler").Single(h => Text(h, "metadata", "name") == name);
        var metric = Items(autoscaler, "spec", "metrics").Single();
        var metricName = Text(metric, "pods", "metric", "name");
        var exported = await new DaemonMetrics(() => 0).ExportAsync(CancellationToken.None);
        var rule = Items(Read("prometheus-adapter.yaml").Single(), "rules", "custom").Single();
        var maxStreams = int.Parse(Env(Container(name), "V2A__Daemon__MaxStreams") ?? new DaemonOptions().MaxStreams.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

        Assert.Equal(name, Text(autoscaler, "spec", "scaleTargetRef", "name"));
        Assert.Contains($"# TYPE {metricName} gauge", exported, StringComparison.Ordinal);
        Assert.StartsWith(metricName + "{", Text(rule, "seriesQuery"), StringComparison.Ordinal);
        Assert.Equal(metricName, Text(rule, "name", "as"));
        Assert.InRange(double.Parse(Text(metric, "pods", "target", "averageValue"), CultureInfo.InvariantCulture), 1, maxStreams - 0.5);
    }

    [Fact]
    public void ServiceAndBudget_SelectEveryDaemonPodAndTheGrpcPort()
    {
        var podLabels = OfKind("Deployment").Select(d => (YamlMappingNode)Node(d, "spec", "template", "metadata", "labels")).ToList();
        foreach (var selector in OfKind("Service").Select(s => (YamlMappingNode)Node(s, "spec", "selector"))
            .Concat(OfKind("PodDisruptionBudget").Select(p => (YamlMappingNode)Node(p, "spec", "selector", "matchLabels"))))
        {
            Assert.All(podLabels, labels => Assert.All(selector.Children, pair => Assert.Equal(pair.Value, labels.Children[pair.Key])));
        }

        Assert.All(OfKind("Service"), service => Assert.Equal("grpc", Text(Items(service, "spec", "ports").Single(), "targetPort")));
    }

    private static YamlMappingNode Deployment(string name) => OfKind("Deployment").Single(d => Text(d, "metadata", "name") == name);

    private static YamlMappingNode Container(string name) => Items(Deployment(name), "spec", "template", "spec", "containers").Single();

    private static string Port(string endpoint) => endpoint[(endpoint.LastIndexOf(':') + 1)..];
}
